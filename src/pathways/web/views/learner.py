"""A student's grades, profile and path: their own pages, also read by staff and guardians."""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pathways.apps.access import audit, policy
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.mastery import grades as grade_queries
from pathways.apps.mastery import queries
from pathways.apps.paths import planning
from pathways.apps.paths import queries as path_queries
from pathways.apps.paths import services as paths
from pathways.apps.profiles import queries as profile_queries
from pathways.apps.profiles import services as profiles
from pathways.apps.profiles.models import HabitRating, LearnerProfile
from pathways.engines.grading import GRADE_LABELS
from pathways.web.views._common import form_id, form_ids, student_for


def _context(student: User, user: User, **extra: object) -> dict[str, object]:
    return {"student": student, "is_self": user.pk == student.pk, **extra}


@login_required
def grades(request: HttpRequest, pk: int) -> HttpResponse:
    user, student = student_for(request, pk)
    rows = grade_queries.grades_for(student)
    audit.log_access(user, "view_grades", student, students=[student], scope="view_student")
    spread = {level: sum(1 for r in rows if r.report.grade == level) for level in (1, 2, 3, 4)}
    return render(
        request,
        "web/shared/grades.html",
        _context(student, user, rows=rows, spread=spread, labels=GRADE_LABELS, tab="grades"),
    )


@login_required
def grade_detail(request: HttpRequest, pk: int, standard_pk: int) -> HttpResponse:
    user, student = student_for(request, pk)
    found = grade_queries.grades_for(student, [standard_pk])
    if not found:
        raise Http404("standard not found")
    row = found[0]
    audit.log_access(user, "view_grade", student, students=[student], scope="view_student")
    history = grade_queries.mastery_over_time(student, row.standard)
    chart = {"labels": [d for d, _ in history], "values": [round(100 * p, 1) for _, p in history]}
    return render(
        request,
        "web/shared/grade_detail.html",
        _context(
            student,
            user,
            row=row,
            chart=chart,
            tab="grades",
            descriptors=sorted(row.report.descriptors.items(), reverse=True),
            can_practise=user.pk == student.pk,
        ),
    )


@login_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    user, student = student_for(request, pk)
    restricted = policy.can(user, Action.VIEW_RESTRICTED, student)
    view = profile_queries.profile_of(student, include_restricted=restricted)
    audit.log_access(user, "view_profile", student, students=[student], scope="view_student")
    mastery = queries.student_mastery(student)
    strengths = [r for r in mastery if r.status == queries.Status.MASTERED][:8]
    gaps = [r for r in mastery if r.status == queries.Status.BEGINNING][:8]
    return render(
        request,
        "web/shared/profile.html",
        _context(
            student,
            user,
            profile=view,
            restricted=restricted,
            tab="profile",
            can_edit=policy.can(user, Action.EDIT_OWN_PROFILE, student),
            can_edit_restricted=policy.can(user, Action.EDIT_RESTRICTED, student),
            habits=HabitRating.Habit.choices,
            language_choices=LearnerProfile.LanguageStatus.choices,
            strengths=strengths,
            gaps=gaps,
            new_id=uuid.uuid4(),
            error=request.session.pop("profile_error", ""),
        ),
    )


