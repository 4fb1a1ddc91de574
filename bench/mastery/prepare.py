"""Write the benchmark's student-level splits as CSV files both libraries read.

Each dataset is read with the engine's readers from /work/shared/data/kt (never copied into the
repository), its students are dealt into folds (seed 0), and every fold gets ``train.csv`` and
``test.csv`` with columns ``row,user_id,skill_name,correct,order,problem_id``: ``row`` is a
unique chronological order for pyBKT, ``order`` is the event number (rows of one multi-skill
response share it), which the engine's canonical reader turns back into events.

Usage: python prepare.py OUT_DIR [--folds 5]
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np

from pathways.engines.tracing import ResponseLog, read_many, student_folds

DATA = Path("/work/shared/data/kt")

DATASETS: dict[str, tuple[str, list[str]]] = {
    "statics2011": ("dkt", [f"statics2011/statics_fold{k}.csv" for k in range(1, 6)]),
    "assist2009_pid": ("akt", [f"assist2009_pid/assist2009_pid_fold{k}.csv" for k in range(1, 6)]),
    "assist2015_pykt": ("pykt", ["assist2015_pykt/train_valid.csv", "assist2015_pykt/test.csv"]),
    "assist2017_pid": ("akt", [f"assist2017_pid/assist2017_pid_fold{k}.csv" for k in range(1, 6)]),
}
# The DKT export of ASSISTments 2009 comes with its own train/test split.
FIXED = {
    "assist2009_dkt": ("dkt", "assist2009_dkt/builder_train.csv", "assist2009_dkt/builder_test.csv")
}


def write(log: ResponseLog, path: Path) -> None:
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        header = ["row", "user_id", "skill_name", "correct", "order"]
        out.writerow([*header, "problem_id"] if log.has_items else header)
        for i in range(len(log)):
            row = [
                i,
                log.student_ids[log.student[i]],
                log.skill_ids[log.skill[i]],
                int(log.correct[i]),
                int(log.event[i]),
            ]
            if log.has_items:
                item = int(log.item[i])
                row.append(log.item_ids[item] if item >= 0 else "")
            out.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    manifest = {}
    for name, (fmt, files) in DATASETS.items():
        if args.only and name not in args.only:
            continue
        log = read_many([DATA / f for f in files], format=fmt)
        folds = []
        for k, (train, test) in enumerate(student_folds(log, 5, random_state=0)):
            if k >= args.folds:
                break
            folder = args.out / name / f"fold{k + 1}"
            folder.mkdir(parents=True, exist_ok=True)
            write(log.select_students(train), folder / "train.csv")
            write(log.select_students(test), folder / "test.csv")
            folds.append(str(folder))
        manifest[name] = {
            "rows": len(log),
            "students": log.n_students,
            "skills": log.n_skills,
            "events": len(np.unique(log.event)),
            "folds": folds,
            "split": "5-fold by student",
        }
    for name, (fmt, train_file, test_file) in FIXED.items():
        if args.only and name not in args.only:
            continue
        train_log = read_many([DATA / train_file], format=fmt)
        test_log = read_many([DATA / test_file], format=fmt)
        folder = args.out / name / "fixed"
        folder.mkdir(parents=True, exist_ok=True)
        write(train_log, folder / "train.csv")
        write(test_log, folder / "test.csv")
        manifest[name] = {
            "rows": len(train_log) + len(test_log),
            "students": train_log.n_students + test_log.n_students,
            "skills": len(set(train_log.skill_ids) | set(test_log.skill_ids)),
            "events": len(train_log) + len(test_log),
            "folds": [str(folder)],
            "split": "published train/test",
        }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1))


if __name__ == "__main__":
    main()
