"""A solved day: the ``pathways-schedule/1`` format, the feasibility checker and the objective.

``check_feasible`` is the single judge of the spec's four rules; every solver result passes
through it before it is returned.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from pathways.engines.scheduling.instance import Instance, _Reader

__all__ = [
    "SCHEDULE_FORMAT",
    "Assignment",
    "Group",
    "Schedule",
    "Violation",
    "check_feasible",
    "dump_schedule",
    "objective",
    "parse_schedule",
]

SCHEDULE_FORMAT: Final = "pathways-schedule/1"


@dataclass(frozen=True)
class Group:
    """A group in one session: ``teacher``/``anchor`` for teacher groups, ``skill`` for tables,
    ``teachers`` for supervised work."""

    id: str
    session: int
    modality: str
    teacher: str | None = None
    anchor: str | None = None
    skill: str | None = None
    teachers: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Assignment:
    """Where one student is in one session, and on which skill."""

    student: str
    session: int
    modality: str
    skill: str
    group: str | None = None


@dataclass(frozen=True)
class Schedule:
    """Groups and assignments of one day."""

    groups: tuple[Group, ...] = ()
    assignments: tuple[Assignment, ...] = ()


@dataclass(frozen=True)
class Violation:
    """A broken feasibility rule (1-4 as numbered in the spec; 0 for dangling references)."""

    rule: int
    subject: str
    session: int | None
    reason: str

    def __str__(self) -> str:
        at = "" if self.session is None else f" in session {self.session}"
        return f"rule {self.rule}: {self.subject}{at}: {self.reason}"


# --- format --------------------------------------------------------------------------------------


def parse_schedule(data: object, source: str = "schedule") -> Schedule:
    """Build a :class:`Schedule` from decoded ``pathways-schedule/1`` JSON.

    Raises:
        InputError: a required key is missing or malformed; ``column`` is its JSON path.

    Example:
        >>> doc = {"format": "pathways-schedule/1", "groups": [], "assignments": [
        ...     {"student": "s1", "session": 0, "modality": "IP", "skill": "NF-1"}]}
        >>> parse_schedule(doc).assignments[0].modality
        'IP'
    """
    r = _Reader(source)
    root = r.obj(data, "")
    fmt = r.string(root, "format", "")
    if fmt != SCHEDULE_FORMAT:
        raise r.fail("format", f"expected {SCHEDULE_FORMAT!r}, got {fmt!r}")
    groups = []
    for n, g in enumerate(r.array(root, "groups", "")):
        path = f"groups[{n}]"
        d = r.obj(g, path)
        teachers = None
        if "teachers" in d:
            raw = r.array(d, "teachers", path)
            for k, t in enumerate(raw):
                if not isinstance(t, str):
                    raise r.fail(f"{path}.teachers[{k}]", "expected a string")
            teachers = tuple(str(t) for t in raw)
        groups.append(
            Group(
                id=r.string(d, "id", path),
                session=r.integer(d, "session", path),
                modality=r.string(d, "modality", path),
                teacher=_optional_string(r, d, "teacher", path),
                anchor=_optional_string(r, d, "anchor", path),
                skill=_optional_string(r, d, "skill", path),
                teachers=teachers,
            )
        )
    assignments = []
    for n, a in enumerate(r.array(root, "assignments", "")):
        path = f"assignments[{n}]"
        d = r.obj(a, path)
        assignments.append(
            Assignment(
                student=r.string(d, "student", path),
                session=r.integer(d, "session", path),
                modality=r.string(d, "modality", path),
                skill=r.string(d, "skill", path),
                group=_optional_string(r, d, "group", path),
            )
        )
    return Schedule(tuple(groups), tuple(assignments))


def _optional_string(r: _Reader, d: Mapping[str, Any], key: str, path: str) -> str | None:
    return r.string(d, key, path) if d.get(key) is not None else None


def dump_schedule(schedule: Schedule) -> dict[str, Any]:
    """The JSON-ready ``pathways-schedule/1`` document for ``schedule``.

    Example:
        >>> s = Schedule((Group("g1", 0, "PC", skill="G-4"),),
        ...              (Assignment("s1", 0, "PC", "G-4", group="g1"),))
        >>> dump_schedule(s)["groups"]
        [{'id': 'g1', 'session': 0, 'modality': 'PC', 'skill': 'G-4'}]
        >>> parse_schedule(dump_schedule(s)) == s
        True
    """
    groups = []
    for g in schedule.groups:
        out: dict[str, Any] = {"id": g.id, "session": g.session, "modality": g.modality}
        for key in ("teacher", "anchor", "skill"):
            if getattr(g, key) is not None:
                out[key] = getattr(g, key)
        if g.teachers is not None:
            out["teachers"] = list(g.teachers)
        groups.append(out)
    assignments = []
    for a in schedule.assignments:
        row: dict[str, Any] = {
            "student": a.student,
            "session": a.session,
            "modality": a.modality,
            "skill": a.skill,
        }
        if a.group is not None:
            row["group"] = a.group
        assignments.append(row)
    return {"format": SCHEDULE_FORMAT, "groups": groups, "assignments": assignments}


# --- feasibility ---------------------------------------------------------------------------------


def check_feasible(instance: Instance, schedule: Schedule) -> list[Violation]:
    """Every way ``schedule`` breaks the spec's feasibility rules; empty when it is feasible.

    Example:
        >>> from pathways.engines.scheduling.instance import (
        ...     Candidate, Instance, Modality, Skill, Student, Weights)
        >>> inst = Instance(1, Weights(0, 0, 0), (Skill("A-1", "A", 1, 0),),
        ...     (Modality("IP", "seats", capacity=1),), (),
        ...     tuple(Student(f"s{i}", (Candidate("A-1", 1.0),), {"IP": 1.0}, ()) for i in (1, 2)))
        >>> both = Schedule((), tuple(Assignment(f"s{i}", 0, "IP", "A-1") for i in (1, 2)))
        >>> [str(v) for v in check_feasible(inst, both)]
        ['rule 3: modality IP in session 0: 2 students in seats of capacity 1']
    """
    out: list[Violation] = []
    groups: dict[str, Group] = {}
    for g in schedule.groups:
        if g.id in groups:
            out.append(Violation(0, f"group {g.id}", g.session, "group id used twice"))
        groups[g.id] = g
    members: dict[str, list[Assignment]] = defaultdict(list)
    seats: Counter[tuple[int, str]] = Counter()
    per_student: dict[str, list[Assignment]] = defaultdict(list)
    for a in schedule.assignments:
        student = instance.student_by_id.get(a.student)
        subject = f"student {a.student}"
        if student is None:
            out.append(Violation(0, subject, a.session, "unknown student"))
            continue
        if not 0 <= a.session < instance.sessions:
            out.append(Violation(1, subject, a.session, "no such session"))
            continue
        per_student[a.student].append(a)
        modality = instance.modality_by_code.get(a.modality)
        if modality is None:
            out.append(Violation(2, subject, a.session, f"unknown modality {a.modality!r}"))
            continue
        if student.value(a.skill) is None:
            out.append(Violation(2, subject, a.session, f"skill {a.skill} is not a candidate"))
        if modality.kind == "seats":
            if a.group is not None:
                out.append(Violation(3, subject, a.session, f"seats ({a.modality}) take no group"))
            seats[(a.session, a.modality)] += 1
            continue
        if a.group is None:
            out.append(Violation(3, subject, a.session, f"{a.modality} needs a group"))
            continue
        group = groups.get(a.group)
        if group is None:
            out.append(Violation(0, subject, a.session, f"unknown group {a.group!r}"))
        elif group.session != a.session or group.modality != a.modality:
            out.append(
                Violation(
                    3,
                    subject,
                    a.session,
                    f"group {a.group} is {group.modality} in session {group.session}, "
                    f"not {a.modality} in session {a.session}",
                )
            )
        else:
            members[a.group].append(a)
    out.extend(_check_students(instance, per_student))
    out.extend(_check_groups(instance, groups, members))
    for (session, code), n in sorted(seats.items()):
        capacity = instance.modality_by_code[code].capacity or 0
        if n > capacity:
            out.append(
                Violation(
                    3, f"modality {code}", session, f"{n} students in seats of capacity {capacity}"
                )
            )
    return out


def _check_students(
    instance: Instance, per_student: Mapping[str, list[Assignment]]
) -> list[Violation]:
    out: list[Violation] = []
    for student in instance.students:
        subject = f"student {student.id}"
        rows = per_student.get(student.id, [])
        count = Counter(a.session for a in rows)
        for s in range(instance.sessions):
            if count[s] != 1:
                out.append(Violation(1, subject, s, f"{count[s]} assignments, expected exactly 1"))
        for code, n in Counter(a.modality for a in rows).items():
            if n > 1:
                out.append(Violation(2, subject, None, f"modality {code} used {n} times"))
        for skill, n in Counter(a.skill for a in rows).items():
            if n > 1:
                out.append(Violation(2, subject, None, f"skill {skill} used {n} times"))
    return out


def _check_groups(
    instance: Instance, groups: Mapping[str, Group], members: Mapping[str, list[Assignment]]
) -> list[Violation]:
    out: list[Violation] = []
    busy: dict[tuple[int, str], str] = {}
    tables: Counter[tuple[int, str]] = Counter()

    def use(teacher: str, group: Group) -> None:
        subject = f"group {group.id}"
        t = instance.teacher_by_id.get(teacher)
        if t is None:
            out.append(Violation(3, subject, group.session, f"unknown teacher {teacher!r}"))
            return
        if not t.available[group.session]:
            out.append(Violation(3, subject, group.session, f"teacher {teacher} is not available"))
        other = busy.setdefault((group.session, teacher), group.id)
        if other != group.id:
            out.append(
                Violation(
                    4, f"teacher {teacher}", group.session, f"in groups {other} and {group.id}"
                )
            )

    for g in groups.values():
        subject = f"group {g.id}"
        modality = instance.modality_by_code.get(g.modality)
        if not 0 <= g.session < instance.sessions:
            out.append(Violation(0, subject, g.session, "no such session"))
            continue
        if modality is None:
            out.append(Violation(0, subject, g.session, f"unknown modality {g.modality!r}"))
            continue
        rows = members.get(g.id, [])
        n = len(rows)
        if modality.kind in ("teacher_group", "table"):
            low, high = modality.min or 0, modality.max or 0
            if not low <= n <= high:
                out.append(
                    Violation(3, subject, g.session, f"{n} students, expected {low} to {high}")
                )
        if modality.kind == "teacher_group":
            if g.teacher is None:
                out.append(Violation(3, subject, g.session, "teacher group without a teacher"))
            else:
                use(g.teacher, g)
            if g.anchor is None or g.anchor not in instance.skill_by_id:
                out.append(Violation(3, subject, g.session, f"bad anchor {g.anchor!r}"))
                continue
            for a in rows:
                if a.skill in instance.skill_by_id and not (
                    a.skill == g.anchor or instance.adjacent(a.skill, g.anchor)
                ):
                    out.append(
                        Violation(
                            3,
                            f"student {a.student}",
                            g.session,
                            f"skill {a.skill} is neither anchor {g.anchor} of group {g.id} "
                            "nor adjacent to it",
                        )
                    )
        elif modality.kind == "table":
            tables[(g.session, g.modality)] += 1
            if g.skill is None:
                out.append(Violation(3, subject, g.session, "table group without a skill"))
            for a in rows:
                if a.skill != g.skill:
                    out.append(
                        Violation(
                            3,
                            f"student {a.student}",
                            g.session,
                            f"works on {a.skill} at table {g.id} on {g.skill}",
                        )
                    )
        elif modality.kind == "supervised":
            listed = g.teachers or ()
            need = math.ceil(n / (modality.per_teacher or 1))
            if len(listed) != need:
                out.append(
                    Violation(
                        3,
                        subject,
                        g.session,
                        f"{n} students need {need} supervising teachers, {len(listed)} listed",
                    )
                )
            for t in listed:
                use(t, g)
        else:
            out.append(Violation(3, subject, g.session, f"seats modality {g.modality} has groups"))
    for (session, code), n in sorted(tables.items()):
        limit = instance.modality_by_code[code].tables or 0
        if n > limit:
            out.append(
                Violation(3, f"modality {code}", session, f"{n} table groups, at most {limit}")
            )
    return out


# --- objective -----------------------------------------------------------------------------------


def objective(instance: Instance, schedule: Schedule) -> float:
    """The spec's objective (to maximize) of a schedule whose references all resolve.

    Raises:
        ValueError: an assignment names an unknown student, modality, group or non-candidate
            skill (run :func:`check_feasible` first).

    Example:
        >>> from pathways.engines.scheduling.instance import (
        ...     Candidate, Instance, Modality, Skill, Student, Weights)
        >>> inst = Instance(1, Weights(0.5, 0, 0), (Skill("A-1", "A", 1, 0),),
        ...     (Modality("IP", "seats", capacity=1),), (),
        ...     (Student("s1", (Candidate("A-1", 2.0),), {"IP": 0.5}, ("IP",)),))
        >>> objective(inst, Schedule((), (Assignment("s1", 0, "IP", "A-1"),)))
        0.5
    """
    w = instance.weights
    groups = {g.id: g for g in schedule.groups}
    total = 0.0
    for a in schedule.assignments:
        student = instance.student_by_id.get(a.student)
        if student is None or a.modality not in instance.modality_by_code:
            raise ValueError(f"assignment {a} names an unknown student or modality")
        value = student.value(a.skill)
        if value is None:
            raise ValueError(f"{a.skill} is not a candidate of student {a.student}")
        total += value * student.effectiveness[a.modality]
        if a.modality in student.yesterday:
            total -= w.variety
        if instance.modality_by_code[a.modality].kind == "teacher_group":
            group = groups.get(a.group or "")
            if group is None or group.anchor is None or group.teacher is None:
                raise ValueError(f"teacher group {a.group!r} is unknown or incomplete")
            if a.skill != group.anchor:
                total -= w.homogeneity
            teacher = instance.teacher_by_id.get(group.teacher)
            anchor = instance.skill_by_id.get(group.anchor)
            if teacher is not None and anchor is not None and teacher.band == anchor.band:
                total += w.teacher_band
    return total
