"""One school day to schedule: the ``pathways-schedule-instance/1`` format, parsed in one place.

``parse_instance`` turns decoded JSON into frozen dataclasses (unknown keys ignored, missing or
malformed required keys raise :class:`~pathways.engines.errors.InputError` naming the JSON path),
and ``dump_instance`` inverts it: ``parse_instance(dump_instance(x)) == x``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final, Literal

from pathways.engines.errors import InputError

__all__ = [
    "INSTANCE_FORMAT",
    "KINDS",
    "Candidate",
    "Instance",
    "Kind",
    "Modality",
    "Skill",
    "Student",
    "Teacher",
    "Weights",
    "dump_instance",
    "parse_instance",
]

INSTANCE_FORMAT: Final = "pathways-schedule-instance/1"
Kind = Literal["teacher_group", "table", "seats", "supervised"]
KINDS: Final[tuple[Kind, ...]] = ("teacher_group", "table", "seats", "supervised")


@dataclass(frozen=True)
class Weights:
    """Penalties and bonus of the objective (see the format spec)."""

    variety: float
    homogeneity: float
    teacher_band: float


@dataclass(frozen=True)
class Skill:
    """A skill; two skills are adjacent when they share a strand and positions differ by 1."""

    id: str
    strand: str
    position: int
    band: int


@dataclass(frozen=True)
class Modality:
    """A way of working. Which capacity fields are set depends on ``kind``.

    ``teacher_group`` and ``table`` use ``min``/``max`` (``table`` also ``tables``), ``seats`` uses
    ``capacity`` and ``supervised`` uses ``per_teacher``; the other fields are ``None``.
    """

    code: str
    kind: Kind
    min: int | None = None
    max: int | None = None
    tables: int | None = None
    capacity: int | None = None
    per_teacher: int | None = None


@dataclass(frozen=True)
class Teacher:
    """A teacher with a grade band and, per session, whether they can lead or supervise."""

    id: str
    band: int
    available: tuple[bool, ...]


@dataclass(frozen=True)
class Candidate:
    """A skill a student may work on today and the value of doing so."""

    skill: str
    value: float


@dataclass(frozen=True)
class Student:
    """A student: candidate skills, effectiveness per modality code, yesterday's modalities."""

    id: str
    candidates: tuple[Candidate, ...]
    effectiveness: Mapping[str, float]
    yesterday: tuple[str, ...]

    def value(self, skill: str) -> float | None:
        """The value of ``skill`` for this student, ``None`` when it is not a candidate."""
        for candidate in self.candidates:
            if candidate.skill == skill:
                return candidate.value
        return None


@dataclass(frozen=True)
class Instance:
    """One day to schedule. Look-up tables are computed on first use and never compared.

    Example:
        >>> inst = Instance(sessions=1, weights=Weights(0.1, 0.2, 0.1), skills=(
        ...     Skill("NF-1", "NF", 1, 1), Skill("NF-2", "NF", 2, 1), Skill("G-2", "G", 2, 1)))
        >>> inst.adjacent("NF-1", "NF-2"), inst.adjacent("NF-2", "G-2")
        (True, False)
    """

    sessions: int
    weights: Weights
    skills: tuple[Skill, ...] = ()
    modalities: tuple[Modality, ...] = ()
    teachers: tuple[Teacher, ...] = ()
    students: tuple[Student, ...] = ()

    @cached_property
    def skill_by_id(self) -> dict[str, Skill]:
        return {s.id: s for s in self.skills}

    @cached_property
    def modality_by_code(self) -> dict[str, Modality]:
        return {m.code: m for m in self.modalities}

    @cached_property
    def teacher_by_id(self) -> dict[str, Teacher]:
        return {t.id: t for t in self.teachers}

    @cached_property
    def student_by_id(self) -> dict[str, Student]:
        return {s.id: s for s in self.students}

    @cached_property
    def neighbours(self) -> dict[str, tuple[str, ...]]:
        """Skill id -> ids of the skills adjacent to it."""
        at: dict[tuple[str, int], str] = {(s.strand, s.position): s.id for s in self.skills}
        return {
            s.id: tuple(
                at[(s.strand, p)] for p in (s.position - 1, s.position + 1) if (s.strand, p) in at
            )
            for s in self.skills
        }

    def adjacent(self, a: str, b: str) -> bool:
        """Whether skills ``a`` and ``b`` share a strand and their positions differ by exactly 1."""
        sa, sb = self.skill_by_id[a], self.skill_by_id[b]
        return sa.strand == sb.strand and abs(sa.position - sb.position) == 1


# --- parsing -------------------------------------------------------------------------------------


