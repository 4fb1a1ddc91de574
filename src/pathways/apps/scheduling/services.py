"""Writes for daily schedules: build (solve and store a draft), move a student, publish, and
record a station's exit ticket (which feeds the next schedule)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from pathways.apps.access import audit, policy
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.evidence.models import Evidence
from pathways.apps.evidence.services import Recorded, record_evidence
from pathways.apps.roster.models import School
from pathways.apps.scheduling import adapters
from pathways.apps.scheduling.models import (
    DailySchedule,
    ScheduleAssignment,
    ScheduleGroup,
    Station,
)
from pathways.apps.scheduling.queries import station_ticket_id
from pathways.engines.scheduling import (
    InfeasibleInstanceError,
    Violation,
    check_feasible,
    dump_instance,
    objective,
    parse_instance,
    solve,
)


class ScheduleError(Exception):
    """The schedule cannot be built or changed; the message says why (shown to the person)."""


class MoveRefused(ScheduleError):
    """A move would break a rule of the day; ``violations`` are the engine's reasons."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__("; ".join(str(v) for v in violations[:3]))


def _require_manage(actor: User | None, school: School) -> None:
    if actor is not None:
        policy.require(actor, Action.MANAGE_SCHEDULE, school)


def build_schedule(
    actor: User | None, school: School, day: date, time_limit: float = 5.0
) -> DailySchedule:
    """Solve the school's day and store it as a draft (replacing an earlier draft).

    ``actor`` None is the nightly job. Raises :class:`ScheduleError` when the day is already
    published, the school has no blocks, or no feasible schedule exists (with the reason).
    """
    _require_manage(actor, school)
    existing = DailySchedule.objects.filter(school=school, day=day).first()
    if existing is not None and existing.status == DailySchedule.Status.PUBLISHED:
        raise ScheduleError(f"the schedule of {day:%b %-d} is already published")
    built = adapters.build_instance(school, day)
    if built.instance.sessions == 0:
        raise ScheduleError(f"{school.name} has no blocks set up")
    if not built.instance.students:
        raise ScheduleError(f"{school.name} has no students in active sections")
    try:
        result = solve(built.instance, time_limit, with_bound=True)
    except InfeasibleInstanceError as error:
        raise ScheduleError(str(error)) from error
    stations = list(Station.objects.filter(school=school))
    with transaction.atomic():
        if existing is not None:
            existing.delete()
        record = DailySchedule.objects.create(
            school=school,
            day=day,
            objective=result.objective,
            bound=result.bound,
            gap=result.gap,
            # "local search, optimal at bound": the page says how and why the search ended.
            method=f"{result.method}, {result.status}"[:64],
            seconds=result.seconds,
            instance=dump_instance(built.instance),
            created_by=actor,
        )
        rows = adapters.to_rows(built, result.schedule, record, stations)
        ScheduleGroup.objects.bulk_create(rows.groups)
        by_key = {g.key: g for g in rows.groups}
        Through = ScheduleGroup.supervisors.through
        Through.objects.bulk_create(
            Through(schedulegroup_id=by_key[key].pk, user_id=uid)
            for key, uids in rows.supervisors
            for uid in uids
        )
        for assignment in rows.assignments:
            assignment.group = by_key[assignment.group.key]
        ScheduleAssignment.objects.bulk_create(rows.assignments, batch_size=1000)
        if actor is not None:
            audit.log_access(
                actor,
                "build_schedule",
                record,
                students=list(built.students.values()),
                scope=f"school {school.pk}",
            )
    return record


def _engine_schedule(schedule: DailySchedule) -> tuple[adapters.Schedule, adapters.Instance]:
    instance = parse_instance(schedule.instance)
    groups = list(
        ScheduleGroup.objects.filter(schedule=schedule).select_related("teacher", "standard")
    )
    supervisors: dict[int, list[str]] = {}
    Through = ScheduleGroup.supervisors.through
    for group_id, username in Through.objects.filter(schedulegroup__schedule=schedule).values_list(
        "schedulegroup_id", "user__username"
    ):
        supervisors.setdefault(group_id, []).append(username)
    assignments = list(
        ScheduleAssignment.objects.filter(schedule=schedule).select_related("student", "standard")
    )
    kinds = adapters.kinds_of(instance)
    return adapters.from_rows(groups, supervisors, assignments, kinds), instance


