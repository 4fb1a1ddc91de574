"""Reviewer agreement checked against scipy's Friedman test; ranking with ties."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from pathways.engines.stats import kendall_w, rank_proposals


def test_kendall_w_equals_friedman_chi_square_over_m_n_minus_1() -> None:
    rng = np.random.default_rng(3)
    scores = rng.integers(4, 16, size=(4, 6))  # 4 reviewers x 6 proposals, with ties
    totals = {f"p{j}": {f"r{i}": float(scores[i, j]) for i in range(4)} for j in range(6)}
    chi2 = stats.friedmanchisquare(*[scores[:, j] for j in range(6)]).statistic
    assert kendall_w(totals) == pytest.approx(chi2 / (4 * (6 - 1)))


def test_only_reviewers_who_scored_everything_count() -> None:
    totals = {
        "A": {"r1": 10, "r2": 11, "r3": 2},
        "B": {"r1": 8, "r2": 9},
        "C": {"r1": 5, "r2": 6},
    }
    assert kendall_w(totals) == pytest.approx(1.0)  # r3 skipped: scored only A
    assert kendall_w({"A": {"r1": 1}, "B": {"r1": 2}}) is None
    assert kendall_w({"A": {"r1": 1, "r2": 2}}) is None


def test_ranking_shares_ranks_for_equal_means() -> None:
    rows = rank_proposals({"A": {"r1": 10}, "B": {"r1": 10}, "C": {"r1": 12}})
    assert [(r.proposal, r.rank) for r in rows] == [("C", 1), ("A", 2), ("B", 2)]
