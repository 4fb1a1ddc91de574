"""Fixtures for the mastery engine: logs simulated from known BKT parameters, and the real data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from pathways.engines.tracing import ResponseLog

KT_DATA = Path("/work/shared/data/kt")


def simulate_bkt(
    params: dict[str, tuple[float, float, float, float]],
    *,
    n_students: int,
    n_steps: int,
    seed: int = 0,
    forget: float = 0.0,
) -> ResponseLog:
    """Every student practises every skill ``n_steps`` times; ``params`` maps a skill to
    (p_init, p_learn, p_guess, p_slip). Skills are interleaved in time."""
    rng = np.random.default_rng(seed)
    students, skills, answers = [], [], []
    for skill, (init, learn, guess, slip) in params.items():
        known = rng.random(n_students) < init
        for _ in range(n_steps):
            p = np.where(known, 1 - slip, guess)
            answers.append((rng.random(n_students) < p).astype(int))
            students.append(np.arange(n_students))
            skills.append(np.full(n_students, skill))
            learned = rng.random(n_students) < learn
            forgot = rng.random(n_students) < forget
            known = np.where(known, ~forgot, learned)
    # Interleave: order by step, then skill.
    return ResponseLog.from_arrays(
        np.concatenate(students), np.concatenate(skills), np.concatenate(answers)
    )


@pytest.fixture(scope="session")
def simulated() -> ResponseLog:
    """Three skills with clearly different parameters, 1500 students x 12 tries each."""
    return simulate_bkt(
        {
            "fractions": (0.2, 0.15, 0.2, 0.1),
            "decimals": (0.5, 0.3, 0.15, 0.05),
            "ratios": (0.1, 0.08, 0.3, 0.15),
        },
        n_students=1500,
        n_steps=12,
    )


@pytest.fixture(scope="session")
def small_items_log() -> ResponseLog:
    """A small log with items and multi-skill responses (events), for the model contract."""
    rng = np.random.default_rng(3)
    students, skills, items, answers, events = [], [], [], [], []
    for s in range(40):
        for t in range(8):
            item = int(rng.integers(0, 6))
            y = int(rng.random() < 0.4 + 0.05 * t)
            tags = ["a", "b"] if item == 5 else ["abc"[item % 3]]
            for tag in tags:
                students.append(f"s{s}")
                skills.append(tag)
                items.append(f"q{item}")
                answers.append(y)
                events.append(t)
    return ResponseLog.from_arrays(students, skills, answers, item=items, event=events)


def _kt_path(*parts: str) -> Path:
    path = KT_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real knowledge-tracing data not available at {path}")
    return path


@pytest.fixture
def kt_path() -> Callable[..., Path]:
    """``kt_path("statics2011", "statics_fold1.csv")``: a real data file, or skip the test."""
    return _kt_path


@pytest.fixture
def simulate() -> Callable[..., ResponseLog]:
    """The :func:`simulate_bkt` function."""
    return simulate_bkt
