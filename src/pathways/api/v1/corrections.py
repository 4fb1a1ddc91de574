"""Correction requests in the API (FERPA §99.20): a guardian or an eligible student asks for a
correction of the record; staff who may read the student as staff answer corrected or declined.

The same rules as the web pages (``web/views/corrections.py``), through the same services.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from pathways.api.v1._access import caller, readable_student
from pathways.api.v1.daily_schemas import (
    CorrectionIn,
    CorrectionOut,
    CorrectionPage,
    CorrectionQuery,
    ResolutionIn,
)
from pathways.api.v1.schemas import Error, RecordId, ValidationErrorOut
from pathways.apps.access import audit, corrections, scopes
from pathways.apps.access.models import CorrectionRequest

router = Router(tags=["corrections"])

READ = {401: Error, 404: Error, 422: ValidationErrorOut}


def _name(person: object) -> str | None:
    return getattr(person, "display_name", None)


def _request(made: CorrectionRequest) -> dict[str, object]:
    return {
        "id": made.pk,
        "student_id": made.student_id,
        "about": made.about,
        "details": made.details,
        "status": made.status,
        "requested_by": _name(made.requested_by),
        "created_at": made.created_at,
        "response": made.response,
        "resolved_by": _name(made.resolved_by),
        "resolved_at": made.resolved_at,
    }


@router.get(
    "/corrections",
    response={200: CorrectionPage, 401: Error, 422: ValidationErrorOut},
    summary="Correction requests about the students I may see (staff: the queue to answer)",
)
def list_corrections(request: HttpRequest, params: Query[CorrectionQuery]) -> dict[str, object]:
    """Oldest first, so the longest-waiting request is on top; ``status=open`` for the queue."""
    actor = caller(request)
    count, found = corrections.requests_about(
        scopes.visible_students(actor),
        status=params.status or "",
        offset=params.offset,
        limit=params.limit,
    )
    audit.log_access(
        actor,
        "list_corrections",
        actor,
        students=sorted({m.student_id for m in found}),
        scope="visible_students",
        channel="api",
    )
    return {"count": count, "items": [_request(m) for m in found]}


@router.get(
    "/students/{student_id}/corrections",
    response={200: list[CorrectionOut], **READ},
    summary="One student's correction requests and their answers",
)
def student_corrections(request: HttpRequest, student_id: RecordId) -> list[dict[str, object]]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    audit.log_access(
        actor, "view_corrections", student, students=[student], scope="view_student", channel="api"
    )
    return [_request(m) for m in corrections.requests_for(student)]


@router.post(
    "/students/{student_id}/corrections",
    response={201: CorrectionOut, 400: Error, **READ},
    summary="Ask for a correction of the record (the student themself or their guardian)",
)
def request_correction(
    request: HttpRequest, student_id: RecordId, body: CorrectionIn
) -> Status[object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    try:
        made = corrections.request_correction(
            actor, student, about=body.about, details=body.details
        )
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, _request(made))


@router.post(
    "/students/{student_id}/corrections/{request_id}/resolution",
    response={200: CorrectionOut, 400: Error, **READ},
    summary="Answer a request: corrected or declined, with what was done or why not (staff)",
)
def resolve_correction(
    request: HttpRequest, student_id: RecordId, request_id: RecordId, body: ResolutionIn
) -> Status[object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    found = corrections.request_by_id(student, request_id)
    if found is None:
        return Status(404, {"detail": "Not found."})
    try:
        answered = corrections.resolve(actor, found, status=body.status, response=body.response)
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    return Status(200, _request(answered))
