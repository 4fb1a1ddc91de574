"""The access log for district administrators: who saw a student, what an account touched."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from pathways.api.v1.schemas import Error, Instant, RecordId, ValidationErrorOut
from pathways.apps.access import audit
from pathways.apps.accounts.models import User

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor_id: int | None
    actor: str | None = Field(None, description="Username of the person (none: an operator)")
    action: str
    object_type: str
    object_id: str
    student_id: int | None
    scope: str = Field(description="Why the person was allowed to see it")
    channel: str


class AuditPage(Schema):
    items: list[AuditEntryOut]
    next_before: int | None = Field(None, description="Pass as `before` for the next page")


class AuditQuery(Schema):
    student: RecordId | None = Field(None, description="Who saw this student")
    account: RecordId | None = Field(None, description="What this account read or changed")
    since: Instant | None = None
    until: Instant | None = None
    before: RecordId | None = Field(None, description="Entries older than this id")
    limit: int = Field(100, ge=1, le=1000)


class TouchedOut(Schema):
    student_id: int
    times: int
    first: datetime
    last: datetime


def _viewer(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@router.get(
    "/audit",
    response={200: AuditPage, 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="Search the access log of my districts (district administrators), newest first",
)
def search(request: HttpRequest, params: Query[AuditQuery]) -> dict[str, object]:
    entries = audit.search(
        _viewer(request),
        student_id=params.student,
        actor_id=params.account,
        since=params.since,
        until=params.until,
        before_id=params.before,
        limit=params.limit,
        channel="api",
    )
    return {
        "items": [
            {
                "id": e.pk,
                "at": e.at,
                "actor_id": e.actor_id,
                "actor": e.actor.username if e.actor else None,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "student_id": e.student_id,
                "scope": e.scope,
                "channel": e.channel,
            }
            for e in entries
        ],
        "next_before": entries[-1].pk if len(entries) == params.limit else None,
    }


@router.get(
    "/audit/accounts/{account_id}/students",
    response={200: list[TouchedOut], 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="Breach scoping: every student whose data this account read or changed",
)
def touched(
    request: HttpRequest, account_id: RecordId, since: Instant | None = None
) -> list[dict[str, object]]:
    return audit.touched_students(_viewer(request), account_id, since=since)
