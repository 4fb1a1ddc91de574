"""Recording who looked at which student's data, and why they were allowed to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Model

from pathways.apps.access import scopes
from pathways.apps.access.models import AccessLog
from pathways.apps.accounts.models import User
from pathways.apps.roster.models import Membership, Role


def log_access(
    actor: User,
    action: str,
    obj: Model,
    *,
    students: Iterable[User | int] = (),
    scope: str,
    channel: str = "web",
) -> None:
    """Append one entry per student whose data ``actor`` read or changed through ``obj``.

    A person reading their own record is not logged (it is not access by staff); a teacher
    listing a class logs one row per student, in one insert.
    """
    student_ids = [s.pk if isinstance(s, User) else s for s in students]
    student_ids = [sid for sid in student_ids if sid != actor.pk]
    if not student_ids:
        return
    AccessLog.objects.bulk_create(
        AccessLog(
            actor=actor,
            action=action,
            object_type=type(obj).__name__.lower(),
            object_id=str(obj.pk),
            student_id=student_id,
            scope=scope[:200],
            channel=channel,
        )
        for student_id in student_ids
    )


def who_saw(student: User) -> list[AccessLog]:
    """Every recorded access to one student's data, newest first (breach scoping)."""
    return list(
        AccessLog.objects.filter(student=student).select_related("actor").order_by("-at", "-pk")
    )


AUDIT_PAGE = 100


def auditable_districts(viewer: User) -> list[int]:
    """Districts whose access log ``viewer`` may search (district administrators only)."""
    from pathways.apps.access import policy

    return [
        m.district_id
        for m in scopes.administered_districts(viewer).select_related("district")
        if policy.can(viewer, policy.Action.VIEW_AUDIT, m.district)
    ]


def search(
    viewer: User,
    *,
    student_id: int | None = None,
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None = None,
    limit: int = AUDIT_PAGE,
    channel: str = "web",
) -> list[AccessLog]:
    """Access-log entries about the students of ``viewer``'s districts, newest first.

    ``student_id`` answers "who saw student X" (index on (student, at)); ``actor_id`` answers
    "which records did account Y touch" (index on (actor, at)); ``before_id`` pages backwards.
    Raises ``NotFound`` for anyone but a district administrator. The search itself is logged.
    """
    from pathways.apps.access import policy

    districts = auditable_districts(viewer)
    if not districts:
        raise policy.NotFound("access log not found")
    rows = AccessLog.objects.filter(student__isnull=False)
    if student_id is not None:
        rows = rows.filter(student_id=student_id)
    if actor_id is not None:
        rows = rows.filter(actor_id=actor_id)
    if since is not None:
        rows = rows.filter(at__gte=since)
    if until is not None:
        rows = rows.filter(at__lt=until)
    # Newest first by id: the log is append-only, so id order is recording order. Candidates
    # come newest-first in batches (by an index: (student, at), (actor, at) or the primary key)
    # and only those about the viewer's districts' students are kept, checked per batch, so a
    # district-wide page never joins a million rows against the membership list.
    limit = max(1, limit)
    found: list[AccessLog] = []
    cursor = before_id
    batch = max(limit * 2, 500)
    while len(found) < limit:
        page = rows if cursor is None else rows.filter(pk__lt=cursor)
        candidates = list(page.select_related("actor", "student").order_by("-pk")[:batch])
        if not candidates:
            break
        ids = {entry.student_id for entry in candidates if entry.student_id is not None}
        allowed = set(
            Membership.objects.filter(
                district_id__in=districts, role=Role.STUDENT, user_id__in=ids
            ).values_list("user_id", flat=True)
        )
        found.extend(entry for entry in candidates if entry.student_id in allowed)
        cursor = candidates[-1].pk
        if len(candidates) < batch:
            break
    found = found[:limit]
    if student_id is not None and found:
        log_access(
            viewer,
            "search_audit",
            viewer,
            students=[student_id],
            scope="view_audit",
            channel=channel,
        )
    return found


def touched_students(
    viewer: User, actor_id: int, *, since: datetime | None = None
) -> list[dict[str, object]]:
    """Breach scoping: each student of ``viewer``'s districts whose data ``actor_id`` read or
    changed, with how many times and when first and last (most recent first).

    Groups the account's own entries first (index on (actor, at)), then keeps the students of
    the viewer's districts: the district's membership list is never joined row by row.
    """
    from django.db.models import Count, Max, Min

    from pathways.apps.access import policy

    districts = auditable_districts(viewer)
    if not districts:
        raise policy.NotFound("access log not found")
    rows = AccessLog.objects.filter(actor_id=actor_id, student__isnull=False)
    if since is not None:
        rows = rows.filter(at__gte=since)
    grouped = [
        dict(row)
        for row in rows.values("student_id")
        .annotate(times=Count("id"), first=Min("at"), last=Max("at"))
        .order_by()
    ]
    ids = [int(str(row["student_id"])) for row in grouped]
    allowed: set[int] = set()
    for start in range(0, len(ids), 5000):
        allowed.update(
            Membership.objects.filter(
                district_id__in=districts,
                role=Role.STUDENT,
                user_id__in=ids[start : start + 5000],
            ).values_list("user_id", flat=True)
        )
    kept = [row for row in grouped if row["student_id"] in allowed]
    kept.sort(key=lambda row: str(row["last"]), reverse=True)
    return kept


def person_id(ref: str) -> int | None:
    """An account id from what a person types: a username or a number."""
    ref = ref.strip()
    if not ref:
        return None
    found = User.objects.filter(username=ref).values_list("pk", flat=True).first()
    if found is None and ref.isdigit():
        return int(ref)
    return found
