"""Scale check: a synthetic log of 10 million responses (100k students, 200 skills).

Each student practises 10 of the 200 skills, 10 times each, interleaved; answers are drawn from
BKT with per-skill parameters. Reports fit seconds and predict rows per second (wall clock and
CPU) of the chosen model (BKT by default, the model the platform recalibrates with), and this
process's peak memory (the log itself included).

Usage: python scale.py OUT_JSON [--students 100000] [--model bkt]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time

import numpy as np

from pathways.engines.tracing import ResponseLog, make_model


def synthetic(n_students: int, n_skills: int, skills_each: int, tries: int) -> ResponseLog:
    rng = np.random.default_rng(0)
    init = rng.uniform(0.1, 0.6, n_skills)
    learn = rng.uniform(0.05, 0.3, n_skills)
    guess = rng.uniform(0.1, 0.3, n_skills)
    slip = rng.uniform(0.05, 0.2, n_skills)
    # Each student's skills: `skills_each` distinct skills.
    chosen = np.argsort(rng.random((n_students, n_skills)), axis=1)[:, :skills_each]
    chosen = chosen.astype(np.int32)
    known = rng.random((n_students, skills_each)) < init[chosen]
    correct = np.empty((n_students, tries, skills_each), dtype=np.int8)
    for t in range(tries):
        p = np.where(known, 1 - slip[chosen], guess[chosen])
        correct[:, t, :] = rng.random((n_students, skills_each)) < p
        known |= rng.random((n_students, skills_each)) < learn[chosen]
    n = n_students * tries * skills_each
    student = np.repeat(np.arange(n_students, dtype=np.int32), tries * skills_each)
    skill = np.broadcast_to(chosen[:, None, :], (n_students, tries, skills_each)).ravel()
    rows = np.arange(n, dtype=np.int64)
    return ResponseLog(
        student=student,
        skill=np.ascontiguousarray(skill),
        correct=correct.ravel(),
        item=np.full(n, -1, dtype=np.int32),
        event=rows,
        source_row=rows,
        student_ids=tuple(f"s{i}" for i in range(n_students)),
        skill_ids=tuple(f"k{i}" for i in range(n_skills)),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--model", default="bkt")
    args = parser.parse_args()
    started = time.perf_counter()
    log = synthetic(args.students, 200, 10, 10)
    built = time.perf_counter()
    model = make_model(args.model, random_state=0)
    cpu_start = time.process_time()
    model.fit(log)
    fitted = time.perf_counter()
    cpu_fitted = time.process_time()
    model.predict_proba(log)
    predicted = time.perf_counter()
    cpu_predicted = time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result = {
        "model": args.model,
        "rows": len(log),
        "students": log.n_students,
        "skills": log.n_skills,
        "build_seconds": built - started,
        "fit_seconds": fitted - built,
        "predict_seconds": predicted - fitted,
        "predict_rows_per_second": len(log) / (predicted - fitted),
        # CPU seconds of this process (all its threads): what the fit costs when the shared
        # machine is busy and the wall clock mostly measures waiting.
        "fit_cpu_seconds": cpu_fitted - cpu_start,
        "predict_cpu_seconds": cpu_predicted - cpu_fitted,
        "peak_bytes": peak,
        "load_average": os.getloadavg()[0],
    }
    with open(args.out, "w") as handle:
        json.dump(result, handle, indent=1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
