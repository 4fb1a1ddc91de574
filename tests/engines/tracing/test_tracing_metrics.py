"""Scores: AUC agrees with counting pairs, calibration error and log loss behave as defined."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pathways.engines.tracing import auc, calibration_error, log_loss, rmse


def test_auc_is_the_share_of_correctly_ordered_pairs_with_ties_half() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 60)
    p = rng.integers(0, 5, 60) / 4  # many ties
    pairs = [
        1.0 if p[i] > p[j] else 0.5 if p[i] == p[j] else 0.0
        for i, j in itertools.product(np.flatnonzero(y == 1), np.flatnonzero(y == 0))
    ]
    assert auc(y, p) == pytest.approx(np.mean(pairs))


def test_auc_is_undefined_with_one_class() -> None:
    assert np.isnan(auc([1, 1], [0.2, 0.3]))


def test_perfectly_calibrated_bins_have_zero_error() -> None:
    y = np.array([1, 0, 0, 0, 1, 1, 1, 0])
    p = np.array([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75])
    assert calibration_error(y, p) == pytest.approx(0.0)
    assert calibration_error(y, np.clip(p + 0.1, 0, 1)) == pytest.approx(0.1)


def test_log_loss_and_rmse_of_a_coin() -> None:
    assert log_loss([0, 1], [0.5, 0.5]) == pytest.approx(np.log(2))
    assert rmse([0, 1], [0.5, 0.5]) == pytest.approx(0.5)


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="labels"):
        auc([0, 1], [0.5])
