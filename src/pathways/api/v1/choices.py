"""Choice boards in the API: the student chooses with a written reason, then says how it went.

A choice carries a client-made id: the same id with the same content answers 200 and changes
nothing; the same id with other content answers 409 (as for evidence).
"""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Status

from pathways.api.v1._access import caller, readable_student
from pathways.api.v1.daily_schemas import (
    ChoiceIn,
    ChoiceOut,
    ChoicePage,
    ChoiceReflectionIn,
    PageQuery,
)
from pathways.api.v1.schemas import Error, RecordId, ValidationErrorOut
from pathways.apps.access import audit
from pathways.apps.activities.models import Activity
from pathways.apps.paths import queries as path_queries
from pathways.apps.paths import services as paths
from pathways.apps.paths.models import Choice

router = Router(tags=["choices"])

WRITE = {400: Error, 401: Error, 404: Error, 409: Error, 422: ValidationErrorOut}


def _summary(activity: Activity) -> dict[str, object]:
    return {
        "id": activity.pk,
        "title": activity.title,
        "modality": activity.modality,
        "bloom_level": activity.bloom_level,
        "minutes": activity.duration_minutes,
    }


def _choice(choice: Choice) -> dict[str, object]:
    standard = choice.standard
    return {
        "id": choice.pk,
        "student_id": choice.student_id,
        "standard": {
            "id": standard.pk,
            "code": standard.short_code,
            "statement": standard.statement,
        },
        "offered": [_summary(a) for a in sorted(choice.offered.all(), key=lambda a: a.pk)],
        "chosen": _summary(choice.chosen),
        "reason": choice.reason,
        "chosen_at": choice.chosen_at,
        "how_it_went": choice.how_it_went,
        "reflected_at": choice.reflected_at,
    }


@router.get(
    "/students/{student_id}/choices",
    response={200: ChoicePage, 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="A student's choices: what was offered, what they chose and why, how it went",
)
def list_choices(
    request: HttpRequest, student_id: RecordId, page: Query[PageQuery]
) -> dict[str, object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    count, found = path_queries.choices_page(student, offset=page.offset, limit=page.limit)
    audit.log_access(
        actor, "view_choices", student, students=[student], scope="view_student", channel="api"
    )
    return {"count": count, "items": [_choice(c) for c in found]}


@router.post(
    "/students/{student_id}/choices",
    response={200: ChoiceOut, 201: ChoiceOut, **WRITE},
    summary="Choose one option of a choice board, saying why (idempotent by client id)",
)
def make_choice(request: HttpRequest, student_id: RecordId, body: ChoiceIn) -> Status[object]:
    """Only the student themself, on a standard of their own courses. 400: fewer than two or
    more than four options, options that do not differ in modality or Bloom level, a chosen
    option not offered, or no reason."""
    actor = caller(request)
    student = readable_student(actor, student_id)
    standard = path_queries.standard_by_id(body.standard)
    # A board's options are activities aligned to its standard: anything else is not an option.
    aligned = {a.pk for a in path_queries.activities_for_standards([body.standard])}
    offered = path_queries.activities_by_id(sorted(body.offered & aligned))
    chosen = next((a for a in offered if a.pk == body.chosen), None)
    if len(offered) != len(body.offered) or standard is None:
        return Status(404, {"detail": "Not found."})
    if chosen is None:
        return Status(400, {"detail": "choose one of the options offered"})
    try:
        choice, created = paths.choose_once(
            actor,
            student,
            choice_id=body.id,
            standard=standard,
            offered=offered,
            chosen=chosen,
            reason=body.reason,
        )
    except paths.ChoiceConflict as conflict:
        return Status(409, {"detail": str(conflict)})
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    return Status(201 if created else 200, _choice(choice))


@router.post(
    "/students/{student_id}/choices/{choice_id}/reflection",
    response={200: ChoiceOut, **WRITE},
    summary="After the work: how it went (written once; the same words again change nothing)",
)
def reflect_on_choice(
    request: HttpRequest, student_id: RecordId, choice_id: UUID, body: ChoiceReflectionIn
) -> Status[object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    choice = path_queries.choice_of(student, choice_id)
    if choice is None:
        return Status(404, {"detail": "Not found."})
    try:
        paths.reflect_on_choice(actor, choice, how_it_went=body.how_it_went)
    except paths.ChoiceConflict as conflict:
        return Status(409, {"detail": str(conflict)})
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    return Status(200, _choice(choice))
