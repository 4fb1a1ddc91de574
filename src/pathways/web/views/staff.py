"""Pages for teachers, coaches, principals and district administrators."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pathways.apps.access import audit, policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.mastery import queries
from pathways.apps.roster import queries as roster
from pathways.apps.roster.models import Role
from pathways.web.views._common import actor, role_required


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
    audit.log_access(
        user,
        "view_section_mastery",
        section,
        students=[r.student for r in overview.rows],
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
    schools = roster.schools_where(user, [Role.PRINCIPAL, Role.COACH])
    blocks = []
    for school in schools:
        sections = roster.sections_of(school)
        summaries = queries.sections_summary(sections)
        blocks.append(
            {
                "school": school,
                "summaries": summaries,
                "chart": _chart(summaries),
                "chart_id": f"school-chart-{school.pk}",
            }
        )
    return render(request, "web/school/home.html", {"blocks": blocks})


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
