"""Run charts: a series against its median, with the usual rules for non-random patterns.

Rules (Institute for Healthcare Improvement, *The Run Chart*, Perla, Provost and Murray 2011):

- **shift**: six or more consecutive points on the same side of the median (points on the
  median neither break nor count toward a shift);
- **trend**: five or more consecutive points all going up or all going down (equal neighbours
  are skipped);
- **runs**: the number of runs (series of points on one side of the median) is compared with
  the range expected by chance, from the normal approximation to the runs distribution
  (``expected = 1 + 2 n1 n2 / (n1 + n2)``), flagging too few runs (clustering) or too many
  (oscillation).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

SHIFT_LENGTH = 6
TREND_LENGTH = 5
MIN_POINTS = 10  # fewer points: the rules are not applied


@dataclass(frozen=True)
class RunChart:
    values: tuple[float, ...]
    median: float
    shifts: tuple[tuple[int, int], ...]  # (first index, last index) of each shift
    trends: tuple[tuple[int, int], ...]
    runs: int
    runs_expected: tuple[int, int]  # (fewest, most) runs expected by chance
    enough_points: bool

    @property
    def signals(self) -> list[str]:
        """Plain-language non-random signals (empty when the series looks like noise)."""
        if not self.enough_points:
            return [f"fewer than {MIN_POINTS} points: too short to read signals from"]
        out = [f"shift: points {a + 1}-{b + 1} on one side of the median" for a, b in self.shifts]
        out += [f"trend: points {a + 1}-{b + 1} moving one way" for a, b in self.trends]
        low, high = self.runs_expected
        if self.runs < low:
            out.append(f"too few runs ({self.runs}, expected {low}-{high})")
        elif self.runs > high:
            out.append(f"too many runs ({self.runs}, expected {low}-{high})")
        return out


def run_chart(values: Sequence[float]) -> RunChart:
    """The median, shifts, trends and runs of a series (for example weekly pass rates).

    Example:
        >>> chart = run_chart([5, 4, 6, 5, 4, 6, 7, 8, 8, 9, 9, 10])
        >>> chart.median, chart.shifts, chart.runs
        (6.5, ((0, 5), (6, 11)), 2)
        >>> chart.signals[0]
        'shift: points 1-6 on one side of the median'
    """
    series = tuple(float(v) for v in values)
    if not series:
        return RunChart((), 0.0, (), (), 0, (0, 0), False)
    median = float(statistics.median(series))
    sides = [(i, 1 if v > median else -1) for i, v in enumerate(series) if v != median]
    shifts: list[tuple[int, int]] = []
    runs = 0
    start = 0
    for k in range(len(sides)):
        if k == 0 or sides[k][1] != sides[k - 1][1]:
            runs += 1
            start = k
        end_of_run = k == len(sides) - 1 or sides[k + 1][1] != sides[k][1]
        if end_of_run and k - start + 1 >= SHIFT_LENGTH:
            shifts.append((sides[start][0], sides[k][0]))
    trends = _trends(series)
    n1 = sum(1 for _, s in sides if s > 0)
    n2 = len(sides) - n1
    expected = _runs_range(n1, n2)
    return RunChart(
        series, median, tuple(shifts), tuple(trends), runs, expected, len(series) >= MIN_POINTS
    )


def _trends(series: tuple[float, ...]) -> list[tuple[int, int]]:
    steps = [
        (i, 1 if series[i] > series[i - 1] else -1)
        for i in range(1, len(series))
        if series[i] != series[i - 1]
    ]
    found: list[tuple[int, int]] = []
    start = 0
    for k in range(len(steps)):
        if k > 0 and steps[k][1] != steps[k - 1][1]:
            start = k
        end = k == len(steps) - 1 or steps[k + 1][1] != steps[k][1]
        # k - start + 1 steps in one direction join k - start + 2 points.
        if end and k - start + 2 >= TREND_LENGTH:
            found.append((steps[start][0] - 1, steps[k][0]))
    return found


def _runs_range(n1: int, n2: int) -> tuple[int, int]:
    n = n1 + n2
    if n1 == 0 or n2 == 0:
        return (1, 1)
    mean = 1 + 2 * n1 * n2 / n
    var = 2 * n1 * n2 * (2 * n1 * n2 - n) / (n * n * (n - 1)) if n > 1 else 0.0
    sd = math.sqrt(max(var, 0.0))
    return (max(1, math.ceil(mean - 1.96 * sd)), math.floor(mean + 1.96 * sd))
