"""Correction requests: a guardian or an eligible student asks, the school answers (tracked)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pathways.apps.access import audit, policy
from pathways.apps.access.models import CorrectionRequest
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User


def request_correction(
    actor: User, student: User, *, about: str, details: str
) -> CorrectionRequest:
    policy.require(actor, Action.REQUEST_CORRECTION, student)
    about, details = about.strip()[:200], details.strip()[:4000]
    if not about or len(details) < 10:
        raise ValueError("say which part of the record, and what should change")
    with transaction.atomic():
        made = CorrectionRequest.objects.create(
            student=student, requested_by=actor, about=about, details=details
        )
        audit.log_access(
            actor, "request_correction", made, students=[student], scope="request_correction"
        )
    return made


def resolve(
    actor: User, request: CorrectionRequest, *, status: str, response: str
) -> CorrectionRequest:
    policy.require(actor, Action.RESOLVE_CORRECTION, request.student)
    if status not in (CorrectionRequest.Status.RESOLVED, CorrectionRequest.Status.DECLINED):
        raise ValueError("a request is corrected or declined")
    if not response.strip():
        raise ValueError("tell the family what was done, or why not")
    with transaction.atomic():
        request.status = status
        request.response = response.strip()[:4000]
        request.resolved_by = actor
        request.resolved_at = timezone.now()
        request.save(update_fields=["status", "response", "resolved_by", "resolved_at"])
        audit.log_access(
            actor,
            "resolve_correction",
            request,
            students=[request.student_id],
            scope="resolve_correction",
        )
    return request


def requests_about(
    students: QuerySet[User], *, status: str = "", offset: int = 0, limit: int = 50
) -> tuple[int, list[CorrectionRequest]]:
    """Requests about any of ``students`` (the caller's scope), oldest open first: the queue a
    school works through. ``status`` narrows to open, resolved or declined."""
    found = CorrectionRequest.objects.filter(student__in=students.values("pk"))
    if status:
        found = found.filter(status=status)
    page = found.select_related("student", "requested_by", "resolved_by").order_by(
        "created_at", "pk"
    )[offset : offset + limit]
    return found.count(), list(page)


def requests_for(student: User) -> list[CorrectionRequest]:
    return list(CorrectionRequest.objects.filter(student=student).select_related("requested_by"))


def request_by_id(student: User, pk: int) -> CorrectionRequest | None:
    return CorrectionRequest.objects.filter(student=student, pk=pk).first()
