"""The district's activity library in the API: search and filter, read one, add one (staff).

Who may use it is the web library's rule: staff of the district (``MANAGE_LIBRARY``); anyone
else gets 404 for the list and for every activity, as for a missing one.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from pathways.api.v1._access import caller
from pathways.api.v1.daily_schemas import (
    ActivityDetailOut,
    ActivityIn,
    ActivityPage,
    ActivityQuery,
)
from pathways.api.v1.schemas import Error, RecordId, ValidationErrorOut
from pathways.apps.access import policy
from pathways.apps.access.policy import Action
from pathways.apps.activities import queries, services
from pathways.apps.activities.models import Activity

router = Router(tags=["library"])


def _activity(activity: Activity, *, detail: bool = False) -> dict[str, object]:
    out: dict[str, object] = {
        "id": activity.pk,
        "district_id": activity.district_id,
        "title": activity.title,
        "modality": activity.modality,
        "bloom_level": activity.bloom_level,
        "minutes": activity.duration_minutes,
        "interest_tags": list(activity.interest_tags),
        "standards": [
            {"id": s.pk, "code": s.short_code, "statement": s.statement}
            for s in activity.standards.all()
        ],
    }
    if detail:
        out |= {"description": activity.description, "materials": activity.materials}
    return out


@router.get(
    "/activities",
    response={200: ActivityPage, 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="Search the activity library by words, standard, Bloom level, modality, interest",
)
def list_activities(request: HttpRequest, params: Query[ActivityQuery]) -> Status[object]:
    districts = queries.library_districts(caller(request))
    if not districts:
        return Status(404, {"detail": "Not found."})
    found = queries.library_of(
        districts,
        code=params.standard.strip(),
        modality=params.modality or "",
        bloom=params.bloom,
        text=params.q.strip(),
        interest=params.interest,
    )
    page = found[params.offset : params.offset + params.limit]
    return Status(200, {"count": found.count(), "items": [_activity(a) for a in page]})


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityDetailOut, 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="One activity of the library, with its description, materials and standards",
)
def get_activity(request: HttpRequest, activity_id: RecordId) -> dict[str, object]:
    activity = queries.activity_by_id(activity_id)
    policy.require(caller(request), Action.MANAGE_LIBRARY, activity.district if activity else None)
    assert activity is not None
    return _activity(activity, detail=True)


@router.post(
    "/activities",
    response={
        201: ActivityDetailOut,
        400: Error,
        401: Error,
        404: Error,
        422: ValidationErrorOut,
    },
    summary="Add an activity to the district's library, aligned to standards",
)
def create_activity(request: HttpRequest, body: ActivityIn) -> Status[object]:
    """Standards are given by code as people type them ('4.NF.A.1'); an unknown code is a 400
    that names it. ``district`` is needed only by someone on staff in two districts."""
    actor = caller(request)
    districts = queries.library_districts(actor)
    if body.district is not None:
        districts = [d for d in districts if d.pk == body.district]
    if not districts:
        return Status(404, {"detail": "Not found."})
    if len(districts) > 1:
        return Status(400, {"detail": "say which district's library (district)"})
    codes = list(dict.fromkeys(c.strip() for c in body.standards if c.strip()))
    found = {code: queries.standards_by_codes([code]) for code in codes}
    unknown = [code for code, standard in found.items() if not standard]
    if unknown or not codes:  # a reference to records that do not exist: 404, naming them
        return Status(404, {"detail": f"unknown standard code(s): {', '.join(unknown) or '-'}"})
    standards = [standard[0] for standard in found.values()]
    try:
        activity = services.create_activity(
            actor,
            districts[0],
            title=body.title,
            description=body.description,
            modality=body.modality,
            bloom_level=body.bloom_level,
            duration_minutes=body.duration_minutes,
            materials=body.materials,
            interest_tags=body.interest_tags,
            standards=standards,
        )
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    stored = queries.activity_by_id(activity.pk)
    assert stored is not None
    return Status(201, _activity(stored, detail=True))
