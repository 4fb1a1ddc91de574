"""Student-level cross-validation, and the stronger model earning its place on real data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from pathways.engines.tracing import (
    BKT,
    LogisticKT,
    ResponseLog,
    auc,
    crossvalidate,
    read_dkt,
    student_folds,
)


def test_folds_partition_the_students(simulated: ResponseLog) -> None:
    tests = [test for _, test in student_folds(simulated, n_folds=4, random_state=1)]
    everyone = np.concatenate(tests)
    assert sorted(everyone.tolist()) == list(range(simulated.n_students))
    for train, test in student_folds(simulated, n_folds=4, random_state=1):
        assert not set(train.tolist()) & set(test.tolist())


def test_same_seed_same_folds(simulated: ResponseLog) -> None:
    first = [t.tolist() for _, t in student_folds(simulated, 3, random_state=5)]
    again = [t.tolist() for _, t in student_folds(simulated, 3, random_state=5)]
    assert first == again


def test_crossvalidate_scores_every_fold_and_the_pooled_rows(simulated: ResponseLog) -> None:
    result = crossvalidate(BKT(n_restarts=2, random_state=0), simulated, n_folds=3)
    assert len(result.folds) == 3
    assert {"auc", "rmse", "log_loss", "calibration_error", "fit_seconds"} <= set(result.mean())
    # Data simulated from BKT: held-out AUC well above chance, and well calibrated.
    assert result.pooled["auc"] > 0.7
    assert result.pooled["calibration_error"] < 0.02


def test_too_few_students_for_the_folds_is_refused() -> None:
    log = ResponseLog.from_arrays(["a", "b"], ["k", "k"], [0, 1])
    with pytest.raises(ValueError, match="cannot fill"):
        list(student_folds(log, n_folds=3))


@pytest.mark.slow
def test_logistic_model_beats_bkt_on_held_out_statics_students(
    kt_path: Callable[..., Path],
) -> None:
    log = read_dkt(kt_path("statics2011", "statics_fold1.csv"))
    train, test = next(student_folds(log, n_folds=3, random_state=0))
    fit_on, held_out = log.select_students(train), log.select_students(test)
    bkt = auc(held_out.correct, BKT(random_state=0).fit(fit_on).predict_proba(held_out))
    best = auc(held_out.correct, LogisticKT(random_state=0).fit(fit_on).predict_proba(held_out))
    assert best > bkt + 0.01
