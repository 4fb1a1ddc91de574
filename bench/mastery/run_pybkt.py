"""Fit pyBKT (compiled backend) on one split and write its test predictions (bench venv only).

Usage: python run_pybkt.py SPLIT_DIR MODEL OUT_JSON [REPEATS]   (MODEL: bkt | bkt-forgets)
Prints nothing; OUT_JSON gets fit/predict seconds, peak memory and the predictions in the order
of the test file's rows (pyBKT returns rows in its own order: aligned on the DataFrame index).
The timed ``fit`` starts from the DataFrame (read before the clock starts) and includes pyBKT's
conversion of it into per-skill arrays. With REPEATS > 1 the fit runs that many times in this
process (a fresh Model each time) and the median is reported (all runs kept).
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time

import numpy as np
import pandas as pd
import pyBKT.fit.E_step  # noqa: F401  (the compiled backend must be present)
from pyBKT.models import Model


def main() -> None:
    split, model_name, out = sys.argv[1], sys.argv[2], sys.argv[3]
    columns = {
        "order_id": "row",
        "user_id": "user_id",
        "skill_name": "skill_name",
        "correct": "correct",
    }
    dtypes = {"user_id": str, "skill_name": str, "problem_id": str}
    train = pd.read_csv(f"{split}/train.csv", dtype=dtypes)
    test = pd.read_csv(f"{split}/test.csv", dtype=dtypes)
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    forgets = model_name == "bkt-forgets"
    runs = []
    for _ in range(max(1, repeats)):
        model = Model(seed=0, num_fits=5)
        started, cpu = time.perf_counter(), time.process_time()
        model.fit(data=train, defaults=columns, forgets=forgets)
        runs.append({"fit": time.perf_counter() - started, "cpu": time.process_time() - cpu})
    fitted = time.perf_counter()
    # pyBKT cannot predict skills it has not fitted: those rows get the training mean.
    known = test["skill_name"].isin(train["skill_name"].unique())
    p = np.full(len(test), float(train["correct"].mean()))
    if known.any():
        predicted = model.predict(data=test[known])
        p[predicted.index.to_numpy()] = predicted["correct_predictions"].to_numpy()
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with open(out, "w") as handle:
        json.dump(
            {
                "fit_seconds": statistics.median(r["fit"] for r in runs),
                "fit_cpu_seconds": statistics.median(r["cpu"] for r in runs),
                "fit_runs": runs,
                "predict_seconds": done - fitted,
                "peak_bytes": peak,
                "unseen_skill_rows": int((~known).sum()),
                "p": p.tolist(),
            },
            handle,
        )


if __name__ == "__main__":
    main()
