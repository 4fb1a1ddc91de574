"""The daily loop, run every afternoon: today's exit tickets -> mastery -> each school's
instance for the next school day -> a solved draft schedule per school.

Mastery is updated as each exit ticket is recorded; the loop replays the estimates of the
students who got one today (so a recalibration in between is reflected), then builds tomorrow's
schedule for every school with blocks set up. A published schedule is left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from pathways.apps.mastery.services import replay_mastery
from pathways.apps.scheduling import queries, services


@dataclass(frozen=True)
class SchoolDay:
    school: str
    day: date
    status: str  # "built", "published already", "failed"
    students: int = 0
    objective: float | None = None
    gap: float | None = None
    seconds: float | None = None
    reason: str = ""


def run(
    *,
    today: date | None = None,
    time_limit: float = 10.0,
    say: Callable[[str], None] = lambda text: None,
) -> list[SchoolDay]:
    today = today or timezone.localdate()
    day = queries.next_school_day(today)
    students = queries.students_with_exit_tickets(today)
    if students:
        plural = "" if len(students) == 1 else "s"
        say(f"Replaying mastery of {len(students)} student{plural} with exit tickets today")
        replay_mastery(students)
    out = []
    for school in queries.schools_with_blocks():
        existing = queries.schedule_for(school, day)
        if existing is not None and existing.status == existing.Status.PUBLISHED:
            out.append(SchoolDay(school.name, day, "published already"))
            continue
        say(f"Scheduling {school.name} for {day:%a %b %-d}")
        try:
            schedule = services.build_schedule(None, school, day, time_limit=time_limit)
        except services.ScheduleError as error:
            out.append(SchoolDay(school.name, day, "failed", reason=str(error)))
            continue
        out.append(
            SchoolDay(
                school.name,
                day,
                "built",
                students=len({s["id"] for s in schedule.instance["students"]}),
                objective=schedule.objective,
                gap=schedule.gap,
                seconds=schedule.seconds,
            )
        )
    return out
