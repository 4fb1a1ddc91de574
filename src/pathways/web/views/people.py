"""A student's record as others may see it (teachers, leaders, guardians), and the guardian home."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pathways.apps.access import audit, policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.mastery import queries
from pathways.apps.roster import queries as roster
from pathways.apps.roster.models import Role
from pathways.web.views._common import actor, role_required


@role_required(Role.GUARDIAN)
def guardian_home(request: HttpRequest) -> HttpResponse:
    children = roster.children_of(actor(request))
    cards = [
        {
            "child": child,
            "counts": queries.mastery_counts_by_status(child),
            "sections": queries.student_sections(child),
        }
        for child in children
    ]
    audit.log_access(
        actor(request), "view_children", actor(request), students=children, scope="guardian"
    )
    return render(
        request, "web/guardian/home.html", {"cards": cards, "statuses": list(queries.Status)}
    )


def student_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone allowed by the policy (never by URL guessing) reads one student's mastery."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    user = actor(request)
    student = scopes.students().filter(pk=pk).first()
    try:
        policy.require(user, Action.VIEW_STUDENT, student)
    except policy.NotFound:
        raise Http404("student not found") from None
    assert isinstance(student, User)
    rows = queries.student_mastery(student)
    audit.log_access(user, "view_student_record", student, students=[student], scope="view_student")
    return render(
        request,
        "web/shared/student_record.html",
        {
            "student": student,
            "is_self": user.pk == student.pk,
            "tab": "overview",
            "rows": rows,
            "sections": queries.student_sections(student),
            "counts": {s: sum(1 for r in rows if r.status == s) for s in queries.Status},
            "statuses": list(queries.Status),
        },
    )
