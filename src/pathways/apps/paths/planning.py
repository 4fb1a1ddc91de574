"""Adapters between the platform and the path planner engine: rows in, a planned path out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from pathways.apps.accounts.models import User
from pathways.apps.activities.models import Activity
from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery import adapters
from pathways.apps.mastery.models import MasteryEstimate
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.mastery.services import MASTERY_RULE
from pathways.apps.profiles.queries import interests_of
from pathways.apps.standards.models import Association, Standard
from pathways.engines.planning import (
    ActivityOption,
    PlannedPath,
    SkillGraph,
    plan_path,
    review_cards,
    reviews_due,
)


@dataclass(frozen=True)
class PathView:
    planned: PlannedPath
    activities: dict[str, Activity]  # ActivityOption.id -> row
    standards: dict[str, Standard]  # skill id (the standard's short code) -> row


def todays_path(student: User, *, max_steps: int = 4) -> PathView:
    """The student's next activities, from the planner, over the standards of their courses."""
    standards = student_course_standards(student)
    ids = [s.pk for s in standards]
    code = {s.pk: s.short_code for s in standards}  # skills are named by code, so reasons read well
    params = {code[k]: v for k, v in adapters.params_for(ids).items()}
    estimates = {
        e.standard_id: e
        for e in MasteryEstimate.objects.filter(student=student, standard_id__in=ids)
    }
    states = {code[i]: adapters.to_state(estimates.get(i), params[code[i]]) for i in ids}
    timeline = _timeline(student, code)
    # Mastered standards come back for review when FSRS says recall is fading; the cards are
    # rebuilt from when each was mastered and the answers since (days in the server's zone).
    cards = review_cards(
        {code[i]: timezone.localtime(e.mastered_at) for i, e in estimates.items() if e.mastered_at},
        [(skill, right, timezone.localtime(at)) for skill, right, at in timeline],
    )
    rows, options = _library(code)
    planned = plan_path(
        _course_graph(student, code),
        params,
        states,
        options,
        answers=[(skill, right) for skill, right, _ in timeline],
        reviews=reviews_due(cards, timezone.now()),
        interests=interests_of(student),
        max_steps=max_steps,
        rule=MASTERY_RULE,
    )
    return PathView(planned, rows, {s.short_code: s for s in standards})


def _course_graph(student: User, code: dict[int, str]) -> SkillGraph:
    """The standards by code, with the ``precedes`` associations among them as prerequisites."""
    prerequisites: dict[str, list[str]] = {c: [] for c in code.values()}
    for origin, destination in Association.objects.filter(
        kind=Association.Kind.PRECEDES, destination_id__in=code, origin_id__in=code
    ).values_list("origin_id", "destination_id"):
        prerequisites[code[destination]].append(code[origin])
    return SkillGraph(prerequisites, source=f"courses of {student.username}")


def _timeline(student: User, code: dict[int, str]) -> list[tuple[str, bool, datetime]]:
    """Every piece of the student's evidence on these standards, oldest first, as (code, right,
    when): the planner reads each as an answer, right or wrong (a rubric level 3 or 4 counts as
    right), as the mastery engine saw it."""
    return [
        (code[standard_id], adapters.observation(kind, correct, level)[0] >= 0.5, at)
        for standard_id, kind, correct, level, at in Evidence.objects.filter(
            student=student, standard_id__in=code
        )
        .order_by("occurred_at", "recorded_at")
        .values_list("standard_id", "kind", "correct", "rubric_level", "occurred_at")
    ]


def _library(code: dict[int, str]) -> tuple[dict[str, Activity], list[ActivityOption]]:
    """The library's activities on these standards, one option per (activity, standard), in the
    library's order (by title); the links come in one query (a prefetch per activity cost more
    than the planner)."""
    links = list(
        Activity.standards.through.objects.filter(standard_id__in=code)
        .order_by("activity__title", "activity_id", "standard_id")
        .values_list("activity_id", "standard_id")
    )
    library = Activity.objects.in_bulk({activity_id for activity_id, _ in links})
    rows: dict[str, Activity] = {}
    options = []
    for activity_id, standard_id in links:
        activity = library[activity_id]
        key = f"{activity.pk}:{standard_id}"
        rows[key] = activity
        options.append(
            ActivityOption(
                id=key,
                skill=code[standard_id],
                title=activity.title,
                # The label, not the code: it appears in the reasons students read.
                modality=activity.get_modality_display().lower(),
                bloom=activity.bloom_level,
                minutes=activity.duration_minutes,
                interests=tuple(activity.interest_tags),
            )
        )
    return rows, options
