"""The student's own pages: mastery of every standard of their courses."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pathways.apps.mastery import queries
from pathways.apps.roster.models import Role
from pathways.web.views._common import actor, role_required


def _filtered(rows: list[queries.StandardMastery], status: str) -> list[queries.StandardMastery]:
    if status in queries.Status._value2member_map_:
        return [row for row in rows if row.status == status]
    return rows


@role_required(Role.STUDENT)
def home(request: HttpRequest) -> HttpResponse:
    student = actor(request)
    rows = queries.student_mastery(student)
    status = request.GET.get("status", "")
    counts = {s: sum(1 for r in rows if r.status == s) for s in queries.Status}
    context = {
        "student": student,
        "is_self": True,
        "tab": "overview",
        "sections": queries.student_sections(student),
        "rows": _filtered(rows, status),
        "status": status,
        "status_label": queries.Status(status).label
        if status in queries.Status._value2member_map_
        else "",
        "counts": counts,
        "statuses": list(queries.Status),
        "recent": queries.recent_mastered(student),
        "chart": {
            "labels": [s.label for s in queries.Status],
            "values": [counts[s] for s in queries.Status],
        },
    }
    if request.headers.get("HX-Request"):
        return render(request, "web/shared/_mastery_list.html", context)
    return render(request, "web/student/home.html", context)
