"""The effect of a change: difference in mean gain between trying and comparison students.

Two intervals, and a rule for which one a cycle reports (:func:`estimate_effect`):

- **Welch** (:func:`welch_effect`): students as independent units, unequal variances, the
  Welch-Satterthwaite degrees of freedom and a t quantile. Right when students were assigned
  individually, or as the fallback when there are too few classes to resample.
- **Cluster bootstrap over sections** (:func:`cluster_bootstrap_effect`): classes are resampled
  with replacement within each arm (students stay with their class), the difference in student
  means is recomputed each time, and the 2.5th and 97.5th percentiles give the interval. Students
  of one class share a teacher and a timetable, so they are not independent; resampling whole
  classes keeps that dependence in the interval. It needs several classes per arm to mean
  anything, hence :data:`BOOTSTRAP_MIN_CLUSTERS`.

Whatever the method, the result carries ``flags``: plain-language warnings that a reader must see
next to the number (small arms, one class per arm, an interval that includes zero).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

# Fewer students than this in either arm: the result is flagged as a small sample.
SMALL_SAMPLE = 20
# Classes needed in each arm before the cluster bootstrap is used instead of Welch.
BOOTSTRAP_MIN_CLUSTERS = 4


@dataclass(frozen=True)
class Effect:
    """Difference in means (trying minus comparison) with its interval and warnings."""

    difference: float
    low: float
    high: float
    method: str  # "welch" or "cluster_bootstrap"
    n_trying: int
    n_comparison: int
    mean_trying: float
    mean_comparison: float
    clusters_trying: int = 0
    clusters_comparison: int = 0
    level: float = 0.95
    flags: tuple[str, ...] = field(default=())
    unit: str = "students"  # what one value is: students, teachers, observations

    @property
    def includes_zero(self) -> bool:
        return self.low <= 0.0 <= self.high


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(np.asarray(values, dtype=float)))


def welch_effect(
    trying: Sequence[float],
    comparison: Sequence[float],
    *,
    level: float = 0.95,
    unit: str = "students",
) -> Effect:
    """Welch's interval for the difference in means, students as independent units.

    Example:
        >>> e = welch_effect([0.30, 0.25, 0.40, 0.35, 0.20], [0.10, 0.15, 0.05, 0.20])
        >>> round(e.difference, 3), round(e.low, 3), round(e.high, 3), e.method
        (0.175, 0.062, 0.288, 'welch')
        >>> "small sample" in e.flags[0]
        True
    """
    t = np.asarray(trying, dtype=float)
    c = np.asarray(comparison, dtype=float)
    if len(t) < 2 or len(c) < 2:
        raise ValueError(f"each arm needs at least two {unit}")
    diff = float(t.mean() - c.mean())
    vt, vc = float(t.var(ddof=1)) / len(t), float(c.var(ddof=1)) / len(c)
    se = math.sqrt(vt + vc)
    if se == 0.0:
        low = high = diff
    else:
        df = (vt + vc) ** 2 / (vt**2 / (len(t) - 1) + vc**2 / (len(c) - 1))
        q = float(stats.t.ppf(0.5 + level / 2, df))
        low, high = diff - q * se, diff + q * se
    effect = Effect(
        difference=diff,
        low=low,
        high=high,
        method="welch",
        n_trying=len(t),
        n_comparison=len(c),
        mean_trying=float(t.mean()),
        mean_comparison=float(c.mean()),
        level=level,
        unit=unit,
    )
    return _flagged(effect)


def cluster_bootstrap_effect(
    trying: Mapping[str, Sequence[float]],
    comparison: Mapping[str, Sequence[float]],
    *,
    level: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
    unit: str = "students",
) -> Effect:
    """Percentile interval from resampling whole classes (clusters) within each arm.

    ``trying`` and ``comparison`` map a class (any label) to its students' gains. The point
    estimate is the plain difference in student means; each resample draws as many classes as
    the arm has, with replacement, and pools their students.

    Example:
        >>> trying = {"A": [0.3, 0.4, 0.35], "B": [0.2, 0.3], "C": [0.5, 0.45], "D": [0.3, 0.3]}
        >>> comparison = {"E": [0.1, 0.2], "F": [0.15, 0.1, 0.05], "G": [0.2, 0.25], "H": [0.1]}
        >>> e = cluster_bootstrap_effect(trying, comparison, seed=1)
        >>> e.method, round(e.difference, 3), e.low > 0, e.clusters_trying
        ('cluster_bootstrap', 0.201, True, 4)
    """
    t_groups = [np.asarray(v, dtype=float) for v in trying.values() if len(v)]
    c_groups = [np.asarray(v, dtype=float) for v in comparison.values() if len(v)]
    if not t_groups or not c_groups:
        raise ValueError("each arm needs at least one class with students")
    t_all, c_all = np.concatenate(t_groups), np.concatenate(c_groups)
    rng = np.random.default_rng(seed)
    t_sum = np.array([g.sum() for g in t_groups])
    t_n = np.array([len(g) for g in t_groups])
    c_sum = np.array([g.sum() for g in c_groups])
    c_n = np.array([len(g) for g in c_groups])
    ti = rng.integers(0, len(t_groups), size=(resamples, len(t_groups)))
    ci = rng.integers(0, len(c_groups), size=(resamples, len(c_groups)))
    diffs = t_sum[ti].sum(axis=1) / t_n[ti].sum(axis=1) - c_sum[ci].sum(axis=1) / c_n[ci].sum(
        axis=1
    )
    alpha = 1.0 - level
    low, high = (float(x) for x in np.quantile(diffs, [alpha / 2, 1 - alpha / 2]))
    effect = Effect(
        difference=float(t_all.mean() - c_all.mean()),
        low=low,
        high=high,
        method="cluster_bootstrap",
        n_trying=len(t_all),
        n_comparison=len(c_all),
        mean_trying=float(t_all.mean()),
        mean_comparison=float(c_all.mean()),
        clusters_trying=len(t_groups),
        clusters_comparison=len(c_groups),
        level=level,
        unit=unit,
    )
    return _flagged(effect)


def estimate_effect(
    trying: Mapping[str, Sequence[float]],
    comparison: Mapping[str, Sequence[float]],
    *,
    level: float = 0.95,
    seed: int = 0,
    unit: str = "students",
) -> Effect:
    """The effect a PDSA cycle reports: the cluster bootstrap with enough classes, else Welch.

    With at least :data:`BOOTSTRAP_MIN_CLUSTERS` classes in each arm the classes are resampled;
    with fewer, resampling two or three classes gives a meaningless interval, so Welch is used
    on the students and the result is flagged: classes differ in more than the change tried.

    Example:
        >>> e = estimate_effect({"Room 101": [0.3, 0.4, 0.2]}, {"Room 103": [0.1, 0.2, 0.0]})
        >>> e.method, round(e.difference, 2)
        ('welch', 0.2)
        >>> any("one class" in flag for flag in e.flags)
        True
    """
    t_clusters = sum(1 for v in trying.values() if len(v))
    c_clusters = sum(1 for v in comparison.values() if len(v))
    if min(t_clusters, c_clusters) >= BOOTSTRAP_MIN_CLUSTERS:
        return cluster_bootstrap_effect(trying, comparison, level=level, seed=seed, unit=unit)
    effect = welch_effect(
        [x for v in trying.values() for x in v],
        [x for v in comparison.values() for x in v],
        level=level,
        unit=unit,
    )
    effect = Effect(
        **{**effect.__dict__, "clusters_trying": t_clusters, "clusters_comparison": c_clusters}
    )
    return _flagged(effect)


def _flagged(effect: Effect) -> Effect:
    flags: list[str] = []
    smallest = min(effect.n_trying, effect.n_comparison)
    if smallest < SMALL_SAMPLE:
        flags.append(
            f"small sample: {smallest} {effect.unit} in the smaller group (fewer than"
            f" {SMALL_SAMPLE}); treat the result as a signal to test again, not a finding"
        )
    if effect.method == "welch" and min(effect.clusters_trying, effect.clusters_comparison) > 0:
        if min(effect.clusters_trying, effect.clusters_comparison) == 1:
            flags.append(
                "one class in a group: the effect cannot be separated from differences between"
                f" the classes (teacher, timetable) and the interval treats {effect.unit} as"
                " independent"
            )
        elif min(effect.clusters_trying, effect.clusters_comparison) < BOOTSTRAP_MIN_CLUSTERS:
            flags.append(
                f"fewer than {BOOTSTRAP_MIN_CLUSTERS} classes in a group: the interval treats"
                f" {effect.unit} as independent and is likely too narrow"
            )
    if effect.low == effect.high:
        flags.append(
            "no variation within the groups: the interval has no width and says nothing about"
            " chance; collect more before reading it"
        )
    elif effect.includes_zero:
        flags.append("the interval includes zero: no difference is also consistent with the data")
    return Effect(**{**effect.__dict__, "flags": tuple(flags)})