@require_POST
@login_required
def profile_update(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """One form per part of the profile; each goes through its service (which checks access)."""
    user, student = student_for(request, pk)
    data = request.POST
    try:
        if part == "about":
            profiles.update_own_profile(
                user,
                student,
                interests=data.get("interests", ""),
                aspirations=data.get("aspirations", ""),
            )
        elif part == "goal":
            target = data.get("target_date") or ""
            profiles.add_goal(
                user,
                student,
                title=data.get("title", ""),
                target_date=date.fromisoformat(target) if target else None,
            )
        elif part == "checkin":
            goal = profile_queries.goal_of(student, data.get("goal", ""))
            if goal is None:
                raise Http404("goal not found")
            profiles.check_in(
                user, goal, progress=int(data.get("progress", "0")), note=data.get("note", "")
            )
        elif part == "habit":
            profiles.rate_habit(
                user, student, habit=data.get("habit", ""), rating=int(data.get("rating", "0"))
            )
        elif part == "reflection":
            profiles.reflect(
                user,
                student,
                reflection_id=uuid.UUID(data.get("id", "")),
                prompt=data.get("prompt", "Reflection"),
                text=data.get("text", ""),
            )
        elif part == "restricted":
            profiles.update_restricted(
                user,
                student,
                accommodations=data.get("accommodations", ""),
                language_status=data.get("language_status", ""),
            )
        else:
            raise Http404("unknown form")
    except policy.NotFound:
        raise Http404("student not found") from None
    except ValueError as error:
        request.session["profile_error"] = str(error)
    return redirect("web:profile", pk=student.pk)


#: How a path step's kind reads on the page (a plain learn step needs no label).
STEP_LABELS = {"review": "Review", "revisit": "Another look", "stretch": "Stretch"}


@login_required
def path(request: HttpRequest, pk: int) -> HttpResponse:
    """Today's path: the planner's next steps with reasons, and a choice board that asks why."""
    user, student = student_for(request, pk)
    view = planning.todays_path(student)
    audit.log_access(user, "view_path", student, students=[student], scope="view_student")
    steps = [
        {
            "step": step,
            "label": STEP_LABELS.get(step.kind, ""),
            "activity": view.activities[step.activity.id],
            "standard": view.standards[step.skill],
        }
        for step in view.planned.steps
    ]
    board = [
        {"option": option, "activity": view.activities[option.id], "reason": reason}
        for option, reason in zip(view.planned.choices, view.planned.choice_reasons, strict=True)
    ]
    board_standard = view.standards[view.planned.choices[0].skill] if view.planned.choices else None
    return render(
        request,
        "web/shared/path.html",
        _context(
            student,
            user,
            tab="path",
            steps=steps,
            board=board,
            board_standard=board_standard,
            notes=view.planned.notes,
            assignments=_assignment_entries(student),
            to_reflect=[c for c in path_queries.choices_of(student) if not c.how_it_went][:3],
            can_choose=user.pk == student.pk,
            choice_id=uuid.uuid4(),
            error=request.session.pop("path_error", ""),
        ),
    )


def _assignment_entries(student: User) -> list[dict[str, object]]:
    """Each assignment of the student with their completion (None: not done yet)."""
    found = path_queries.assignments_for(student)
    done = path_queries.completions_of(student, [a.pk for a in found])
    return [{"assignment": a, "completion": done.get(a.pk)} for a in found]


@require_POST
@login_required
def complete_assignment(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """The student marks assigned work done, once: pressing again changes nothing (not even the
    note). Guardians, staff and other students get the same 404 as a missing assignment."""
    user, student = student_for(request, pk)
    assignment = path_queries.assignment_for(student, assignment_pk)
    if assignment is None:
        raise Http404("assignment not found")
    try:
        completion, _created = paths.complete_assignment(
            user, student, assignment, note=request.POST.get("note", "")
        )
    except policy.NotFound:
        raise Http404("assignment not found") from None
    if not request.headers.get("HX-Request"):
        return redirect(f"{reverse('web:path', args=[student.pk])}#assignment-{assignment.pk}")
    return render(
        request,
        "web/shared/_assignment_item.html",
        _context(
            student,
            user,
            entry={"assignment": assignment, "completion": completion},
            just_done=True,
        ),
    )


@require_POST
@login_required
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    user, student = student_for(request, pk)
    offered = path_queries.activities_by_id(form_ids(request.POST.getlist("offered")))
    chosen = next((a for a in offered if str(a.pk) == request.POST.get("chosen", "")), None)
    standard = path_queries.standard_by_id(form_id(request.POST.get("standard")) or 0)
    try:
        if chosen is None or standard is None:
            raise ValueError("pick one of the options")
        paths.choose(
            user,
            student,
            choice_id=uuid.UUID(request.POST.get("id", "")),
            standard=standard,
            offered=offered,
            chosen=chosen,
            reason=request.POST.get("reason", ""),
        )
    except policy.NotFound:
        raise Http404("student not found") from None
    except ValueError as error:
        request.session["path_error"] = str(error)
    return redirect("web:path", pk=student.pk)


@require_POST
@login_required
def reflect_on_choice(request: HttpRequest, pk: int) -> HttpResponse:
    user, student = student_for(request, pk)
    try:
        choice = path_queries.choice_of(student, uuid.UUID(request.POST.get("choice", "")))
    except ValueError:
        choice = None
    if choice is None:
        raise Http404("choice not found")
    try:
        paths.reflect_on_choice(user, choice, how_it_went=request.POST.get("how_it_went", ""))
    except policy.NotFound:
        raise Http404("student not found") from None
    except ValueError as error:
        request.session["path_error"] = str(error)
    return redirect("web:path", pk=student.pk)
