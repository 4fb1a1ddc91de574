"""Fit one of the engine's models on one split and write its test predictions (main venv).

Usage: python run_ours.py SPLIT_DIR MODEL OUT_JSON   (MODEL: a name in pathways MODELS)
OUT_JSON gets fit/predict seconds, peak memory (this process's peak RSS, data loading included)
and the predictions in the order of the test file's rows.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np

from pathways.engines.tracing import make_model, read_csv

COLUMNS = "student_id=user_id,skill_id=skill_name,order=order,item_id=problem_id"


def main() -> None:
    split, name, out = sys.argv[1], sys.argv[2], sys.argv[3]
    train = read_csv(f"{split}/train.csv", columns=COLUMNS)
    test = read_csv(f"{split}/test.csv", columns=COLUMNS)
    model = make_model(name, random_state=0)
    started = time.perf_counter()
    model.fit(train)
    fitted = time.perf_counter()
    p_log_order = model.predict_proba(test)
    done = time.perf_counter()
    p = np.empty(len(test))
    p[test.source_row] = p_log_order
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with open(out, "w") as handle:
        json.dump(
            {
                "fit_seconds": fitted - started,
                "predict_seconds": done - fitted,
                "peak_bytes": peak,
                "p": p.tolist(),
            },
            handle,
        )


if __name__ == "__main__":
    main()
