"""Student-level cross-validation: every student's rows fall in exactly one test fold."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from pathways.engines.tracing._base import MasteryModel
from pathways.engines.tracing._log import ResponseLog
from pathways.engines.tracing._metrics import score_all

__all__ = ["CVResult", "crossvalidate", "student_folds"]


def student_folds(
    log: ResponseLog, n_folds: int = 5, random_state: int | None = 0
) -> Iterator[tuple[NDArray[np.int64], NDArray[np.int64]]]:
    """Yield ``(train_students, test_students)`` code arrays: students shuffled, then dealt into
    ``n_folds`` near-equal folds. Only students with rows take part.

    Example:
        >>> log = ResponseLog.from_arrays(list("abcd"), ["k"] * 4, [0, 1, 1, 0])
        >>> [len(test) for _, test in student_folds(log, n_folds=2)]
        [2, 2]
    """
    if n_folds < 2:
        raise ValueError(f"n_folds must be at least 2, got {n_folds}")
    present = np.flatnonzero(np.bincount(log.student, minlength=log.n_students))
    if len(present) < n_folds:
        raise ValueError(f"{len(present)} students cannot fill {n_folds} folds")
    rng = np.random.default_rng(random_state)
    shuffled = rng.permutation(present)
    for test in np.array_split(shuffled, n_folds):
        train = np.setdiff1d(shuffled, test)
        yield train.astype(np.int64), np.sort(test).astype(np.int64)


@dataclass
class CVResult:
    """Scores per fold, and over all held-out rows pooled (``pooled``)."""

    folds: list[dict[str, float]] = field(default_factory=list)
    pooled: dict[str, float] = field(default_factory=dict)

    def mean(self) -> dict[str, float]:
        """Mean of each score over the folds."""
        keys = self.folds[0].keys() if self.folds else ()
        return {k: float(np.mean([f[k] for f in self.folds])) for k in keys}


def crossvalidate(
    model: MasteryModel,
    log: ResponseLog,
    *,
    n_folds: int = 5,
    random_state: int | None = 0,
    on_fold: Callable[[int], None] | None = None,
) -> CVResult:
    """Student-level K-fold cross-validation of a fresh copy of ``model`` per fold.

    Each fold fits on the other folds' students and predicts its own students from their own
    earlier rows only. Scores: AUC, RMSE, log loss, calibration error, plus ``fit_seconds`` and
    ``predict_seconds``.

    Example:
        >>> from pathways.engines.tracing import BKT
        >>> rng = np.random.default_rng(0)
        >>> log = ResponseLog.from_arrays(
        ...     np.repeat(np.arange(20), 5), ["k"] * 100, rng.integers(0, 2, 100))
        >>> result = crossvalidate(BKT(random_state=0), log, n_folds=2)
        >>> len(result.folds), sorted(result.pooled)[:2]
        (2, ['auc', 'calibration_error'])
    """
    ys: list[NDArray[np.int8]] = []
    ps: list[NDArray[np.float64]] = []
    result = CVResult()
    for k, (train, test) in enumerate(student_folds(log, n_folds, random_state)):
        fresh = type(model)(**model.get_params())
        started = time.perf_counter()
        fresh.fit(log.select_students(train))
        fitted = time.perf_counter()
        held_out = log.select_students(test)
        p = fresh.predict_proba(held_out)
        done = time.perf_counter()
        scores = score_all(held_out.correct, p)
        scores["fit_seconds"] = fitted - started
        scores["predict_seconds"] = done - fitted
        result.folds.append(scores)
        ys.append(held_out.correct)
        ps.append(p)
        if on_fold is not None:
            on_fold(k)
    result.pooled = score_all(np.concatenate(ys), np.concatenate(ps))
    return result