@dataclass(frozen=True)
class Moved:
    assignment: ScheduleAssignment
    objective: float


def move_student(
    actor: User, schedule: DailySchedule, student: User, block: int, to_group: ScheduleGroup
) -> Moved:
    """Move ``student`` to ``to_group`` in ``block`` when the day stays feasible.

    The skill stays the student's unless the destination fixes it (a peer table's skill, a
    teacher-led group's anchor when it is one of the student's candidates). Raises
    :class:`MoveRefused` with the engine's reasons when a rule would break; nothing changes then.
    """
    _require_manage(actor, schedule.school)
    current = (
        ScheduleAssignment.objects.filter(schedule=schedule, student=student, block=block)
        .select_related("standard")
        .first()
    )
    if current is None or to_group.schedule_id != schedule.pk or to_group.block != block:
        raise policy.NotFound("no such place in this schedule")
    engine, instance = _engine_schedule(schedule)
    kinds = adapters.kinds_of(instance)
    kind = kinds.get(to_group.modality)
    me = instance.student_by_id.get(student.username)
    if me is None:
        raise policy.NotFound("student not in this schedule")
    skill = adapters.skill_id(current.standard)
    standard = current.standard
    if to_group.standard is not None and kind in ("table", "teacher_group"):
        target = adapters.skill_id(to_group.standard)
        if kind == "table" or me.value(target) is not None:
            skill, standard = target, to_group.standard
    changed = tuple(
        adapters.Assignment(
            student=a.student,
            session=a.session,
            modality=to_group.modality,
            skill=skill,
            group=to_group.key if kind != "seats" else None,
        )
        if a.student == student.username and a.session == block
        else a
        for a in engine.assignments
    )
    proposal = adapters.Schedule(engine.groups, changed)
    violations = check_feasible(instance, proposal)
    if violations:
        raise MoveRefused(violations)
    value = objective(instance, proposal)
    with transaction.atomic():
        current.group = to_group
        current.modality = to_group.modality
        current.standard = standard
        current.teacher_id = to_group.teacher_id
        current.station_id = to_group.station_id
        current.save(update_fields=["group", "modality", "standard", "teacher", "station"])
        schedule.objective = value
        if schedule.bound:
            schedule.gap = (schedule.bound - value) / abs(schedule.bound)
        schedule.moves += 1
        schedule.save(update_fields=["objective", "gap", "moves"])
        audit.log_access(
            actor,
            "move_student",
            schedule,
            students=[student],
            scope=f"school {schedule.school_id}",
        )
    return Moved(current, value)


def publish(actor: User, schedule: DailySchedule) -> DailySchedule:
    """Mark the day final: the board and rosters show it to students and staff."""
    _require_manage(actor, schedule.school)
    if schedule.status != DailySchedule.Status.PUBLISHED:
        schedule.status = DailySchedule.Status.PUBLISHED
        schedule.published_at = timezone.now()
        schedule.save(update_fields=["status", "published_at"])
    return schedule


def record_station_exit_ticket(
    actor: User,
    assignment: ScheduleAssignment,
    *,
    correct: bool,
    evidence_id: uuid.UUID | None = None,
) -> Recorded:
    """A student's exit ticket at a station: evidence on the block's standard, tagged with the
    modality so the next instance's effectiveness and re-teach list learn from it."""
    return record_evidence(
        actor,
        evidence_id=evidence_id or station_ticket_id(assignment),
        student=assignment.student,
        standard=assignment.standard,
        kind=Evidence.Kind.EXIT_TICKET,
        correct=correct,
        response={
            "modality": assignment.modality,
            "schedule": assignment.schedule_id,
            "block": assignment.block,
        },
    )
