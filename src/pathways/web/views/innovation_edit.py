"""Editing the district's goals framework and the teacher practice survey.

District administrators (``Action.MANAGE_INNOVATION``) write goals, their measures and survey
items; everyone else gets the same 404 as a missing page. Every change is audited in the
innovation app's edit log, shown under each form.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pathways.apps.access import policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.innovation import queries, services
from pathways.apps.innovation.models import LIKERT, Goal, GoalMeasure, SurveyItem
from pathways.apps.roster.models import District, Role
from pathways.web.views._common import actor, form_id, role_required

GOAL_KINDS = ("goal",)


def _managed_district(user: User) -> District:
    district = queries.first_district(scopes.innovation_districts(user))
    if district is None or not policy.can(user, Action.MANAGE_INNOVATION, district):
        raise Http404("not found")
    return district


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@role_required(Role.DISTRICT_ADMIN)
def goals(request: HttpRequest) -> HttpResponse:
    """The goals framework: every goal with its measures; add a goal."""
    user = actor(request)
    district = _managed_district(user)
    error = ""
    if request.method == "POST":
        try:
            goal = services.create_goal(
                user,
                district,
                area=request.POST.get("area", ""),
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
            )
            return redirect("web:innovation-goal", pk=goal.pk)
        except ValueError as exc:
            error = str(exc)
    return render(
        request,
        "web/innovation/goals.html",
        {
            "district": district,
            "goals": queries.goals(district),
            "areas": Goal.Area.choices,
            "history": queries.edit_log(district, kinds=GOAL_KINDS),
            "error": error,
            "form": request.POST if error else {},
        },
        status=400 if error else 200,
    )


@role_required(Role.DISTRICT_ADMIN)
def goal(request: HttpRequest, pk: int) -> HttpResponse:
    """One goal: edit it, add or remove measures (standards, a grade or a survey item)."""
    user = actor(request)
    found = queries.goal_by_id(pk)
    if found is None or not policy.can(user, Action.MANAGE_INNOVATION, found.district):
        raise Http404("goal not found")
    district = found.district
    error = ""
    if request.method == "POST":
        part = request.POST.get("part", "")
        try:
            if part == "goal":
                services.update_goal(
                    user,
                    found,
                    area=request.POST.get("area", ""),
                    title=request.POST.get("title", ""),
                    description=request.POST.get("description", ""),
                )
            elif part == "measure":
                _add_measure(request, user, found)
            elif part == "remove-measure":
                measure = queries.measure_by_id(form_id(request.POST.get("measure", "")) or 0)
                if measure is None or measure.goal_id != found.pk:
                    raise Http404("measure not found")
                services.remove_measure(user, measure)
            elif part == "remove-goal":
                services.remove_goal(user, found)
                return redirect("web:innovation-goals")
            else:
                raise ValueError("unknown form")
            return redirect("web:innovation-goal", pk=found.pk)
        except policy.NotFound:
            raise Http404("not found") from None
        except ValueError as exc:
            error = str(exc)
    goal_row = next(g for g in queries.goals(district) if g.pk == found.pk)
    return render(
        request,
        "web/innovation/goal.html",
        {
            "goal": goal_row,
            "areas": Goal.Area.choices,
            "kinds": GoalMeasure.Kind.choices,
            "standards": queries.district_standards(district),
            "grades": queries.district_grades(district),
            "items": queries.survey_items(district),
            "history": queries.edit_log(district, kinds=GOAL_KINDS, object_id=found.pk),
            "error": error,
        },
        status=400 if error else 200,
    )


def _add_measure(request: HttpRequest, user: User, found: Goal) -> None:
    district = found.district
    wanted = {form_id(v) for v in request.POST.getlist("standards")} - {None}
    standards = [s for s in queries.district_standards(district) if s.pk in wanted]
    if len(standards) != len(wanted):
        raise ValueError("choose standards taught in the district's courses")
    item_id = form_id(request.POST.get("survey_item", ""))
    item = queries.survey_item_by_id(item_id) if item_id else None
    grade = request.POST.get("grade", "").strip()
    if grade and grade not in queries.district_grades(district):
        raise ValueError("choose a grade of the district's courses")
    services.add_measure(
        user,
        found,
        kind=request.POST.get("kind", ""),
        description=request.POST.get("description", ""),
        standards=standards,
        grade=grade,
        survey_item=item,
        target=request.POST.get("target", "").strip()[:200],
    )


@role_required(Role.DISTRICT_ADMIN)
def survey_items(request: HttpRequest) -> HttpResponse:
    """The teacher practice survey's items, retired ones too; add an item."""
    user = actor(request)
    district = _managed_district(user)
    error, message = "", ""
    if request.method == "POST" and request.POST.get("part") == "benchmark":
        try:
            n = services.import_benchmark(
                user,
                district,
                source=request.POST.get("source", ""),
                text=_upload_text(request),
            )
            message = f"Imported {n} benchmark answers; the previous sample was replaced."
        except ValueError as exc:
            error = str(exc)
    elif request.method == "POST":
        try:
            item = services.create_survey_item(
                user,
                district,
                code=request.POST.get("code", ""),
                construct=request.POST.get("construct", ""),
                text=request.POST.get("text", ""),
                position=form_id(request.POST.get("position", "")) or 0,
                scale=_lines(request.POST.get("scale", "")),
            )
            return redirect("web:survey-item", pk=item.pk)
        except ValueError as exc:
            error = str(exc)
    return render(
        request,
        "web/innovation/survey_items.html",
        {
            "rows": queries.survey_item_rows(district),
            "constructs": SurveyItem.Construct.choices,
            "likert": "\n".join(LIKERT),
            "history": queries.edit_log(district, kinds=("survey item", "benchmark")),
            "benchmark": queries.benchmark_summary(district),
            "error": error,
            "message": message,
            "form": request.POST if error else {},
        },
        status=400 if error else 200,
    )


