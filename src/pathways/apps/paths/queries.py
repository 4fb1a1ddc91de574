"""Reads for paths: items, checks and choices a page needs (callers check access first)."""

from __future__ import annotations

import uuid

from django.db.models import Q

from pathways.apps.accounts.models import User
from pathways.apps.activities.models import Activity, Item
from pathways.apps.paths.models import Assignment, AssignmentCompletion, Choice, MasteryCheck
from pathways.apps.roster.models import Enrollment
from pathways.apps.standards.models import Standard


def standard_by_id(pk: int) -> Standard | None:
    return Standard.objects.filter(pk=pk).first()


def item_by_id(pk: int) -> Item | None:
    return Item.objects.select_related("standard").filter(pk=pk).first()


def check_of(student: User, check_id: uuid.UUID) -> MasteryCheck | None:
    return (
        MasteryCheck.objects.select_related("standard").filter(pk=check_id, student=student).first()
    )


def activities_by_id(ids: list[int]) -> list[Activity]:
    found = {a.pk: a for a in Activity.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def choices_of(student: User, limit: int = 10) -> list[Choice]:
    return list(Choice.objects.filter(student=student).select_related("chosen", "standard")[:limit])


def choice_of(student: User, choice_id: uuid.UUID) -> Choice | None:
    return Choice.objects.filter(pk=choice_id, student=student).first()


def assignments_for(student: User) -> list[Assignment]:
    """Work assigned to the student or to any of their sections, pinned first."""
    sections = Enrollment.objects.filter(user=student, active=True, role="student").values(
        "section"
    )
    return list(
        Assignment.objects.filter(
            Q(section__in=sections, student__isnull=True) | Q(student=student)
        ).select_related("activity")
    )


def recent_choices(student_ids: list[int], limit: int = 12) -> list[Choice]:
    """Students' latest choices with their reasons and reflections (for their teacher)."""
    return list(
        Choice.objects.filter(student_id__in=student_ids)
        .select_related("student", "chosen", "standard")
        .order_by("-chosen_at")[:limit]
    )


def activities_for_standards(standard_ids: list[int]) -> list[Activity]:
    return list(Activity.objects.filter(standards__in=standard_ids).distinct().order_by("title"))


def section_assignments(section_id: int) -> list[Assignment]:
    return list(
        Assignment.objects.filter(section_id=section_id).select_related("activity", "student")[:20]
    )


def bloom_mix(section_ids: list[int]) -> dict[int, dict[int, int]]:
    """Work given in each class by Bloom level: teachers' assignments plus students' choices."""
    mix: dict[int, dict[int, int]] = {sid: dict.fromkeys(range(1, 7), 0) for sid in section_ids}
    for section_id, level in Assignment.objects.filter(section_id__in=section_ids).values_list(
        "section_id", "activity__bloom_level"
    ):
        mix[section_id][level] += 1
    section_of = dict(
        Enrollment.objects.filter(
            section_id__in=section_ids, role="student", active=True
        ).values_list("user_id", "section_id")
    )
    for student_id, level in Choice.objects.filter(student_id__in=list(section_of)).values_list(
        "student_id", "chosen__bloom_level"
    ):
        mix[section_of[student_id]][level] += 1
    return mix


def assignment_for(student: User, pk: int) -> Assignment | None:
    """One assignment the student has (their own or their section's), or None."""
    return next((a for a in assignments_for(student) if a.pk == pk), None)


def completions_of(student: User, assignment_ids: list[int]) -> dict[int, AssignmentCompletion]:
    """The student's completions of these assignments, by assignment id."""
    return {
        c.assignment_id: c
        for c in AssignmentCompletion.objects.filter(
            student=student, assignment_id__in=assignment_ids
        )
    }


def section_assignments_page(
    section_id: int, *, offset: int, limit: int
) -> tuple[int, list[Assignment]]:
    """A section's assignments (to the whole class and to its students), newest first."""
    found = Assignment.objects.filter(section_id=section_id).select_related("activity", "student")
    page = list(found.order_by("-created_at", "-pk")[offset : offset + limit])
    return found.count(), page


def choices_page(student: User, *, offset: int, limit: int) -> tuple[int, list[Choice]]:
    """The student's choices with their reasons and reflections, newest first."""
    found = Choice.objects.filter(student=student)
    page = list(
        found.select_related("chosen", "standard")
        .prefetch_related("offered")
        .order_by("-chosen_at", "pk")[offset : offset + limit]
    )
    return found.count(), page
