"""Daily schedules in the API: read a school's day, move a student (feasibility re-checked)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from pathways.api.v1._access import caller
from pathways.api.v1.schemas import Error, RecordId, ValidationErrorOut
from pathways.apps.access import audit, policy
from pathways.apps.access.policy import Action
from pathways.apps.scheduling import queries, services

router = Router()


class PlaceOut(Schema):
    student_id: int
    student: str
    block: int
    modality: str
    standard: str
    group_id: int
    station: str | None
    teacher: str | None


class GroupOut(Schema):
    id: int
    key: str
    block: int
    modality: str
    station: str | None
    leaders: list[str]
    standard: str | None
    size: int


class ScheduleOut(Schema):
    id: int
    school_id: int
    day: date
    status: str
    objective: float
    bound: float | None
    gap: float | None
    method: str
    groups: list[GroupOut]
    places: list[PlaceOut]


class MoveIn(Schema):
    student: RecordId
    block: int = Field(ge=0, le=32767, description="The block's number in the day")
    group: RecordId


class MoveOut(Schema):
    place: PlaceOut
    objective: float


class RefusalOut(Schema):
    detail: str
    violations: list[str]


def _place(a: object) -> dict[str, object]:
    from pathways.apps.scheduling.models import ScheduleAssignment

    assert isinstance(a, ScheduleAssignment)
    return {
        "student_id": a.student_id,
        "student": a.student.display_name,
        "block": a.block,
        "modality": a.modality,
        "standard": a.standard.short_code,
        "group_id": a.group_id,
        "station": a.station.name if a.station_id and a.station else None,
        "teacher": a.teacher.username if a.teacher_id and a.teacher else None,
    }


@router.get(
    "/schools/{school_id}/schedules/{day}",
    response={200: ScheduleOut, 401: Error, 404: Error, 422: ValidationErrorOut},
    tags=["schedules"],
    summary="A school's schedule for one day: groups and every student's place in every block",
)
def get_schedule(request: HttpRequest, school_id: RecordId, day: date) -> dict[str, object]:
    user = caller(request)
    school = queries.school_by_id(school_id)
    policy.require(user, Action.VIEW_SCHEDULE, school)
    assert school is not None
    schedule = queries.schedule_for(school, day)
    if schedule is None:
        raise policy.NotFound("no schedule for that day")
    view = queries.schedule_view(schedule)
    audit.log_access(
        user,
        "view_schedule",
        schedule,
        students=[row.student for row in view.board],
        scope=f"school {school.pk}",
        channel="api",
    )
    groups = []
    places = []
    for bv in view.blocks:
        for gv in bv.groups:
            g = gv.group
            groups.append(
                {
                    "id": g.pk,
                    "key": g.key,
                    "block": g.block,
                    "modality": g.modality,
                    "station": g.station.name if g.station else None,
                    "leaders": [g.teacher.username]
                    if g.teacher
                    else [u.username for u in gv.supervisors],
                    "standard": g.standard.short_code if g.standard else None,
                    "size": len(gv.students),
                }
            )
            for a in gv.students:
                a.station = g.station
                a.teacher = g.teacher
                places.append(_place(a))
    return {
        "id": schedule.pk,
        "school_id": school.pk,
        "day": schedule.day,
        "status": schedule.status,
        "objective": schedule.objective,
        "bound": schedule.bound,
        "gap": schedule.gap,
        "method": schedule.method,
        "groups": groups,
        "places": places,
    }


@router.post(
    "/schedules/{schedule_id}/moves",
    response={
        200: MoveOut,
        400: Error,
        401: Error,
        404: Error,
        409: RefusalOut,
        422: ValidationErrorOut,
    },
    tags=["schedules"],
    summary="Move a student to another group in one block; 409 with the broken rules if refused",
)
def post_move(request: HttpRequest, schedule_id: RecordId, body: MoveIn) -> Status[object]:
    user = caller(request)
    schedule = queries.schedule_by_id(schedule_id)
    policy.require(user, Action.VIEW_SCHEDULE, schedule.school if schedule else None)
    assert schedule is not None
    student = queries.student_in(schedule, body.student)
    group = queries.group_by_id(schedule, body.group)
    if student is None or group is None:
        raise policy.NotFound("no such student or group in this schedule")
    if group.block != body.block:
        return Status(400, {"detail": "the group is in another block"})
    try:
        moved = services.move_student(user, schedule, student, body.block, group)
    except services.MoveRefused as refused:
        return Status(
            409,
            {
                "detail": f"move refused: {refused}",
                "violations": [str(v) for v in refused.violations],
            },
        )
    place = moved.assignment
    place.student = student
    return Status(200, {"place": _place(place), "objective": moved.objective})