MAX_UPLOAD = 10 * 1024 * 1024


def _upload_text(request: HttpRequest) -> str:
    """The uploaded benchmark CSV as text (UTF-8, with or without a byte-order mark)."""
    upload = request.FILES.get("file")
    if upload is None:
        raise ValueError("choose a CSV file to import")
    if upload.size is not None and upload.size > MAX_UPLOAD:
        raise ValueError("the file is larger than 10 MB")
    try:
        return bytes(upload.read()).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the file is not UTF-8 text (byte {exc.start})") from None


@role_required(Role.DISTRICT_ADMIN)
def survey_item(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: edit its wording, construct, order and scale; retire or restore it."""
    user = actor(request)
    found = queries.survey_item_by_id(pk)
    if found is None or not policy.can(user, Action.MANAGE_INNOVATION, found.district):
        raise Http404("survey item not found")
    error = ""
    if request.method == "POST":
        part = request.POST.get("part", "")
        try:
            if part == "edit":
                services.update_survey_item(
                    user,
                    found,
                    construct=request.POST.get("construct", ""),
                    text=request.POST.get("text", ""),
                    position=form_id(request.POST.get("position", "")) or 0,
                    scale=_lines(request.POST.get("scale", "")),
                )
            elif part in ("retire", "restore"):
                services.retire_survey_item(user, found, retired=part == "retire")
            else:
                raise ValueError("unknown form")
            return redirect("web:survey-item", pk=found.pk)
        except ValueError as exc:
            error = str(exc)
            found.refresh_from_db()
    row = next(r for r in queries.survey_item_rows(found.district) if r.item.pk == found.pk)
    return render(
        request,
        "web/innovation/survey_item.html",
        {
            "row": row,
            "item": found,
            "constructs": SurveyItem.Construct.choices,
            "scale_text": request.POST.get("scale", "") if error else "\n".join(found.labels),
            "history": queries.edit_log(found.district, kinds=("survey item",), object_id=found.pk),
            "error": error,
        },
        status=400 if error else 200,
    )
