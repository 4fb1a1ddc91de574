"""Reads for paths: items, checks and choices a page needs (callers check access first)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q

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


@dataclass(frozen=True)
class Progress:
    """How many of an assignment's students marked it done (``of`` is 1 for one student)."""

    done: int
    of: int
    whole_class: bool


def completion_progress(assignments: list[Assignment]) -> dict[int, Progress]:
    """Per assignment id, its completions out of its students, in two queries for any number.

    A one-student assignment counts that student only. A whole-class assignment's students are
    its section's active student enrollments *now*: a student who left the class is not counted,
    even if they marked it done before leaving, so ``done`` never exceeds ``of``.
    """
    if not assignments:
        return {}
    ids = [a.pk for a in assignments]
    enrolled_now = Enrollment.objects.filter(
        section_id=OuterRef("assignment__section_id"),
        user_id=OuterRef("student_id"),
        role=Enrollment.SectionRole.STUDENT,
        active=True,
    )
    done = dict(
        AssignmentCompletion.objects.filter(assignment_id__in=ids)
        .filter(
            Q(assignment__student_id=F("student_id"))
            | (Q(assignment__student__isnull=True) & Exists(enrolled_now))
        )
        .values("assignment_id")
        .annotate(n=Count("pk"))
        .values_list("assignment_id", "n")
    )
    class_sizes = dict(
        Enrollment.objects.filter(
            section_id__in={a.section_id for a in assignments if a.student_id is None},
            role=Enrollment.SectionRole.STUDENT,
            active=True,
        )
        .values("section_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("section_id", "n")
    )
    return {
        a.pk: Progress(
            done=done.get(a.pk, 0),
            of=1 if a.student_id is not None else class_sizes.get(a.section_id, 0),
            whole_class=a.student_id is None,
        )
        for a in assignments
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
