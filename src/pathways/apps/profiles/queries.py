"""The learner profile as a page or the API shows it; restricted fields only when allowed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pathways.apps.accounts.models import User
from pathways.apps.profiles.models import Goal, HabitRating, LearnerProfile, Reflection


@dataclass(frozen=True)
class ProfileView:
    interests: list[str]
    aspirations: str
    goals: list[Goal]
    habits: dict[str, list[tuple[str, int]]]  # habit label -> [(date, rating), ...] oldest first
    reflections: list[Reflection]
    accommodations: str | None  # None: not allowed to see
    language_status: str | None


def interests_of(student: User) -> list[str]:
    profile = LearnerProfile.objects.filter(student=student).first()
    return list(profile.interests) if profile else []


def profile_of(student: User, *, include_restricted: bool) -> ProfileView:
    profile = LearnerProfile.objects.filter(student=student).first()
    habits: dict[str, list[tuple[str, int]]] = defaultdict(list)
    labels = dict(HabitRating.Habit.choices)
    for rating in HabitRating.objects.filter(student=student).order_by("at"):
        habits[labels[rating.habit]].append((rating.at.date().isoformat(), rating.rating))
    return ProfileView(
        interests=list(profile.interests) if profile else [],
        aspirations=profile.aspirations if profile else "",
        goals=list(Goal.objects.filter(student=student).prefetch_related("check_ins")),
        habits=dict(habits),
        reflections=list(Reflection.objects.filter(student=student)[:10]),
        accommodations=(profile.accommodations if profile else "") if include_restricted else None,
        language_status=(profile.get_language_status_display() if profile else "")
        if include_restricted
        else None,
    )


def goal_of(student: User, goal_id: str) -> Goal | None:
    """One of the student's own goals, or None (never another student's)."""
    if not goal_id.isdigit():
        return None
    return Goal.objects.filter(student=student, pk=int(goal_id)).first()


def reflections_page(student: User, *, offset: int, limit: int) -> tuple[int, list[Reflection]]:
    """The student's reflections, newest first, one page at a time."""
    found = Reflection.objects.filter(student=student)
    return found.count(), list(found.order_by("-at", "pk")[offset : offset + limit])


def language_status_code(student: User) -> str:
    """The stored code (EO, EL, RFEP, IFEP or empty). Restricted: callers check staff access."""
    profile = LearnerProfile.objects.filter(student=student).first()
    return profile.language_status if profile else ""
