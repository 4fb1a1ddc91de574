"""Survey comparisons checked against scipy (chi-square without continuity correction)."""

from __future__ import annotations

import pytest
from scipy import stats

from pathways.engines.stats import compare_items, holm, top_share, two_proportion_test

TOP = ["Agree a lot", "Mostly agree"]


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"), [(60, 100, 45, 100), (12, 30, 410, 800), (5, 9, 3, 11)]
)
def test_pooled_z_test_equals_the_uncorrected_chi_square(
    x1: int, n1: int, x2: int, n2: int
) -> None:
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    expected = stats.chi2_contingency(table, correction=False)[1]
    assert two_proportion_test(x1, n1, x2, n2) == pytest.approx(expected)


def test_holm_against_a_direct_computation() -> None:
    p = [0.001, 0.02, 0.03, 0.2, 0.04]
    # Sorted: 0.001*5, 0.02*4, 0.03*3, 0.04*2, 0.2*1, then running maximum.
    assert holm(p) == pytest.approx([0.005, 0.08, 0.09, 0.2, 0.09])


def test_top_share_ignores_blank_answers_and_case() -> None:
    assert top_share(["agree a lot ", "Disagree", " "], TOP) == (2, 0.5)
    assert top_share([], TOP) == (0, 0.0)


def test_compare_items_marks_only_differences_that_survive_holm() -> None:
    cohort = {
        "pacing": ["Agree a lot"] * 70 + ["Disagree"] * 30,
        "choice": ["Mostly agree"] * 52 + ["Disagree"] * 48,
    }
    benchmark = {
        "pacing": ["Agree a lot"] * 400 + ["Disagree"] * 600,
        "choice": ["Mostly agree"] * 500 + ["Disagree"] * 500,
    }
    rows = {r.item_id: r for r in compare_items(cohort, benchmark, TOP)}
    assert rows["pacing"].significant
    assert not rows["choice"].significant
    assert rows["pacing"].difference == pytest.approx(0.3)
    assert rows["pacing"].p_holm == pytest.approx(min(1.0, 2 * rows["pacing"].p_value))
    assert set(rows["pacing"].as_dict()) == {
        "item_id",
        "n",
        "share",
        "benchmark_n",
        "benchmark_share",
        "difference",
        "p_value",
        "p_holm",
        "significant",
    }


def test_an_item_missing_from_the_benchmark_is_not_significant() -> None:
    row = compare_items({"new": ["Agree a lot"] * 10}, {}, TOP)[0]
    assert (row.benchmark_n, row.p_value, row.significant) == (0, 1.0, False)
