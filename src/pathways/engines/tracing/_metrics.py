"""Scores for probabilistic predictions of correctness: AUC, RMSE, log loss, calibration error."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["auc", "calibration_error", "log_loss", "rmse", "score_all"]


def _arrays(y_true: ArrayLike, p: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    y = np.asarray(y_true, dtype=np.float64).ravel()
    q = np.asarray(p, dtype=np.float64).ravel()
    if y.shape != q.shape:
        raise ValueError(f"{len(y)} labels but {len(q)} predictions")
    if len(y) == 0:
        raise ValueError("no predictions to score")
    return y, q


def auc(y_true: ArrayLike, p: ArrayLike) -> float:
    """Area under the ROC curve (ties count one half); NaN when only one class is present.

    Example:
        >>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.75
    """
    y, q = _arrays(y_true, p)
    positives = float(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(q, kind="mergesort")
    sorted_q = q[order]
    # Average ranks for ties.
    first = np.ones(len(q), dtype=bool)
    first[1:] = sorted_q[1:] != sorted_q[:-1]
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], len(q))
    mean_rank = (starts + ends + 1) / 2.0
    ranks = np.empty(len(q))
    ranks[order] = np.repeat(mean_rank, ends - starts)
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def rmse(y_true: ArrayLike, p: ArrayLike) -> float:
    """Root mean squared error of the probabilities.

    Example:
        >>> rmse([0, 1], [0.0, 0.5])
        0.3535533905932738
    """
    y, q = _arrays(y_true, p)
    return float(np.sqrt(np.mean((y - q) ** 2)))


def log_loss(y_true: ArrayLike, p: ArrayLike, eps: float = 1e-15) -> float:
    """Mean negative log-likelihood (natural log), probabilities clipped to [eps, 1 - eps].

    Example:
        >>> round(log_loss([1, 0], [0.5, 0.5]), 4)
        0.6931
    """
    y, q = _arrays(y_true, p)
    q = np.clip(q, eps, 1 - eps)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log1p(-q)))


def calibration_error(y_true: ArrayLike, p: ArrayLike, bins: int = 10) -> float:
    """Expected calibration error: the count-weighted mean gap between predicted probability and
    observed frequency over ``bins`` equal-width probability bins.

    Example:
        >>> calibration_error([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])
        0.0
        >>> calibration_error([0, 1, 1, 1], [0.25, 0.75, 0.75, 0.75])
        0.25
    """
    y, q = _arrays(y_true, p)
    which = np.minimum((q * bins).astype(np.int64), bins - 1)
    gap = np.bincount(which, q - y, minlength=bins)
    return float(np.abs(gap).sum() / len(y))


def score_all(y_true: ArrayLike, p: ArrayLike) -> dict[str, float]:
    """Every score by name: ``auc``, ``rmse``, ``log_loss``, ``calibration_error``."""
    return {
        "auc": auc(y_true, p),
        "rmse": rmse(y_true, p),
        "log_loss": log_loss(y_true, p),
        "calibration_error": calibration_error(y_true, p),
    }
