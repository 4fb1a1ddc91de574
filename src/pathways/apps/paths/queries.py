"""Reads for paths: items, checks and choices a page needs (callers check access first)."""

from __future__ import annotations

import uuid

from pathways.apps.accounts.models import User
from pathways.apps.activities.models import Activity, Item
from pathways.apps.paths.models import Assignment, Choice, MasteryCheck
from pathways.apps.standards.models import Standard


def standard_by_id(pk: int) -> Standard | None:
    return Standard.objects.filter(pk=pk).first()


def item_by_id(pk: int) -> Item | None:
    return Item.objects.select_related("standard").filter(pk=pk).first()


def check_of(student: User, check_id: uuid.UUID) -> MasteryCheck | None:
    return MasteryCheck.objects.select_related("standard").filter(pk=check_id, student=student).first()


def activities_by_id(ids: list[int]) -> list[Activity]:
    found = {a.pk: a for a in Activity.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def choices_of(student: User, limit: int = 10) -> list[Choice]:
    return list(Choice.objects.filter(student=student).select_related("chosen", "standard")[:limit])


def choice_of(student: User, choice_id: uuid.UUID) -> Choice | None:
    return Choice.objects.filter(pk=choice_id, student=student).first()


def assignments_for(student: User) -> list[Assignment]:
    """Work assigned to the student or to any of their sections, pinned first."""
    return list(
        Assignment.objects.filter(section__enrollments__user=student, section__enrollments__active=True)
        .filter(student__isnull=True)
        .union(Assignment.objects.filter(student=student))
        .order_by("-pinned", "due", "-created_at")
    )
