"""Simulated learners who produce the demo's history of work (about 100 pieces per student).

Each student has a hidden ability and hidden knowledge. They work through their course's
standards in pacing order, can only learn a standard once its prerequisites are known, answer
correctly with BKT's slip/guess probabilities, and leave exit tickets and rubric-scored projects.
The platform never sees the hidden state: it estimates mastery from the evidence, as in a school.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

SLIP, GUESS, BASE_LEARN = 0.1, 0.2, 0.16
HISTORY_START, HISTORY_END = date(2026, 8, 17), date(2026, 11, 20)


@dataclass(frozen=True)
class Event:
    """One piece of simulated evidence (the demo turns it into an Evidence row)."""

    standard_id: int
    kind: str  # item_response | exit_ticket | rubric
    correct: bool | None
    rubric_level: int | None
    day_index: int
    minute: int


def school_days() -> list[date]:
    days, day = [], HISTORY_START
    while day <= HISTORY_END:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def timestamp(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, 14, 0, tzinfo=UTC) + timedelta(minutes=minute)


def simulate_student(
    rng: random.Random,
    course: list[int],
    prerequisites: dict[int, list[int]],
    budget: int,
) -> list[Event]:
    """The evidence one simulated student leaves while working through ``course`` (standard ids)."""
    ability = math.exp(rng.gauss(0.0, 0.45))
    in_course = set(course)
    # Standards from earlier grades: known with a chance that grows with ability.
    prior_known = min(0.97, 0.7 * ability)
    known = {sid for sid in course if rng.random() < min(0.5, 0.12 * ability)}
    outside_known: dict[int, bool] = {}

    def prerequisites_known(sid: int) -> bool:
        for pre in prerequisites.get(sid, []):
            if pre in in_course:
                if pre not in known:
                    return False
            elif not outside_known.setdefault(pre, rng.random() < prior_known):
                return False
        return True

    events: list[Event] = []
    n_days = len(school_days())
    for sid in course:
        if len(events) >= budget:
            break
        streak = 0
        for _attempt in range(rng.randint(6, 10)):
            is_known = sid in known
            correct = rng.random() < ((1 - SLIP) if is_known else GUESS)
            events.append(Event(sid, "item_response", correct, None, 0, 0))
            streak = streak + 1 if correct else 0
            if not is_known and prerequisites_known(sid) and rng.random() < BASE_LEARN * ability:
                known.add(sid)
            if streak >= 4 or len(events) >= budget:
                break
        events.append(
            Event(
                sid,
                "exit_ticket",
                rng.random() < ((1 - SLIP) if sid in known else GUESS),
                None,
                0,
                0,
            )
        )
        if rng.random() < 0.3:
            level = rng.choice([3, 4]) if sid in known else rng.choice([1, 2, 2, 3])
            events.append(Event(sid, "rubric", None, level, 0, 0))
    # Spread the work evenly over the school days so far, in order.
    spread = []
    for index, event in enumerate(events):
        day_index = min(n_days - 1, index * n_days // max(1, len(events)))
        spread.append(
            Event(
                event.standard_id,
                event.kind,
                event.correct,
                event.rubric_level,
                day_index,
                index % 45,
            )
        )
    return spread
