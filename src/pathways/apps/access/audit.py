"""Recording who looked at which student's data, and why they were allowed to."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model

from pathways.apps.access.models import AccessLog
from pathways.apps.accounts.models import User


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
