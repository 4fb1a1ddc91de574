"""The solver never returns an infeasible schedule, and says why when a day is impossible."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.engines.scheduling import (
    Candidate,
    InfeasibleInstanceError,
    Instance,
    Modality,
    check_feasible,
    generate,
    objective,
    solve,
)
from pathways.engines.scheduling.cpsat import solve_exact
from pathways.engines.scheduling.formulation import build, decode


@st.composite
def tight_days(draw: st.DrawFn) -> Instance:
    """Small generated days with capacities and teachers squeezed at random."""
    day = generate(
        draw(st.integers(3, 14)),
        seed=draw(st.integers(0, 10_000)),
        sessions=draw(st.integers(1, 3)),
    )
    modalities = []
    for m in day.modalities:
        if m.kind == "seats":
            m = replace(m, capacity=draw(st.integers(0, len(day.students))))
        elif m.kind == "table":
            m = replace(m, tables=draw(st.integers(0, 3)))
        elif m.kind == "teacher_group":
            m = replace(m, min=draw(st.integers(1, 4)))
        modalities.append(m)
    keep = draw(st.integers(1, len(day.teachers)))
    return replace(day, modalities=tuple(modalities), teachers=day.teachers[:keep])


@given(tight_days())
@settings(max_examples=25, deadline=None)
def test_solved_schedules_are_always_feasible(day: Instance) -> None:
    try:
        result = solve(day, time_limit=0.3)
    except InfeasibleInstanceError:
        return  # allowed: squeezed days may be impossible (the message is tested below)
    assert check_feasible(day, result.schedule) == []
    assert result.objective == pytest.approx(objective(day, result.schedule))


def test_a_realistic_school_gets_a_feasible_local_search_schedule() -> None:
    day = generate(300, seed=11)
    result = solve(day, time_limit=1)
    assert check_feasible(day, result.schedule) == []
    assert result.method == "local search"
    tl = sum(a.modality == "TL" for a in result.schedule.assignments)
    assert tl > 0.15 * len(result.schedule.assignments)  # teacher groups are actually formed


def test_same_seed_gives_the_same_schedule() -> None:
    day = generate(150, seed=3)
    first = solve(day, time_limit=30, seed=1, max_rounds=15)
    assert solve(day, time_limit=30, seed=1, max_rounds=15).schedule == first.schedule


def test_small_days_are_solved_to_optimality() -> None:
    day = generate(8, seed=3, sessions=3)
    form = build(day, strong=True)
    exact = solve_exact(form, time_limit=20)
    assert exact.status == "optimal"
    assert exact.values is not None
    assert solve(day, time_limit=5).objective == pytest.approx(
        objective(day, decode(form, exact.values)), abs=1e-3
    )


def test_hand_made_day_is_solved(rivera_day: Instance) -> None:
    result = solve(rivera_day, time_limit=1)
    assert check_feasible(rivera_day, result.schedule) == []


def test_bound_and_gap_are_reported_when_asked() -> None:
    result = solve(generate(80, seed=2), time_limit=0.5, with_bound=True)
    assert result.bound is not None
    assert result.gap is not None
    assert 0 <= result.gap < 0.5


def test_student_with_too_few_candidates_is_named(rivera_day: Instance) -> None:
    rivera_day = rivera_day
    maya = replace(rivera_day.students[0], candidates=(Candidate("A-1", 1.0),))
    day = replace(rivera_day, students=(maya, *rivera_day.students[1:]))
    with pytest.raises(InfeasibleInstanceError, match="student maya has 1 candidate skills for 2"):
        solve(day, time_limit=1)


def test_too_few_places_are_reported_per_session(rivera_day: Instance) -> None:
    rivera_day = rivera_day
    day = replace(
        rivera_day,
        modalities=(Modality("IP", "seats", capacity=1), Modality("AS", "seats", capacity=1)),
    )
    day = replace(
        day, students=tuple(replace(s, effectiveness={"IP": 1, "AS": 1}) for s in day.students)
    )
    with pytest.raises(InfeasibleInstanceError, match="session 0 has places for at most"):
        solve(day, time_limit=1)


def test_impossible_groups_are_proved_infeasible(rivera_day: Instance) -> None:
    rivera_day = rivera_day
    # Four students, one teacher: a teacher group (min 2) and seats for one. Session 0 can seat
    # one student and lead a group of at most 3, which is fine, but the second session needs the
    # same again while nobody may repeat a modality: CP-SAT proves it impossible.
    day = replace(
        rivera_day,
        modalities=(
            Modality("TL", "teacher_group", min=2, max=3),
            Modality("IP", "seats", capacity=1),
        ),
        teachers=rivera_day.teachers[:1],
        students=tuple(replace(s, effectiveness={"TL": 1, "IP": 1}) for s in rivera_day.students),
    )
    with pytest.raises(InfeasibleInstanceError, match="proved by CP-SAT"):
        solve(day, time_limit=5)


def _seats_only_day(students: int = 12) -> Instance:
    """Seats with room for everyone: each student's day is a matching of modalities to
    skills, so the LP relaxation is integral and the optimum equals the LP bound."""
    from pathways.engines.scheduling import Skill, Student, Weights

    skills = tuple(Skill(f"K-{k}", "K", k, 0) for k in range(1, 6))
    codes = ("IP", "AS", "VT", "PW")
    people = []
    for i in range(students):
        candidates = tuple(
            Candidate(skills[(i + k) % 5].id, round(0.4 + ((i * 7 + k * 3) % 10) / 10, 2))
            for k in range(4)
        )
        effectiveness = {c: round(0.6 + ((i + 3 * n) % 5) / 10, 2) for n, c in enumerate(codes)}
        people.append(Student(f"s{i:02d}", candidates, effectiveness, (codes[i % 4],)))
    return Instance(
        sessions=3,
        weights=Weights(variety=0.15, homogeneity=0.2, teacher_band=0.1),
        skills=skills,
        modalities=tuple(Modality(c, "seats", capacity=students) for c in codes),
        teachers=(),
        students=tuple(people),
    )


def test_the_search_stops_when_the_schedule_reaches_the_lp_bound() -> None:
    day = _seats_only_day()
    result = solve(day, time_limit=120, with_bound=True)
    assert result.status == "optimal at bound"
    assert check_feasible(day, result.schedule) == []
    assert result.bound is not None
    assert result.gap is not None
    assert result.gap <= 1e-6
    # Without the shortcut the same day runs to CP-SAT's own proof instead.
    slow = solve(day, time_limit=120, with_bound=True, stop_at_bound=False, max_rounds=2)
    assert slow.status != "optimal at bound"
    assert slow.objective == pytest.approx(result.objective)


def test_cp_sat_stops_at_a_solution_that_reaches_the_bound() -> None:
    from pathways.engines.scheduling.bound import relax

    day = _seats_only_day(8)
    bound = relax(build(day)).value
    exact = solve_exact(build(day, strong=True), time_limit=120, target=bound)
    assert exact.status == "at bound"
    assert exact.values is not None
    schedule = decode(build(day, strong=True), exact.values)
    assert check_feasible(day, schedule) == []
    assert objective(day, schedule) == pytest.approx(bound, rel=1e-6)


def test_the_status_says_why_a_search_stopped_short_of_the_bound() -> None:
    day = generate(80, seed=5)  # groups: the plain LP bound is loose, so it is not reached
    result = solve(day, time_limit=120, with_bound=True, max_rounds=2)
    assert result.status == "round limit"
    assert result.gap is not None
    assert result.gap > 1e-6
