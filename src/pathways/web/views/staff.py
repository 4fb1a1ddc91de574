"""Pages for teachers, coaches, principals and district administrators."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathways.apps.access import audit, policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.evidence.services import EvidenceConflict, record_exit_tickets
from pathways.apps.mastery import grades as grade_queries
from pathways.apps.mastery import insights, queries
from pathways.apps.paths import pacing as pacing_queries
from pathways.apps.paths import queries as path_queries
from pathways.apps.paths import services as paths
from pathways.apps.roster import queries as roster
from pathways.apps.roster.models import Role, Section
from pathways.web.views._common import actor, form_id, role_required


def _chart(
    summaries: list[queries.SectionSummary] | list[queries.SchoolSummary],
) -> dict[str, list[str] | list[float]]:
    labels: list[str] = []
    values: list[float] = []
    for row in summaries:
        labels.append(str(row.section if isinstance(row, queries.SectionSummary) else row.school))
        values.append(round(100 * row.summary.share_mastered, 1))
    return {"labels": labels, "values": values}


@role_required(Role.TEACHER)
def teacher_home(request: HttpRequest) -> HttpResponse:
    sections = list(scopes.teachable_sections(actor(request)).select_related("course", "school"))
    summaries = queries.sections_summary(sections)
    return render(
        request, "web/teacher/home.html", {"summaries": summaries, "chart": _chart(summaries)}
    )


@role_required(Role.TEACHER, Role.COACH, Role.PRINCIPAL, Role.DISTRICT_ADMIN)
def section_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The class heatmap: every student against every standard of the course."""
    user = actor(request)
    section = roster.section_by_id(pk)
    try:
        policy.require(user, Action.VIEW_SECTION_MASTERY, section)
    except policy.NotFound:
        raise Http404("section not found") from None
    assert section is not None
    overview = queries.section_overview(section)
    students = [r.student for r in overview.rows]
    audit.log_access(
        user, "view_section_mastery", section, students=students, scope=f"section {section.pk}"
    )
    sort = request.GET.get("sort", "name")
    rows = overview.rows
    if sort == "mastered":
        rows = sorted(rows, key=lambda r: (-r.mastered, r.student.last_name))
    elif sort == "beginning":
        rows = sorted(rows, key=lambda r: (-r.beginning, r.student.last_name))
    can_teach = policy.can(user, Action.TEACH_SECTION, section)
    return render(
        request,
        "web/teacher/section.html",
        {
            "overview": overview,
            "rows": rows,
            "sort": sort,
            "can_teach": can_teach,
            "insights": insights.section_insights(students, overview.standards, now=timezone.now()),
            "choices": path_queries.recent_choices([s.pk for s in students]),
            "assigned": _assigned(section),
            "activities": path_queries.activities_for_standards([s.pk for s in overview.standards])
            if can_teach
            else [],
            "message": request.session.pop("section_message", ""),
            "batch_id": uuid.uuid4(),
        },
    )


def _assigned(section: Section) -> list[dict[str, object]]:
    """The section's latest assignments, each with how many of its students marked it done."""
    found = path_queries.section_assignments(section.pk)
    progress = path_queries.completion_progress(found)
    return [{"assignment": a, "progress": progress[a.pk]} for a in found]


