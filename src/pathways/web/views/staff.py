"""Pages for teachers, coaches, principals and district administrators."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pathways.apps.access import audit, policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.mastery import queries
from pathways.apps.roster.models import District, Membership, Role, School, Section
from pathways.web.views._common import actor, role_required


def _chart(summaries: list[queries.SectionSummary] | list[queries.SchoolSummary]) -> dict[str, list]:
    labels, values = [], []
    for row in summaries:
        labels.append(str(row.section if isinstance(row, queries.SectionSummary) else row.school))
        values.append(round(100 * row.summary.share_mastered, 1))
    return {"labels": labels, "values": values}


@role_required(Role.TEACHER)
def teacher_home(request: HttpRequest) -> HttpResponse:
    sections = list(scopes.teachable_sections(actor(request)).select_related("course", "school"))
    summaries = queries.sections_summary(sections)
    return render(request, "web/teacher/home.html", {"summaries": summaries, "chart": _chart(summaries)})


@role_required(Role.TEACHER, Role.COACH, Role.PRINCIPAL, Role.DISTRICT_ADMIN)
def section_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The class heatmap: every student against every standard of the course."""
    user = actor(request)
    section = Section.objects.select_related("course", "school", "term").filter(pk=pk).first()
    try:
        policy.require(user, Action.VIEW_SECTION, section)
    except policy.NotFound:
        raise Http404("section not found") from None
    assert section is not None
    overview = queries.section_overview(section)
    audit.log_access(
        user, "view_section_mastery", section, students=[r.student for r in overview.rows],
        scope=f"section {section.pk}",
    )
    return render(
        request,
        "web/teacher/section.html",
        {"overview": overview, "can_teach": policy.can(user, Action.TEACH_SECTION, section)},
    )


@role_required(Role.PRINCIPAL, Role.COACH)
def school_home(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    schools = School.objects.filter(
        pk__in=Membership.objects.filter(
            user=user, active=True, role__in=[Role.PRINCIPAL, Role.COACH]
        ).values("school")
    )
    blocks = []
    for school in schools:
        sections = list(Section.objects.filter(school=school).select_related("course", "school"))
        summaries = queries.sections_summary(sections)
        blocks.append(
            {"school": school, "summaries": summaries, "chart": _chart(summaries), "chart_id": f"school-chart-{school.pk}"}
        )
    return render(request, "web/school/home.html", {"blocks": blocks})


@role_required(Role.DISTRICT_ADMIN)
def district_home(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    districts = District.objects.filter(
        pk__in=scopes.administered_districts(user).values("district")
    )
    blocks = []
    for district in districts:
        schools = list(School.objects.filter(district=district))
        summaries = queries.schools_summary(schools)
        blocks.append(
            {"district": district, "summaries": summaries, "chart": _chart(summaries), "chart_id": f"district-chart-{district.pk}"}
        )
    return render(request, "web/district/home.html", {"blocks": blocks})
