"""Reads of daily schedules for pages and the API, in a fixed number of queries (callers check
access first)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from pathways.apps.accounts.models import User
from pathways.apps.roster.models import School
from pathways.apps.scheduling.models import (
    Block,
    DailySchedule,
    ScheduleAssignment,
    ScheduleGroup,
    Station,
)

STATION_TICKETS = uuid.UUID("6f1c2a4e-7d1b-4a43-9a55-2b8f0c7e9d10")


def station_ticket_id(assignment: ScheduleAssignment) -> uuid.UUID:
    """One exit ticket per place: recording it again is harmless (the same evidence id)."""
    return uuid.uuid5(STATION_TICKETS, f"place:{assignment.pk}")


def next_school_day(today: date) -> date:
    """The next weekday after ``today`` (tomorrow, or Monday after a Friday)."""
    day = today + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def school_by_id(pk: int) -> School | None:
    return School.objects.filter(pk=pk, active=True).first()


def schedule_by_id(pk: int) -> DailySchedule | None:
    return DailySchedule.objects.select_related("school").filter(pk=pk).first()


def schedule_for(school: School, day: date) -> DailySchedule | None:
    return DailySchedule.objects.select_related("school").filter(school=school, day=day).first()


def group_by_id(schedule: DailySchedule, pk: int) -> ScheduleGroup | None:
    return ScheduleGroup.objects.filter(schedule=schedule, pk=pk).first()


def student_in(schedule: DailySchedule, pk: int) -> User | None:
    """The student when they have a place in ``schedule``."""
    return User.objects.filter(pk=pk, schedule_assignments__schedule=schedule).distinct().first()


def has_resources(school: School) -> bool:
    return Block.objects.filter(school=school).exists()


@dataclass
class GroupView:
    group: ScheduleGroup
    students: list[ScheduleAssignment] = field(default_factory=list)
    supervisors: list[User] = field(default_factory=list)

    @property
    def leaders(self) -> str:
        people = [self.group.teacher] if self.group.teacher else self.supervisors
        return ", ".join(p.display_name for p in people if p is not None)


@dataclass
class BlockView:
    block: Block | None
    position: int
    groups: list[GroupView]

    @property
    def label(self) -> str:
        return self.block.label if self.block else f"Block {self.position + 1}"


@dataclass
class StationView:
    station: Station | None
    blocks: list[tuple[BlockView, list[GroupView]]]

    @property
    def name(self) -> str:
        return self.station.name if self.station else "No station"


@dataclass
class BoardRow:
    student: User
    places: list[ScheduleAssignment | None]


@dataclass
class ScheduleView:
    schedule: DailySchedule
    blocks: list[BlockView]
    stations: list[StationView]
    board: list[BoardRow]
    students: int

    @property
    def teacher_led_share(self) -> float:
        total = sum(len(g.students) for b in self.blocks for g in b.groups)
        led = sum(
            len(g.students) for b in self.blocks for g in b.groups if g.group.modality == "TL"
        )
        return led / total if total else 0.0


def _station_order(station: Station | None) -> tuple[str, str]:
    return (station.modality, station.name) if station is not None else ("~", "")


def schedule_view(schedule: DailySchedule) -> ScheduleView:
    """Everything the schedule pages show, in 5 queries whatever the school's size."""
    blocks = {b.position: b for b in Block.objects.filter(school_id=schedule.school_id)}
    groups = list(
        ScheduleGroup.objects.filter(schedule=schedule).select_related(
            "station", "teacher", "standard"
        )
    )
    views = {g.pk: GroupView(g) for g in groups}
    Through = ScheduleGroup.supervisors.through
    for link in Through.objects.filter(schedulegroup__schedule=schedule).select_related("user"):
        views[link.schedulegroup_id].supervisors.append(link.user)
    assignments = list(
        ScheduleAssignment.objects.filter(schedule=schedule)
        .select_related("student", "standard")
        .order_by("student__last_name", "student__first_name", "block")
    )
    by_student: dict[int, list[ScheduleAssignment | None]] = {}
    students: dict[int, User] = {}
    positions = sorted({g.block for g in groups} | set(blocks))
    index = {p: i for i, p in enumerate(positions)}
    for a in assignments:
        a.group = views[a.group_id].group
        views[a.group_id].students.append(a)
        students[a.student_id] = a.student
        by_student.setdefault(a.student_id, [None] * len(positions))[index[a.block]] = a
    per_block: dict[int, list[GroupView]] = defaultdict(list)
    for view in views.values():
        per_block[view.group.block].append(view)
    block_views = [
        BlockView(
            blocks.get(p),
            p,
            sorted(
                per_block[p],
                key=lambda v: (v.group.modality, v.group.station.name if v.group.station else ""),
            ),
        )
        for p in positions
    ]
    per_station: dict[int | None, dict[int, list[GroupView]]] = defaultdict(
        lambda: defaultdict(list)
    )
    station_rows: dict[int | None, Station | None] = {}
    for view in views.values():
        sid = view.group.station_id
        station_rows[sid] = view.group.station
        per_station[sid][view.group.block].append(view)
    station_views = [
        StationView(
            station_rows[sid],
            [(bv, per_station[sid].get(bv.position, [])) for bv in block_views],
        )
        for sid in sorted(station_rows, key=lambda k: _station_order(station_rows[k]))
    ]
    board = [BoardRow(students[sid], places) for sid, places in by_student.items()]
    board.sort(key=lambda r: (r.student.last_name, r.student.first_name))
    return ScheduleView(schedule, block_views, station_views, board, len(students))