@dataclass
class _Reader:
    """Reads decoded JSON, turning every problem into an InputError with its JSON path."""

    source: str
    errors: list[InputError] = field(default_factory=list)

    def fail(self, path: str, reason: str) -> InputError:
        return InputError(self.source, reason, column=path or "$")

    def obj(self, data: object, path: str) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            raise self.fail(path, f"expected an object, got {_kind(data)}")
        return data

    def get(self, data: Mapping[str, Any], key: str, path: str) -> object:
        if key not in data:
            raise self.fail(_join(path, key), "required key is missing")
        return data[key]

    def string(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = self.get(data, key, path)
        if not isinstance(value, str):
            raise self.fail(_join(path, key), f"expected a string, got {_kind(value)}")
        return value

    def integer(self, data: Mapping[str, Any], key: str, path: str, *, minimum: int = 0) -> int:
        value = self.get(data, key, path)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(_join(path, key), f"expected an integer, got {_kind(value)}")
        if value < minimum:
            raise self.fail(_join(path, key), f"expected at least {minimum}, got {value}")
        return value

    def number(self, value: object, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(path, f"expected a number, got {_kind(value)}")
        if not math.isfinite(value):
            raise self.fail(path, f"expected a finite number, got {value}")
        return float(value)

    def array(self, data: Mapping[str, Any], key: str, path: str) -> Sequence[object]:
        value = self.get(data, key, path)
        if not isinstance(value, list | tuple):
            raise self.fail(_join(path, key), f"expected an array, got {_kind(value)}")
        return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def parse_instance(data: object, source: str = "instance") -> Instance:
    """Build an :class:`Instance` from decoded ``pathways-schedule-instance/1`` JSON.

    Args:
        data: the decoded JSON document.
        source: the file name used in error messages.

    Raises:
        InputError: a required key is missing or malformed; ``column`` is its JSON path.

    Example:
        >>> doc = {"format": "pathways-schedule-instance/1", "sessions": 1,
        ...        "weights": {"variety": 0.1, "homogeneity": 0.2, "teacher_band": 0.1},
        ...        "skills": [], "modalities": {}, "teachers": [], "students": []}
        >>> parse_instance(doc).sessions
        1
        >>> del doc["sessions"]
        >>> parse_instance(doc, "day.json")
        Traceback (most recent call last):
        ...
        pathways.engines.errors.InputError: day.json: column 'sessions': required key is missing
    """
    r = _Reader(source)
    root = r.obj(data, "")
    fmt = r.string(root, "format", "")
    if fmt != INSTANCE_FORMAT:
        raise r.fail("format", f"expected {INSTANCE_FORMAT!r}, got {fmt!r}")
    sessions = r.integer(root, "sessions", "", minimum=1)
    w = r.obj(r.get(root, "weights", ""), "weights")
    weights = Weights(
        variety=r.number(r.get(w, "variety", "weights"), "weights.variety"),
        homogeneity=r.number(r.get(w, "homogeneity", "weights"), "weights.homogeneity"),
        teacher_band=r.number(r.get(w, "teacher_band", "weights"), "weights.teacher_band"),
    )
    skills = tuple(_skill(r, s, f"skills[{n}]") for n, s in enumerate(r.array(root, "skills", "")))
    _unique(r, [s.id for s in skills], "skills", "skill")
    mods = r.obj(r.get(root, "modalities", ""), "modalities")
    modalities = tuple(_modality(r, code, spec) for code, spec in mods.items())
    teachers = tuple(
        _teacher(r, t, f"teachers[{n}]", sessions)
        for n, t in enumerate(r.array(root, "teachers", ""))
    )
    _unique(r, [t.id for t in teachers], "teachers", "teacher")
    known_skills = {s.id for s in skills}
    codes = [m.code for m in modalities]
    students = tuple(
        _student(r, s, f"students[{n}]", known_skills, codes)
        for n, s in enumerate(r.array(root, "students", ""))
    )
    _unique(r, [s.id for s in students], "students", "student")
    return Instance(sessions, weights, skills, modalities, teachers, students)


def _unique(r: _Reader, ids: list[str], path: str, what: str) -> None:
    seen: set[str] = set()
    for n, i in enumerate(ids):
        if i in seen:
            raise r.fail(f"{path}[{n}].id", f"duplicate {what} id {i!r}")
        seen.add(i)


def _skill(r: _Reader, data: object, path: str) -> Skill:
    d = r.obj(data, path)
    return Skill(
        id=r.string(d, "id", path),
        strand=r.string(d, "strand", path),
        position=r.integer(d, "position", path, minimum=-(2**62)),
        band=r.integer(d, "band", path),
    )


def _modality(r: _Reader, code: str, data: object) -> Modality:
    path = f"modalities.{code}"
    d = r.obj(data, path)
    kind = r.string(d, "kind", path)
    if kind in ("teacher_group", "table"):
        group_kind: Kind = "teacher_group" if kind == "teacher_group" else "table"
        low = r.integer(d, "min", path, minimum=1)
        high = r.integer(d, "max", path, minimum=1)
        if high < low:
            raise r.fail(f"{path}.max", f"max {high} is below min {low}")
        tables = r.integer(d, "tables", path) if kind == "table" else None
        return Modality(code, group_kind, min=low, max=high, tables=tables)
    if kind == "seats":
        return Modality(code, "seats", capacity=r.integer(d, "capacity", path))
    if kind == "supervised":
        return Modality(
            code, "supervised", per_teacher=r.integer(d, "per_teacher", path, minimum=1)
        )
    raise r.fail(f"{path}.kind", f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")


def _teacher(r: _Reader, data: object, path: str, sessions: int) -> Teacher:
    d = r.obj(data, path)
    available = r.array(d, "available", path)
    if len(available) != sessions:
        raise r.fail(f"{path}.available", f"expected {sessions} entries, got {len(available)}")
    for n, a in enumerate(available):
        if not isinstance(a, bool):
            raise r.fail(f"{path}.available[{n}]", f"expected a boolean, got {_kind(a)}")
    return Teacher(
        id=r.string(d, "id", path),
        band=r.integer(d, "band", path),
        available=tuple(bool(a) for a in available),
    )


def _student(r: _Reader, data: object, path: str, skills: set[str], codes: list[str]) -> Student:
    d = r.obj(data, path)
    sid = r.string(d, "id", path)
    candidates = []
    seen: set[str] = set()
    for n, c in enumerate(r.array(d, "candidates", path)):
        cpath = f"{path}.candidates[{n}]"
        cd = r.obj(c, cpath)
        skill = r.string(cd, "skill", cpath)
        if skill not in skills:
            raise r.fail(f"{cpath}.skill", f"unknown skill {skill!r}")
        if skill in seen:
            raise r.fail(f"{cpath}.skill", f"skill {skill!r} listed twice")
        seen.add(skill)
        candidates.append(Candidate(skill, r.number(r.get(cd, "value", cpath), f"{cpath}.value")))
    eff = r.obj(r.get(d, "effectiveness", path), f"{path}.effectiveness")
    effectiveness = {}
    for code in codes:
        effectiveness[code] = r.number(
            r.get(eff, code, f"{path}.effectiveness"), f"{path}.effectiveness.{code}"
        )
    yesterday = r.array(d, "yesterday", path)
    for n, y in enumerate(yesterday):
        if not isinstance(y, str):
            raise r.fail(f"{path}.yesterday[{n}]", f"expected a string, got {_kind(y)}")
    return Student(sid, tuple(candidates), effectiveness, tuple(str(y) for y in yesterday))


def dump_instance(instance: Instance) -> dict[str, Any]:
    """The JSON-ready ``pathways-schedule-instance/1`` document for ``instance``.

    Example:
        >>> inst = Instance(sessions=2, weights=Weights(0.15, 0.2, 0.1),
        ...                 modalities=(Modality("IP", "seats", capacity=30),))
        >>> dump_instance(inst)["modalities"]
        {'IP': {'kind': 'seats', 'capacity': 30}}
        >>> parse_instance(dump_instance(inst)) == inst
        True
    """
    return {
        "format": INSTANCE_FORMAT,
        "sessions": instance.sessions,
        "weights": {
            "variety": instance.weights.variety,
            "homogeneity": instance.weights.homogeneity,
            "teacher_band": instance.weights.teacher_band,
        },
        "skills": [
            {"id": s.id, "strand": s.strand, "position": s.position, "band": s.band}
            for s in instance.skills
        ],
        "modalities": {m.code: _dump_modality(m) for m in instance.modalities},
        "teachers": [
            {"id": t.id, "band": t.band, "available": list(t.available)} for t in instance.teachers
        ],
        "students": [
            {
                "id": s.id,
                "candidates": [{"skill": c.skill, "value": c.value} for c in s.candidates],
                "effectiveness": dict(s.effectiveness),
                "yesterday": list(s.yesterday),
            }
            for s in instance.students
        ],
    }


def _dump_modality(m: Modality) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": m.kind}
    for key in ("min", "max", "tables", "capacity", "per_teacher"):
        value = getattr(m, key)
        if value is not None:
            out[key] = value
    return out
