"""Run chart rules: median, shifts of six, trends of five, number of runs."""

from __future__ import annotations

from pathways.engines.stats import run_chart


def test_points_on_the_median_neither_break_nor_count_toward_a_shift() -> None:
    chart = run_chart([1, 1, 1, 5, 1, 1, 1, 9, 9, 9, 5, 9, 9, 9])
    assert chart.median == 5.0
    assert chart.shifts == ((0, 6), (7, 13))


def test_a_trend_of_five_points() -> None:
    chart = run_chart([3, 3, 1, 2, 3, 4, 5, 3, 3, 3])
    assert chart.trends == ((2, 6),)
    assert "trend: points 3-7 moving one way" in chart.signals


def test_random_looking_series_has_no_signals() -> None:
    chart = run_chart([4, 7, 8, 5, 3, 6, 7, 4, 5, 8, 6, 4])
    assert chart.signals == []
    low, high = chart.runs_expected
    assert low <= chart.runs <= high


def test_oscillation_shows_too_many_runs() -> None:
    chart = run_chart([1, 9] * 8)
    assert chart.runs == 16
    assert any(s.startswith("too many runs") for s in chart.signals)


def test_short_series_is_not_read() -> None:
    assert run_chart([1, 2, 3]).signals == ["fewer than 10 points: too short to read signals from"]
    assert run_chart([]).values == ()
