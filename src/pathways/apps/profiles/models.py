"""Learner profiles: interests, aspirations, goals, habits, reflections, restricted fields."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LearnerProfile(models.Model):
    """What a student says about themself, plus fields only staff may read."""

    class LanguageStatus(models.TextChoices):
        NONE = "", "Not recorded"
        ENGLISH_ONLY = "EO", "English only"
        LEARNER = "EL", "English learner"
        RECLASSIFIED = "RFEP", "Reclassified fluent English proficient"
        INITIALLY_FLUENT = "IFEP", "Initially fluent English proficient"

    student = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile"
    )
    interests = models.JSONField(default=list, blank=True)
    aspirations = models.TextField(blank=True, max_length=2000)
    # Restricted: staff with access to the student only (never the student page or guardians).
    accommodations = models.TextField(blank=True, max_length=4000)
    language_status = models.CharField(
        max_length=8, choices=LanguageStatus.choices, blank=True, default=""
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile of {self.student}"


class Goal(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", "Working on it"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Set aside"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(max_length=200)
    target_date = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state", "target_date", "pk"]

    def __str__(self) -> str:
        return self.title


class GoalCheckIn(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    progress = models.PositiveSmallIntegerField(help_text="Percent of the way there, 0-100")
    note = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="checkin_progress")
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.progress}%"


class HabitRating(models.Model):
    """A self-rating of a habit of work, kept over time so growth is visible."""

    class Habit(models.TextChoices):
        PERSISTENCE = "persistence", "I keep going when work is hard"
        ORGANIZATION = "organization", "I plan and organize my work"
        COLLABORATION = "collaboration", "I work well with others"
        SELF_REGULATION = "self_regulation", "I manage my attention and feelings"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="habit_ratings"
    )
    habit = models.CharField(max_length=24, choices=Habit.choices)
    rating = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=4), name="habit_rating_1_to_4"
            )
        ]

    def __str__(self) -> str:
        return f"{self.habit}: {self.rating}"


class Reflection(models.Model):
    """A student's own words: why they chose, how it went, what they learned. Client-made id."""

    id = models.UUIDField(primary_key=True)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    prompt = models.CharField(max_length=200)
    text = models.TextField(max_length=4000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.prompt}: {self.text[:40]}"
