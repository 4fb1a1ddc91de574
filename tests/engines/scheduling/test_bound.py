"""The LP bound is a valid upper bound: never below any feasible schedule, optimal ones included."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from pathways.engines.scheduling import (
    InfeasibleInstanceError,
    Instance,
    Schedule,
    check_feasible,
    generate,
    objective,
    solve,
    upper_bound,
)
from pathways.engines.scheduling.cpsat import solve_exact
from pathways.engines.scheduling.formulation import build, decode, encode


def test_bound_is_above_the_hand_made_plan(rivera_day: Instance, rivera_plan: Schedule) -> None:
    assert upper_bound(rivera_day) >= objective(rivera_day, rivera_plan) - 1e-9


@pytest.mark.parametrize(
    ("students", "sessions", "seed"), [(5, 2, 0), (8, 2, 2), (6, 3, 2), (8, 3, 3)]
)
def test_bound_is_above_the_proven_optimum_of_tiny_days(
    students: int, sessions: int, seed: int
) -> None:
    day = generate(students, seed=seed, sessions=sessions)
    form = build(day, strong=True)
    exact = solve_exact(form, time_limit=20)
    assert exact.status == "optimal"
    assert exact.values is not None
    best = decode(form, exact.values)
    assert check_feasible(day, best) == []
    optimum = objective(day, best)
    assert upper_bound(day) >= optimum - 1e-6
    # The join rows only cut off fractional points: the strong relaxation sits in between.
    assert upper_bound(day) + 1e-6 >= upper_bound(day, strong=True) >= optimum - 1e-6


@given(st.integers(12, 60), st.integers(0, 10_000), st.integers(1, 3))
@settings(max_examples=8, deadline=None)
def test_bound_is_above_every_solved_schedule(students: int, seed: int, sessions: int) -> None:
    day = generate(students, seed=seed, sessions=sessions)
    try:
        result = solve(day, time_limit=0.2)
    except InfeasibleInstanceError:
        reject()  # a tiny generated day can be impossible; nothing to compare
    assert upper_bound(day) >= result.objective - 1e-6


def test_every_feasible_schedule_is_an_integer_point_of_the_program_with_its_objective() -> None:
    # This is the heart of the validity proof: encode() maps a feasible schedule to an integer
    # point satisfying every row, with the same objective; the LP optimizes over a superset.
    day = generate(120, seed=9)
    plan = solve(day, time_limit=0.5).schedule
    form = build(day)
    x = encode(form, plan)
    assert np.all(form.a_ub @ x <= form.b_ub + 1e-9)
    assert np.allclose(form.a_eq @ x, form.b_eq)
    assert np.all((x >= 0) & (x <= form.upper))
    assert form.c @ x == pytest.approx(objective(day, plan))


def test_every_integer_point_decodes_into_a_feasible_schedule_with_its_objective() -> None:
    day = generate(10, seed=4, sessions=2)
    form = build(day, strong=True)
    exact = solve_exact(form, time_limit=10)
    assert exact.values is not None
    plan = decode(form, exact.values)
    assert check_feasible(day, plan) == []
    assert objective(day, plan) == pytest.approx(form.c @ np.rint(exact.values))
