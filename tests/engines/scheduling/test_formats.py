"""Instance and schedule files: round trips, unknown keys ignored, errors that say where and why."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.engines.errors import InputError
from pathways.engines.scheduling import (
    Assignment,
    Candidate,
    Group,
    Instance,
    Modality,
    Schedule,
    Skill,
    Student,
    Teacher,
    Weights,
    dump_instance,
    dump_schedule,
    generate,
    parse_instance,
    parse_schedule,
)

ids = st.text(alphabet="abcdefgh0123456789-", min_size=1, max_size=6)
finite = st.floats(min_value=-5, max_value=5, allow_nan=False)


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    sessions = draw(st.integers(1, 3))
    skill_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    skills = tuple(
        Skill(
            k, draw(st.sampled_from(["A", "B"])), draw(st.integers(0, 9)), draw(st.integers(0, 2))
        )
        for k in skill_ids
    )
    modalities = tuple(
        draw(
            st.sampled_from(
                [
                    Modality(code, "teacher_group", min=2, max=6),
                    Modality(code, "table", min=1, max=3, tables=draw(st.integers(0, 4))),
                    Modality(code, "seats", capacity=draw(st.integers(0, 30))),
                    Modality(code, "supervised", per_teacher=draw(st.integers(1, 30))),
                ]
            )
        )
        for code in draw(st.lists(st.sampled_from(["TL", "PC", "IP", "AS"]), unique=True))
    )
    teachers = tuple(
        Teacher(
            t,
            draw(st.integers(0, 2)),
            tuple(draw(st.lists(st.booleans(), min_size=sessions, max_size=sessions))),
        )
        for t in draw(st.lists(ids, max_size=3, unique=True))
    )
    students = tuple(
        Student(
            sid,
            tuple(
                Candidate(k, draw(finite))
                for k in draw(st.lists(st.sampled_from(skill_ids), unique=True))
            ),
            {m.code: draw(finite) for m in modalities},
            tuple(draw(st.lists(st.sampled_from(["TL", "PC", "XX"]), max_size=2))),
        )
        for sid in draw(st.lists(ids, max_size=4, unique=True))
    )
    return Instance(
        sessions,
        Weights(draw(finite), draw(finite), draw(finite)),
        skills,
        modalities,
        teachers,
        students,
    )


schedules = st.builds(
    Schedule,
    st.lists(
        st.builds(
            Group,
            ids,
            st.integers(0, 3),
            ids,
            st.none() | ids,
            st.none() | ids,
            st.none() | ids,
            st.none() | st.lists(ids, max_size=2).map(tuple),
        )
    ).map(tuple),
    st.lists(st.builds(Assignment, ids, st.integers(0, 3), ids, ids, st.none() | ids)).map(tuple),
)


@given(instances())
@settings(max_examples=60, deadline=None)
def test_instance_survives_dump_and_parse(instance: Instance) -> None:
    assert parse_instance(dump_instance(instance)) == instance


@given(schedules)
@settings(max_examples=60, deadline=None)
def test_schedule_survives_dump_and_parse(schedule: Schedule) -> None:
    assert parse_schedule(dump_schedule(schedule)) == schedule


def test_generated_instance_survives_round_trip_through_json_types() -> None:
    day = generate(40, seed=5)
    assert parse_instance(copy.deepcopy(dump_instance(day))) == day


def _doc() -> dict[str, Any]:
    return dump_instance(generate(3, seed=0))


def test_unknown_keys_are_ignored() -> None:
    doc = _doc()
    doc["comment"] = "made by hand"
    doc["students"][0]["nickname"] = "Maya"
    doc["modalities"]["TL"]["colour"] = "green"
    assert parse_instance(doc) == parse_instance(_doc())


@pytest.mark.parametrize(
    ("edit", "column", "reason"),
    [
        (lambda d: d.pop("sessions"), "sessions", "required key is missing"),
        (lambda d: d["weights"].pop("variety"), "weights.variety", "required key is missing"),
        (lambda d: d["students"][1].pop("yesterday"), "students[1].yesterday", "missing"),
        (
            lambda d: d["students"][0]["candidates"][0].update(skill="ZZ-1"),
            "students[0].candidates[0].skill",
            "unknown skill 'ZZ-1'",
        ),
        (
            lambda d: d["students"][2]["effectiveness"].pop("VT"),
            "students[2].effectiveness.VT",
            "missing",
        ),
        (lambda d: d["modalities"]["PC"].pop("tables"), "modalities.PC.tables", "missing"),
        (lambda d: d["modalities"]["IP"].update(kind="lab"), "modalities.IP.kind", "unknown kind"),
        (lambda d: d["modalities"]["TL"].update(min=9, max=3), "modalities.TL.max", "below min"),
        (lambda d: d["teachers"][0].update(available=[True]), "teachers[0].available", "3 entries"),
        (lambda d: d.update(sessions="two"), "sessions", "expected an integer"),
        (lambda d: d.update(format="pathways-schedule-instance/2"), "format", "expected"),
        (
            lambda d: d["students"][1].update(id=d["students"][0]["id"]),
            "students[1].id",
            "duplicate",
        ),
    ],
)
def test_bad_instance_is_rejected_with_its_json_path(edit: Any, column: str, reason: str) -> None:
    doc = _doc()
    edit(doc)
    with pytest.raises(InputError) as caught:
        parse_instance(doc, "day.json")
    assert caught.value.source == "day.json"
    assert caught.value.column == column
    assert reason in caught.value.reason


def test_schedule_missing_required_key_names_it() -> None:
    doc = {"format": "pathways-schedule/1", "groups": [], "assignments": [{"student": "s1"}]}
    with pytest.raises(InputError, match=r"column 'assignments\[0\]\.session'"):
        parse_schedule(doc, "plan.json")


def test_all_public_names_are_exported() -> None:
    import pathways.engines.scheduling as package

    for name in package.__all__:
        assert hasattr(package, name), name


@st.composite
def damaged_instances(draw: st.DrawFn) -> Any:
    from tests.damage import as_json_types, damaged_json

    return draw(damaged_json(as_json_types(dump_instance(draw(instances())))))


@given(damaged_instances())
@settings(max_examples=150, deadline=None)
def test_a_damaged_instance_parses_or_is_refused_with_its_place(doc: Any) -> None:
    """One value anywhere replaced by any JSON value, or dropped: an Instance or an InputError
    naming the file, never another exception."""
    try:
        parse_instance(doc, "day.json")
    except InputError as error:
        failure: InputError | None = error
    else:
        failure = None
    assert failure is None or failure.source == "day.json"


@st.composite
def damaged_schedules(draw: st.DrawFn) -> Any:
    from tests.damage import as_json_types, damaged_json

    return draw(damaged_json(as_json_types(dump_schedule(draw(schedules)))))


@given(damaged_schedules())
@settings(max_examples=150, deadline=None)
def test_a_damaged_schedule_parses_or_is_refused_with_its_place(doc: Any) -> None:
    try:
        parse_schedule(doc, "plan.json")
    except InputError as error:
        failure: InputError | None = error
    else:
        failure = None
    assert failure is None or failure.source == "plan.json"
