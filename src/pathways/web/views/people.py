"""A student's record as others may see it (teachers, leaders, guardians), and the guardian home."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pathways.apps.access import audit, policy
from pathways.apps.access.policy import Action
from pathways.apps.evidence.models import Evidence
from pathways.apps.evidence.services import EvidenceConflict, record_evidence
from pathways.apps.mastery import queries
from pathways.apps.paths import queries as path_queries
from pathways.apps.roster import queries as roster
from pathways.apps.roster.models import Role
from pathways.web.views._common import actor, form_id, role_required, student_for


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


@login_required
def student_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone allowed by the policy (never by URL guessing) reads one student's mastery."""
    user, student = student_for(request, pk)
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
            "can_score": policy.can(user, Action.RECORD_EVIDENCE, student),
            "new_id": uuid.uuid4(),
            "message": request.session.pop("record_message", ""),
        },
    )


@require_POST
@login_required
def score_rubric(request: HttpRequest, pk: int) -> HttpResponse:
    """A teacher scores rubric work (project, performance task) 1-4; it becomes evidence."""
    user, student = student_for(request, pk)
    standard = path_queries.standard_by_id(form_id(request.POST.get("standard")) or 0)
    level = request.POST.get("level", "")
    if standard is None or level not in {"1", "2", "3", "4"}:
        raise Http404("standard not found")
    try:
        recorded = record_evidence(
            user,
            evidence_id=uuid.UUID(request.POST.get("id", "")),
            student=student,
            standard=standard,
            kind=Evidence.Kind.RUBRIC,
            rubric_level=int(level),
            response={"note": request.POST.get("note", "")[:500]},
        )
    except (policy.NotFound, ValueError):
        raise Http404("student not found") from None
    except EvidenceConflict:
        return HttpResponse("This score was already recorded differently.", status=409)
    request.session["record_message"] = (
        f"Scored {standard.short_code} at level {level}: mastery now "
        f"{recorded.estimate.p_mastery:.0%}."
    )
    return redirect("web:student-record", pk=student.pk)
