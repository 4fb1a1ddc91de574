"""The checker: a hand-made day at Rivera's school, and every kind of violation it must catch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from pathways.engines.scheduling import (
    Assignment,
    Group,
    Instance,
    Schedule,
    check_feasible,
    objective,
)


def test_the_hand_made_plan_is_feasible(rivera_day: Instance, rivera_plan: Schedule) -> None:
    assert check_feasible(rivera_day, rivera_plan) == []


def test_objective_adds_value_times_effectiveness_penalties_and_band_bonus(
    rivera_day: Instance, rivera_plan: Schedule
) -> None:
    maya = 1.0 * 2 + 0.3 + (0.8 - 0.1)  # anchor, band match; IP was yesterday's
    leo = 0.5 * 2 - 0.2 + 0.3 + 0.8  # adjacent to the anchor
    ana = 0.8 + 1.0
    sam = 0.8 + 0.5
    assert objective(rivera_day, rivera_plan) == pytest.approx(maya + leo + ana + sam)


def _edit(who: str, when: int, **changes: object) -> Callable[[Schedule], Schedule]:
    def apply(plan: Schedule) -> Schedule:
        rows = tuple(
            replace(a, **changes) if (a.student, a.session) == (who, when) else a  # type: ignore[arg-type]
            for a in plan.assignments
        )
        return replace(plan, assignments=rows)

    return apply


def _drop(student: str, session: int) -> Callable[[Schedule], Schedule]:
    def apply(plan: Schedule) -> Schedule:
        rows = tuple(a for a in plan.assignments if (a.student, a.session) != (student, session))
        return replace(plan, assignments=rows)

    return apply


def _groups(*groups: Group) -> Callable[[Schedule], Schedule]:
    def apply(plan: Schedule) -> Schedule:
        keep = {g.id: g for g in plan.groups}
        keep.update({g.id: g for g in groups})
        return replace(plan, groups=tuple(keep.values()))

    return apply


@pytest.mark.parametrize(
    ("name", "mutate", "rule", "text"),
    [
        (
            "student misses a session",
            _drop("maya", 1),
            1,
            "student maya in session 1: 0 assignments",
        ),
        (
            "student twice in a session",
            lambda p: replace(p, assignments=(*p.assignments, Assignment("ana", 1, "IP", "A-2"))),
            1,
            "student ana in session 1: 2 assignments",
        ),
        ("skill not a candidate", _edit("maya", 1, skill="A-3"), 2, "A-3 is not a candidate"),
        ("same skill twice", _edit("maya", 1, skill="A-1"), 2, "skill A-1 used 2 times"),
        (
            "same modality twice",
            lambda p: _edit("ana", 1, modality="PC", group="g4")(
                _groups(Group("g4", 1, "PC", skill="A-1"))(p)
            ),
            2,
            "modality PC used 2 times",
        ),
        ("teacher group too small", _edit("leo", 0, modality="IP", group=None), 3, "1 students"),
        (
            "teacher group skill far from anchor",
            _edit("leo", 0, skill="B-1"),
            3,
            "skill B-1 is neither anchor A-1 of group g1 nor adjacent",
        ),
        (
            "teacher not available",
            _groups(Group("g1", 0, "TL", teacher="nobody", anchor="A-1")),
            3,
            "unknown teacher 'nobody'",
        ),
        (
            "teacher off in that session",
            lambda p: _groups(Group("g3", 1, "PW", teachers=("chen",)))(p),
            3,
            "teacher chen is not available",
        ),
        ("teacher group needs a group", _edit("maya", 0, group=None), 3, "TL needs a group"),
        ("table on another skill", _edit("ana", 0, skill="A-1"), 3, "works on A-1 at table g2"),
        (
            "too many tables",
            lambda p: _edit("sam", 0, group="g4")(_groups(Group("g4", 0, "PC", skill="B-1"))(p)),
            3,
            "2 table groups, at most 1",
        ),
        (
            "seats over capacity",
            _edit("ana", 1, modality="IP", group=None),
            3,
            "3 students in seats",
        ),
        ("seats take no group", _edit("maya", 1, group="g3"), 3, "seats (IP) take no group"),
        (
            "supervisors missing",
            _groups(Group("g3", 1, "PW", teachers=())),
            3,
            "2 students need 1 supervising teachers, 0 listed",
        ),
        (
            "teacher in two groups",
            _groups(Group("g4", 0, "PW", teachers=("rivera",))),
            4,
            "teacher rivera in session 0: in groups g1 and g4",
        ),
        ("unknown student", _edit("maya", 1, student="zoe"), 0, "unknown student"),
    ],
)
def test_checker_rejects(
    name: str,
    mutate: Callable[[Schedule], Schedule],
    rule: int,
    text: str,
    rivera_day: Instance,
    rivera_plan: Schedule,
) -> None:
    violations = check_feasible(rivera_day, mutate(rivera_plan))
    assert any(v.rule == rule and text in str(v) for v in violations), (name, violations)
