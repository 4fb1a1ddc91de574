"""A seeded generator of realistic school days, for tests, demos and the benchmark.

The school (sizes scale with ``students``):

* grades K-8 in three grade bands (K-2, 3-5, 6-8); each student sits in one band;
* eight strands of 24 skills each; a skill's band is its position third; students work near
  their own band, sometimes a band below (re-teach);
* 3 to 5 candidate skills per student, clustered (consecutive positions in one or two strands) so
  teacher groups can mix adjacent skills; value ~ lognormal around 1, and a re-teach after a
  failed exit ticket is worth 30-60 % more;
* effectiveness per modality drawn around a school-wide prior (teacher-led 1.25, virtual tutor
  0.9, adaptive software 0.85, peer tables 0.8, independent practice 0.6, project work 0.55) times
  a per-student factor;
* one teacher per 22 students, bands in proportion, each free in a session with probability 0.85
  (planning periods); peer tables for a third of the students, seats for independent practice
  (35 %), adaptive software licences (30 %) and virtual tutors (10 %), project work supervised at
  24 students per teacher;
* yesterday's modalities: a random distinct modality per session.
"""

from __future__ import annotations

import numpy as np

from pathways.engines.scheduling.instance import (
    Candidate,
    Instance,
    Modality,
    Skill,
    Student,
    Teacher,
    Weights,
)

__all__ = ["generate"]

STRANDS = ("CC", "OA", "NBT", "NF", "MD", "G", "RP", "EE")
POSITIONS = 24
PRIORS = {"TL": 1.25, "PC": 0.8, "IP": 0.6, "AS": 0.85, "VT": 0.9, "PW": 0.55}


def generate(students: int, seed: int = 0, sessions: int = 3) -> Instance:
    """A realistic day for ``students`` students; the same seed gives the same instance.

    Example:
        >>> day = generate(50, seed=1)
        >>> len(day.students), day.sessions, [m.code for m in day.modalities]
        (50, 3, ['TL', 'PC', 'IP', 'AS', 'VT', 'PW'])
        >>> generate(50, seed=1) == day
        True
    """
    rng = np.random.default_rng(seed)
    skills = tuple(
        Skill(f"{strand}-{p}", strand, p, min(2, (p - 1) * 3 // POSITIONS))
        for strand in STRANDS
        for p in range(1, POSITIONS + 1)
    )
    n = max(students, 1)
    modalities = (
        Modality("TL", "teacher_group", min=4, max=10),
        Modality("PC", "table", min=3, max=5, tables=max(1, round(n / 12))),
        Modality("IP", "seats", capacity=max(1, round(0.35 * n))),
        Modality("AS", "seats", capacity=max(1, round(0.30 * n))),
        Modality("VT", "seats", capacity=max(1, round(0.10 * n))),
        Modality("PW", "supervised", per_teacher=24),
    )
    n_teachers = max(sessions, round(n / 22))
    teachers = tuple(
        Teacher(
            f"t{k + 1:03d}",
            int(k % 3),
            tuple(bool(a) for a in rng.random(sessions) < 0.85),
        )
        for k in range(n_teachers)
    )
    roster = []
    width = POSITIONS // 3
    for k in range(students):
        band = int(rng.integers(0, 3))
        strands = rng.choice(len(STRANDS), size=2, replace=False)
        count = int(rng.integers(3, 6))
        chosen: list[str] = []
        for j in range(count):
            strand = STRANDS[strands[0] if j < (count + 1) // 2 else strands[1]]
            level = band - (1 if rng.random() < 0.15 and band > 0 else 0)
            start = level * width + int(rng.integers(1, width))
            p = start + int(rng.integers(-1, 3))
            p = int(np.clip(p, 1, POSITIONS))
            skill_id = f"{strand}-{p}"
            while skill_id in chosen:
                p = p % POSITIONS + 1
                skill_id = f"{strand}-{p}"
            chosen.append(skill_id)
        candidates = []
        for skill_id in chosen:
            value = float(rng.lognormal(0.0, 0.25))
            if rng.random() < 0.2:  # failed exit ticket: re-teach is worth more
                value *= float(rng.uniform(1.3, 1.6))
            candidates.append(Candidate(skill_id, round(value, 3)))
        factor = float(rng.lognormal(0.0, 0.1))
        effectiveness = {
            code: round(prior * factor * float(rng.lognormal(0.0, 0.2)), 3)
            for code, prior in PRIORS.items()
        }
        yesterday = tuple(
            str(c) for c in rng.choice(list(PRIORS), size=min(sessions, 6), replace=False)
        )
        roster.append(Student(f"s{k + 1:05d}", tuple(candidates), effectiveness, yesterday))
    return Instance(
        sessions=sessions,
        weights=Weights(variety=0.15, homogeneity=0.2, teacher_band=0.1),
        skills=skills,
        modalities=modalities,
        teachers=teachers,
        students=tuple(roster),
    )
