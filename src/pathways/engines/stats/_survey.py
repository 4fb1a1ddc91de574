"""Survey items against a benchmark: share in the top categories, z-test, Holm correction.

As in the report's Figures 1-3: for each Likert item, the share of respondents answering one of
the top categories (for example "Agree a lot" or "Mostly agree") in a cohort and in a national
benchmark sample; the difference; a pooled two-proportion z-test (two-sided); and Holm's
step-down correction over the items so that asking more items does not find more differences.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scipy import stats


@dataclass(frozen=True)
class ItemComparison:
    item_id: str
    n: int
    share: float
    benchmark_n: int
    benchmark_share: float
    difference: float
    p_value: float
    p_holm: float
    significant: bool

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def top_share(answers: Iterable[str], top: Iterable[str]) -> tuple[int, float]:
    """(respondents, share answering one of ``top``); blank answers are not counted.

    Example:
        >>> top = ["Agree a lot", "Mostly agree"]
        >>> top_share(["Agree a lot", "Mostly agree", "Disagree", ""], top)
        (3, 0.6666666666666666)
    """
    wanted = {t.strip().casefold() for t in top}
    given = [a.strip().casefold() for a in answers if a and a.strip()]
    if not given:
        return 0, 0.0
    return len(given), sum(1 for a in given if a in wanted) / len(given)


def two_proportion_test(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test.

    Example:
        >>> round(two_proportion_test(60, 100, 45, 100), 4)
        0.0337
    """
    if n1 == 0 or n2 == 0:
        return 1.0
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0.0:
        return 1.0
    z = (x1 / n1 - x2 / n2) / se
    return float(2 * stats.norm.sf(abs(z)))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values, in the order given (monotone, capped at 1).

    Example:
        >>> [round(p, 6) for p in holm([0.01, 0.04, 0.03])]
        [0.03, 0.06, 0.06]
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def compare_items(
    cohort: Mapping[str, Sequence[str]],
    benchmark: Mapping[str, Sequence[str]],
    top: Iterable[str],
    *,
    alpha: float = 0.05,
) -> list[ItemComparison]:
    """Compare each item answered by the cohort with the benchmark's answers to it.

    ``cohort`` and ``benchmark`` map an item id to its answers. Items the benchmark lacks are
    compared against nothing (n 0, p 1).

    Example:
        >>> top = ["Agree a lot", "Mostly agree"]
        >>> ours = {"pace": ["Agree a lot"] * 60 + ["Disagree"] * 40}
        >>> national = {"pace": ["Mostly agree"] * 45 + ["Disagree"] * 55}
        >>> row = compare_items(ours, national, top)[0]
        >>> row.share, row.benchmark_share, round(row.difference, 2), row.significant
        (0.6, 0.45, 0.15, True)
    """
    top = list(top)
    rows = []
    for item_id in sorted(cohort):
        n, share = top_share(cohort[item_id], top)
        bn, bshare = top_share(benchmark.get(item_id, ()), top)
        p = two_proportion_test(round(share * n), n, round(bshare * bn), bn)
        rows.append((item_id, n, share, bn, bshare, p))
    adjusted = holm([r[5] for r in rows])
    return [
        ItemComparison(
            item_id=item_id,
            n=n,
            share=share,
            benchmark_n=bn,
            benchmark_share=bshare,
            difference=share - bshare,
            p_value=p,
            p_holm=ph,
            significant=ph < alpha,
        )
        for (item_id, n, share, bn, bshare, p), ph in zip(rows, adjusted, strict=True)
    ]
