"""Fit one of the engine's models on one split and write its test predictions (main venv).

Usage: python run_ours.py SPLIT_DIR MODEL OUT_JSON [REPEATS]   (MODEL: a name in pathways MODELS)
OUT_JSON gets fit/predict seconds, peak memory (this process's peak RSS, data loading included)
and the predictions in the order of the test file's rows.

Timing like pyBKT's: pyBKT's ``fit`` starts from a DataFrame of the file's raw values and turns
it into its own per-skill arrays inside the timed call. So for the BKT models the timed fit here
also starts from the file's column values as pyBKT's DataFrame holds them (ids as text, equal ids
one shared object, answers and order as int64 arrays, all parsed before the clock starts as pandas
does for pyBKT) and includes ``ResponseLog.from_arrays`` (id coding, ordering each student's rows)
before ``fit``; ``fit_only_seconds`` is the ``fit`` call alone. The logistic model is timed on
the log ``read_csv`` builds (it needs the file's items and multi-skill events). With REPEATS > 1
the BKT fit runs that many times in this process and the median is reported (all runs kept).
"""

from __future__ import annotations

import csv
import json
import resource
import statistics
import sys
import time

import numpy as np

from pathways.engines.tracing import ResponseLog, make_model, read_csv

COLUMNS = "student_id=user_id,skill_id=skill_name,order=order,item_id=problem_id"


def raw_columns(path: str) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """The columns as pyBKT's DataFrame holds them: ids as text objects, the 0/1 answers and
    the order as int64 arrays (pandas parses numeric columns into arrays before its clock).

    Equal ids share one string object, as in pandas' DataFrame: its C parser boxes each distinct
    value of a chunk once (ASSISTments 2015 fold 1: 459 objects for 546,475 skill cells, 15,278
    for as many user cells), while ``csv`` makes a new object per cell. Hashing a million fresh
    objects is 30-50 ms of cache misses that pyBKT's input does not carry."""
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    shared: dict[str, str] = {}
    return (
        [shared.setdefault(r["user_id"], r["user_id"]) for r in rows],
        [shared.setdefault(r["skill_name"], r["skill_name"]) for r in rows],
        np.array([int(r["correct"]) for r in rows], dtype=np.int64),
        np.array([int(r["order"]) for r in rows], dtype=np.int64),
    )


def main() -> None:
    split, name, out = sys.argv[1], sys.argv[2], sys.argv[3]
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    test = read_csv(f"{split}/test.csv", columns=COLUMNS)
    runs: list[dict[str, float]] = []
    if name.startswith("bkt"):
        student, skill, correct, order = raw_columns(f"{split}/train.csv")
        for _ in range(max(1, repeats)):
            model = make_model(name, random_state=0)
            started, cpu = time.perf_counter(), time.process_time()
            train = ResponseLog.from_arrays(student, skill, correct, order=order)
            prepared = time.perf_counter()
            model.fit(train)
            fitted = time.perf_counter()
            runs.append(
                {
                    "fit": fitted - started,
                    "fit_only": fitted - prepared,
                    "cpu": time.process_time() - cpu,
                }
            )
    else:
        train = read_csv(f"{split}/train.csv", columns=COLUMNS)
        model = make_model(name, random_state=0)
        started, cpu = time.perf_counter(), time.process_time()
        model.fit(train)
        fitted = time.perf_counter()
        runs.append({"fit": fitted - started, "fit_only": fitted - started})
        runs[-1]["cpu"] = time.process_time() - cpu
    fitted = time.perf_counter()
    p_log_order = model.predict_proba(test)
    done = time.perf_counter()
    p = np.empty(len(test))
    p[test.source_row] = p_log_order
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with open(out, "w") as handle:
        json.dump(
            {
                "fit_seconds": statistics.median(r["fit"] for r in runs),
                "fit_only_seconds": statistics.median(r["fit_only"] for r in runs),
                "fit_cpu_seconds": statistics.median(r["cpu"] for r in runs),
                "fit_runs": runs,
                "predict_seconds": done - fitted,
                "peak_bytes": peak,
                "p": p.tolist(),
            },
            handle,
        )


if __name__ == "__main__":
    main()
