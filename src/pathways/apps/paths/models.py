"""Personal learning paths: teachers' assignments, students' choices with their reasons."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pathways.apps.activities.models import Activity
from pathways.apps.roster.models import Course, Section
from pathways.apps.standards.models import Standard


class Assignment(models.Model):
    """Work a teacher assigns (or pins to the top of paths) for a section or one student."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="assignments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
        help_text="Empty: the whole section",
    )
    pinned = models.BooleanField(default=False)
    due = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments_made"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pinned", "due", "-created_at"]

    def __str__(self) -> str:
        return f"{self.activity} for {self.student or self.section}"


class Choice(models.Model):
    """A choice on a choice board: the options offered, the one chosen, why, and how it went."""

    id = models.UUIDField(primary_key=True)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="choices"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    offered = models.ManyToManyField(Activity, related_name="+")
    chosen = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="choices")
    reason = models.TextField(max_length=2000)
    how_it_went = models.TextField(blank=True, max_length=2000)
    chosen_at = models.DateTimeField(auto_now_add=True)
    reflected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-chosen_at"]

    def __str__(self) -> str:
        return f"{self.student} chose {self.chosen}"


class MasteryCheck(models.Model):
    """An on-demand mastery check a student asked for: items drawn from the bank for a standard."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    id = models.UUIDField(primary_key=True)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mastery_checks"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    item_ids = models.JSONField(default=list)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    requested_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"mastery check of {self.student} on {self.standard}"


class PacingGuide(models.Model):
    """When a course starts and when the state test is: the dates self-pacing must meet."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="pacing_guide")
    start_date = models.DateField()
    test_date = models.DateField(
        help_text="State test date; the course's standards are due by then"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(test_date__gt=models.F("start_date")),
                name="pacing_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"pacing of {self.course}: test on {self.test_date}"


class AssignmentCompletion(models.Model):
    """A student saying they finished an assigned activity (once per student and assignment:
    an assignment for a whole section is completed by each student separately)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="completions")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions"
    )
    note = models.TextField(blank=True, max_length=2000)
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="one_completion_per_student"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} completed {self.assignment}"
