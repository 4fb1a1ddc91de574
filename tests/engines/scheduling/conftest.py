"""Rivera's school: a hand-made two-session day and a feasible plan for it, shared by the tests."""

from __future__ import annotations

import pytest

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
)

EFF = {"TL": 2.0, "PC": 1.0, "IP": 1.0, "PW": 1.0}
CANDIDATES = (Candidate("A-1", 1.0), Candidate("A-2", 0.5), Candidate("B-1", 0.8))
DAY = Instance(
    sessions=2,
    weights=Weights(variety=0.1, homogeneity=0.2, teacher_band=0.3),
    skills=(
        Skill("A-1", "A", 1, 0),
        Skill("A-2", "A", 2, 0),
        Skill("A-3", "A", 3, 1),
        Skill("B-1", "B", 1, 1),
    ),
    modalities=(
        Modality("TL", "teacher_group", min=2, max=3),
        Modality("PC", "table", min=2, max=2, tables=1),
        Modality("IP", "seats", capacity=2),
        Modality("PW", "supervised", per_teacher=2),
    ),
    teachers=(Teacher("rivera", 0, (True, True)), Teacher("chen", 1, (True, False))),
    students=(
        Student("maya", CANDIDATES, EFF, ("IP",)),
        Student("leo", CANDIDATES, EFF, ()),
        Student("ana", CANDIDATES, EFF, ()),
        Student("sam", CANDIDATES, EFF, ()),
    ),
)
PLAN = Schedule(
    groups=(
        Group("g1", 0, "TL", teacher="rivera", anchor="A-1"),
        Group("g2", 0, "PC", skill="B-1"),
        Group("g3", 1, "PW", teachers=("rivera",)),
    ),
    assignments=(
        Assignment("maya", 0, "TL", "A-1", "g1"),
        Assignment("maya", 1, "IP", "B-1"),
        Assignment("leo", 0, "TL", "A-2", "g1"),
        Assignment("leo", 1, "IP", "B-1"),
        Assignment("ana", 0, "PC", "B-1", "g2"),
        Assignment("ana", 1, "PW", "A-1", "g3"),
        Assignment("sam", 0, "PC", "B-1", "g2"),
        Assignment("sam", 1, "PW", "A-2", "g3"),
    ),
)


@pytest.fixture
def rivera_day() -> Instance:
    """Two sessions; teachers Rivera (band 0, always free) and Chen (band 1, session 0 only)."""
    return DAY


@pytest.fixture
def rivera_plan() -> Schedule:
    """Maya and Leo with Rivera on A-1, Ana and Sam at a B-1 table; then seats and project work."""
    return PLAN
