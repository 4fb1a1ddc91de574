"""Writes to learner profiles. Students edit their own; teachers edit restricted fields."""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction

from pathways.apps.access import audit, policy
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.profiles.models import Goal, GoalCheckIn, HabitRating, LearnerProfile, Reflection

MAX_INTERESTS = 12


def _profile(student: User) -> LearnerProfile:
    profile, _ = LearnerProfile.objects.get_or_create(student=student)
    return profile


def clean_interests(raw: str | list[str]) -> list[str]:
    """Comma-separated or listed interests, trimmed, lower-case, unique, at most 12 of 40 chars."""
    parts = raw.split(",") if isinstance(raw, str) else raw
    seen: list[str] = []
    for part in parts:
        tag = part.strip().lower()[:40]
        if tag and tag not in seen:
            seen.append(tag)
    return seen[:MAX_INTERESTS]


@transaction.atomic
def update_own_profile(
    actor: User, student: User, *, interests: str | list[str], aspirations: str
) -> LearnerProfile:
    policy.require(actor, Action.EDIT_OWN_PROFILE, student)
    profile = _profile(student)
    profile.interests = clean_interests(interests)
    profile.aspirations = aspirations.strip()[:2000]
    profile.save()
    return profile


@transaction.atomic
def update_restricted(
    actor: User, student: User, *, accommodations: str, language_status: str
) -> LearnerProfile:
    policy.require(actor, Action.EDIT_RESTRICTED, student)
    if language_status not in LearnerProfile.LanguageStatus.values:
        raise ValueError(f"unknown language status {language_status!r}")
    profile = _profile(student)
    profile.accommodations = accommodations.strip()[:4000]
    profile.language_status = language_status
    profile.save()
    audit.log_access(actor, "edit_restricted", profile, students=[student], scope="teacher")
    return profile


@transaction.atomic
def add_goal(actor: User, student: User, *, title: str, target_date: date | None) -> Goal:
    policy.require(actor, Action.EDIT_OWN_PROFILE, student)
    title = title.strip()
    if not title:
        raise ValueError("a goal needs a title")
    return Goal.objects.create(student=student, title=title[:200], target_date=target_date)


@transaction.atomic
def check_in(actor: User, goal: Goal, *, progress: int, note: str) -> GoalCheckIn:
    policy.require(actor, Action.EDIT_OWN_PROFILE, goal.student)
    if not 0 <= progress <= 100:
        raise ValueError("progress is a percentage from 0 to 100")
    entry = GoalCheckIn.objects.create(goal=goal, progress=progress, note=note.strip()[:2000])
    if progress == 100 and goal.state == Goal.State.ACTIVE:
        goal.state = Goal.State.ACHIEVED
        goal.save(update_fields=["state"])
    return entry


@transaction.atomic
def rate_habit(actor: User, student: User, *, habit: str, rating: int) -> HabitRating:
    policy.require(actor, Action.EDIT_OWN_PROFILE, student)
    if habit not in HabitRating.Habit.values or not 1 <= rating <= 4:
        raise ValueError("choose a habit and a rating from 1 to 4")
    return HabitRating.objects.create(student=student, habit=habit, rating=rating)


class ReflectionConflict(ValueError):
    """A reflection id already used for other words (answered as 409)."""


@transaction.atomic
def reflect_once(
    actor: User, student: User, *, reflection_id: uuid.UUID, prompt: str, text: str
) -> tuple[Reflection, bool]:
    """Save a reflection once per client-made id: the same id with the same words returns the
    stored one (``created`` False); the same id with other words raises ReflectionConflict."""
    policy.require(actor, Action.EDIT_OWN_PROFILE, student)
    text = text.strip()
    if not text:
        raise ValueError("write a few words first")
    prompt = (prompt.strip() or "Reflection")[:200]
    reflection, created = Reflection.objects.get_or_create(
        pk=reflection_id, defaults={"student": student, "prompt": prompt, "text": text[:4000]}
    )
    if reflection.student_id != student.pk:
        raise policy.NotFound("reflection not found")
    if not created and (reflection.prompt, reflection.text) != (prompt, text[:4000]):
        raise ReflectionConflict(f"reflection {reflection_id} was already saved with other words")
    return reflection, created


def reflect(
    actor: User, student: User, *, reflection_id: uuid.UUID, prompt: str, text: str
) -> Reflection:
    """Save a reflection once per client-made id (a resubmitted form changes nothing)."""
    return reflect_once(actor, student, reflection_id=reflection_id, prompt=prompt, text=text)[0]