@require_POST
@role_required(Role.TEACHER)
def exit_tickets(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a station's exit tickets: passed or not yet, per student, for one standard."""
    user = actor(request)
    section = roster.section_by_id(pk)
    standard = path_queries.standard_by_id(form_id(request.POST.get("standard")) or 0)
    if section is None or standard is None:
        raise Http404("not found")
    try:
        policy.require(user, Action.TEACH_SECTION, section)
        batch_id = uuid.UUID(request.POST.get("batch", ""))
    except (policy.NotFound, ValueError):
        raise Http404("section not found") from None
    students = {str(s.pk): s for s in queries.section_students(section)}
    results = {
        students[key.removeprefix("ticket-")]: value == "passed"
        for key, value in request.POST.items()
        if key.startswith("ticket-")
        and key.removeprefix("ticket-") in students
        and value in ("passed", "not_yet")
    }
    try:
        recorded = record_exit_tickets(user, batch_id=batch_id, standard=standard, results=results)
    except (policy.NotFound, EvidenceConflict):
        raise Http404("not found") from None
    passed = sum(1 for r in recorded if r.evidence.correct)
    request.session["section_message"] = (
        f"Exit tickets on {standard.short_code}: {passed} of {len(recorded)} passed. "
        "Tomorrow's groups will use them."
    )
    return redirect("web:section", pk=section.pk)


@require_POST
@role_required(Role.TEACHER)
def section_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign (or pin) an activity to the whole class or to one student of it."""
    user = actor(request)
    section = roster.section_by_id(pk)
    activity = path_queries.activities_by_id([form_id(request.POST.get("activity")) or 0])
    student_id = request.POST.get("student") or ""
    student = scopes.students().filter(pk=form_id(student_id) or 0).first()
    if section is None or not activity or (student_id and student is None):
        raise Http404("not found")
    try:
        paths.assign(
            user, section, activity[0], student=student, pinned=bool(request.POST.get("pinned"))
        )
    except policy.NotFound:
        raise Http404("section not found") from None
    request.session["section_message"] = f"Assigned “{activity[0].title}”."
    return redirect("web:section", pk=section.pk)


@role_required(Role.PRINCIPAL, Role.COACH)
def school_home(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    schools = roster.schools_where(user, [Role.PRINCIPAL, Role.COACH])
    blocks = []
    for school in schools:
        sections = roster.sections_of(school)
        summaries = queries.sections_summary(sections)
        coherence = _coherence(sections)
        blocks.append(
            {
                "school": school,
                "summaries": summaries,
                "chart": _chart(summaries),
                "chart_id": f"school-chart-{school.pk}",
                "coherence": coherence,
            }
        )
    return render(request, "web/school/home.html", {"blocks": blocks, "bloom_names": BLOOM_NAMES})


@role_required(Role.DISTRICT_ADMIN)
def district_home(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    districts = roster.districts_administered_by(user)
    blocks = []
    for district in districts:
        schools = roster.schools_of(district)
        summaries = queries.schools_summary(schools)
        blocks.append(
            {
                "district": district,
                "summaries": summaries,
                "chart": _chart(summaries),
                "chart_id": f"district-chart-{district.pk}",
            }
        )
    return render(request, "web/district/home.html", {"blocks": blocks})


@role_required(Role.TEACHER, Role.COACH, Role.PRINCIPAL, Role.DISTRICT_ADMIN)
def pacing(request: HttpRequest, pk: int) -> HttpResponse:
    """Each student against the pacing guide: mastered, due by today, projected by the test."""
    user = actor(request)
    section = roster.section_by_id(pk)
    try:
        policy.require(user, Action.VIEW_SECTION_MASTERY, section)
    except policy.NotFound:
        raise Http404("section not found") from None
    assert section is not None
    students = queries.section_students(section)
    standards = queries.section_overview(section).standards
    view = pacing_queries.section_pacing(
        section, students, [s.pk for s in standards], timezone.localdate()
    )
    audit.log_access(user, "view_pacing", section, students=students, scope=f"section {section.pk}")
    return render(request, "web/teacher/pacing.html", {"section": section, "view": view})


BLOOM_NAMES = ["Remember", "Understand", "Apply", "Analyze", "Evaluate", "Create"]


def _coherence(sections: list[Section]) -> list[dict[str, object]]:
    """Per class: share of work at each Bloom level, and how its grades spread over 1-4."""
    ids = [s.pk for s in sections]
    mix = path_queries.bloom_mix(ids)
    members = roster.students_by_section(ids)
    standards = queries.course_standard_ids({s.course_id for s in sections})
    spread = grade_queries.grade_spread(
        members, {s.pk: standards.get(s.course_id, set()) for s in sections}
    )
    rows = []
    for section in sections:
        total = sum(mix[section.pk].values())
        shares = [
            round(100 * mix[section.pk][level] / total) if total else 0 for level in range(1, 7)
        ]
        graded = sum(spread[section.pk].values())
        rows.append(
            {
                "section": section,
                "work": total,
                "bloom_shares": shares,
                "higher_order": sum(shares[3:]),
                "grades": [
                    round(100 * spread[section.pk][g] / graded) if graded else 0
                    for g in (1, 2, 3, 4)
                ],
            }
        )
    return rows
