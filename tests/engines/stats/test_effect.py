"""PDSA effects checked against scipy's own computations on fixed data."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from pathways.engines.stats import (
    BOOTSTRAP_MIN_CLUSTERS,
    cluster_bootstrap_effect,
    estimate_effect,
    welch_effect,
)

RNG = np.random.default_rng(7)
TRYING = list(RNG.normal(0.25, 0.1, 40))
COMPARISON = list(RNG.normal(0.15, 0.12, 35))


def test_welch_matches_scipy() -> None:
    effect = welch_effect(TRYING, COMPARISON)
    reference = stats.ttest_ind(TRYING, COMPARISON, equal_var=False).confidence_interval(0.95)
    assert effect.difference == pytest.approx(np.mean(TRYING) - np.mean(COMPARISON))
    assert effect.low == pytest.approx(reference.low)
    assert effect.high == pytest.approx(reference.high)
    assert effect.flags == ()  # 35+ students each, interval clear of zero


def test_welch_at_90_percent_matches_scipy() -> None:
    effect = welch_effect(TRYING[:8], COMPARISON[:6], level=0.9)
    reference = stats.ttest_ind(TRYING[:8], COMPARISON[:6], equal_var=False).confidence_interval(
        0.9
    )
    assert (effect.low, effect.high) == pytest.approx((reference.low, reference.high))
    assert any(flag.startswith("small sample") for flag in effect.flags)


def test_welch_needs_two_students_per_arm() -> None:
    with pytest.raises(ValueError, match="at least two"):
        welch_effect([0.1], [0.2, 0.3])


def test_identical_values_give_a_zero_width_interval() -> None:
    effect = welch_effect([0.5, 0.5, 0.5], [0.5, 0.5])
    assert (effect.low, effect.difference, effect.high) == (0.0, 0.0, 0.0)
    assert effect.includes_zero


def _clusters(means: list[float], size: int, seed: int) -> dict[str, list[float]]:
    rng = np.random.default_rng(seed)
    return {f"class {i}": list(rng.normal(m, 0.05, size)) for i, m in enumerate(means)}


def test_cluster_bootstrap_is_wider_than_welch_when_classes_differ() -> None:
    # Class means vary a lot: students are not independent, Welch is too narrow.
    trying = _clusters([0.1, 0.4, 0.2, 0.35, 0.15], 25, 1)
    comparison = _clusters([0.05, 0.3, 0.1, 0.25, 0.2], 25, 2)
    boot = cluster_bootstrap_effect(trying, comparison, seed=3)
    naive = welch_effect(
        [x for v in trying.values() for x in v], [x for v in comparison.values() for x in v]
    )
    assert boot.difference == pytest.approx(naive.difference)
    assert (boot.high - boot.low) > 1.5 * (naive.high - naive.low)
    assert boot.low <= boot.difference <= boot.high


def test_cluster_bootstrap_matches_an_independent_resampling() -> None:
    trying = _clusters([0.3, 0.35, 0.25, 0.3], 10, 4)
    comparison = _clusters([0.2, 0.15, 0.25, 0.2], 10, 5)
    effect = cluster_bootstrap_effect(trying, comparison, seed=11, resamples=4000)
    # scipy's bootstrap over the class means (equal class sizes: same statistic).
    t_means = [np.mean(v) for v in trying.values()]
    c_means = [np.mean(v) for v in comparison.values()]
    reference = stats.bootstrap(
        (t_means, c_means),
        lambda a, b, axis: np.mean(a, axis=axis) - np.mean(b, axis=axis),
        method="percentile",
        n_resamples=4000,
        random_state=np.random.default_rng(11),
    ).confidence_interval
    assert effect.low == pytest.approx(reference.low, abs=0.01)
    assert effect.high == pytest.approx(reference.high, abs=0.01)


def test_estimate_effect_picks_the_method_by_number_of_classes() -> None:
    few = estimate_effect({"A": TRYING[:20], "B": TRYING[20:]}, {"C": COMPARISON})
    assert few.method == "welch"
    assert few.clusters_trying == 2
    assert few.clusters_comparison == 1
    assert any("one class" in f for f in few.flags)
    many = estimate_effect(
        _clusters([0.3] * BOOTSTRAP_MIN_CLUSTERS, 10, 8),
        _clusters([0.2] * BOOTSTRAP_MIN_CLUSTERS, 10, 9),
    )
    assert many.method == "cluster_bootstrap"


def test_the_seed_makes_the_bootstrap_reproducible() -> None:
    trying = _clusters([0.3, 0.35, 0.25, 0.3], 10, 4)
    comparison = _clusters([0.2, 0.15, 0.25, 0.2], 10, 5)
    assert cluster_bootstrap_effect(trying, comparison, seed=2) == cluster_bootstrap_effect(
        trying, comparison, seed=2
    )