def schedules_of(school: School, limit: int = 10) -> list[DailySchedule]:
    return list(DailySchedule.objects.filter(school=school).order_by("-day")[:limit])


def schools_with_blocks() -> list[School]:
    """Active schools that have set up their flexible blocks (the daily loop schedules them)."""
    return list(
        School.objects.filter(active=True, pk__in=Block.objects.values("school")).order_by("name")
    )


def students_with_exit_tickets(day: date) -> list[int]:
    """Ids of students who got an exit ticket on ``day`` (local time)."""
    from datetime import datetime, time

    from django.utils import timezone

    from pathways.apps.evidence.models import Evidence

    start = timezone.make_aware(datetime.combine(day, time.min))
    end = start + timedelta(days=1)
    return sorted(
        set(
            Evidence.objects.filter(
                kind=Evidence.Kind.EXIT_TICKET, occurred_at__gte=start, occurred_at__lt=end
            ).values_list("student_id", flat=True)
        )
    )


@dataclass(frozen=True)
class Destination:
    group: ScheduleGroup
    size: int
    current: bool


def destinations(schedule: DailySchedule, place: ScheduleAssignment) -> list[Destination]:
    """The places of ``place``'s block a student could be moved to, with their sizes (1 query)."""
    from django.db.models import Count

    groups = (
        ScheduleGroup.objects.filter(schedule=schedule, block=place.block)
        .select_related("station", "teacher", "standard")
        .annotate(size=Count("assignments"))
        .order_by("modality", "station__name", "key")
    )
    return [Destination(g, g.size, g.pk == place.group_id) for g in groups]


def place_of(schedule: DailySchedule, student_id: int, block: int) -> ScheduleAssignment | None:
    return (
        ScheduleAssignment.objects.filter(schedule=schedule, student_id=student_id, block=block)
        .select_related("student", "standard", "group")
        .first()
    )


def group_places(group: ScheduleGroup) -> list[ScheduleAssignment]:
    return list(
        ScheduleAssignment.objects.filter(group=group)
        .select_related("student", "standard")
        .order_by("student__last_name", "student__first_name")
    )


def scorable_students(actor: User, student_ids: list[int]) -> set[int]:
    """Those of ``student_ids`` whose work ``actor`` may score (teachers of their sections): the
    rule of ``policy.can(actor, RECORD_EVIDENCE, student)``, for many students in one query."""
    from pathways.apps.access import scopes
    from pathways.apps.roster.models import Enrollment

    return set(
        Enrollment.objects.filter(
            user_id__in=student_ids,
            active=True,
            role="student",
            section__in=scopes.teachable_sections(actor),
        ).values_list("user_id", flat=True)
    )


def station_tickets(places: list[ScheduleAssignment]) -> dict[int, bool]:
    """Assignment id -> whether its station exit ticket was met, for those already recorded."""
    from pathways.apps.evidence.models import Evidence

    ids = {station_ticket_id(p): p.pk for p in places}
    return {
        ids[pk]: bool(correct)
        for pk, correct in Evidence.objects.filter(pk__in=list(ids)).values_list("pk", "correct")
    }
