"""Design competitions: ranking proposals by reviewers' rubric totals, and how far reviewers agree.

Agreement is **Kendall's W** (coefficient of concordance) over the reviewers who scored every
proposal: 0 when their rankings are unrelated, 1 when they rank the proposals identically. Ties
get average ranks and the usual tie correction, so W equals Friedman's chi-square divided by
``m (n - 1)`` (m reviewers, n proposals). With fewer than two complete reviewers or proposals
there is nothing to agree on and W is ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Ranked:
    proposal: str
    mean_total: float
    reviewers: int
    rank: int  # 1 = best; equal means share a rank


def rank_proposals(totals: Mapping[str, Mapping[str, float]]) -> list[Ranked]:
    """Proposals by mean rubric total over their reviewers, best first (ties share a rank).

    ``totals`` maps a proposal to {reviewer: total score}. Proposals nobody scored come last.

    Example:
        >>> rows = rank_proposals({"A": {"r1": 10, "r2": 12}, "B": {"r1": 14}, "C": {}})
        >>> [(r.proposal, r.mean_total, r.rank) for r in rows]
        [('B', 14.0, 1), ('A', 11.0, 2), ('C', 0.0, 3)]
    """
    means = {p: (float(np.mean(list(s.values()))) if s else None) for p, s in totals.items()}
    order = sorted(means, key=lambda p: (means[p] is None, -(means[p] or 0.0), p))
    out: list[Ranked] = []
    for position, proposal in enumerate(order, start=1):
        mean = means[proposal]
        previous = out[-1] if out else None
        rank = (
            previous.rank
            if previous is not None and mean is not None and previous.mean_total == mean
            else position
        )
        out.append(Ranked(proposal, mean if mean is not None else 0.0, len(totals[proposal]), rank))
    return out


def kendall_w(totals: Mapping[str, Mapping[str, float]]) -> float | None:
    """Kendall's W over reviewers who scored every proposal (tie-corrected).

    Example:
        >>> same = {"A": {"r1": 3, "r2": 9}, "B": {"r1": 2, "r2": 5}, "C": {"r1": 1, "r2": 4}}
        >>> kendall_w(same)
        1.0
        >>> round(kendall_w({"A": {"r1": 3, "r2": 1}, "B": {"r1": 1, "r2": 3}}), 3)
        0.0
    """
    proposals = sorted(totals)
    if len(proposals) < 2:
        return None
    reviewers = sorted(set.intersection(*(set(totals[p]) for p in proposals)))
    m, n = len(reviewers), len(proposals)
    if m < 2:
        return None
    ranks = np.array(
        [stats.rankdata([totals[p][r] for p in proposals]) for r in reviewers], dtype=float
    )
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ties = 0.0
    for row in ranks:
        _, counts = np.unique(row, return_counts=True)
        ties += float((counts**3 - counts).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator == 0:
        return None
    return 12 * s / denominator
