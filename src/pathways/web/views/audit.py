"""The access log page for district administrators: who saw a student, what an account touched."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pathways.apps.access import audit, policy
from pathways.apps.roster.models import Role
from pathways.web.views._common import actor, form_id, role_required


@role_required(Role.DISTRICT_ADMIN)
def access_log(request: HttpRequest) -> HttpResponse:
    student_ref = request.GET.get("student", "")[:150]
    account_ref = request.GET.get("account", "")[:150]
    before = request.GET.get("before", "")
    student_id = audit.person_id(student_ref)
    account_id = audit.person_id(account_ref)
    unknown = (student_ref.strip() and student_id is None) or (
        account_ref.strip() and account_id is None
    )
    try:
        entries = (
            []
            if unknown
            else audit.search(
                actor(request),
                student_id=student_id,
                actor_id=account_id,
                before_id=form_id(before),
            )
        )
        touched = (
            audit.touched_students(actor(request), account_id)
            if account_id is not None and not unknown
            else []
        )
    except policy.NotFound:
        raise Http404("not found") from None
    return render(
        request,
        "web/district/audit.html",
        {
            "entries": entries,
            "touched": touched,
            "student": student_ref,
            "account": account_ref,
            "unknown": unknown,
            "next_before": entries[-1].pk if len(entries) == audit.AUDIT_PAGE else None,
        },
    )
