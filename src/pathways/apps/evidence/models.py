"""Evidence of learning: every answer, exit ticket, rubric score and mastery check."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pathways.apps.activities.models import Activity, Item
from pathways.apps.standards.models import Standard


class Evidence(models.Model):
    """One piece of evidence about one student on one standard.

    The id is made by the client (a UUID), so a submission retried after a lost connection is
    recorded once.
    """

    class Kind(models.TextChoices):
        ITEM_RESPONSE = "item_response", "Item response"
        EXIT_TICKET = "exit_ticket", "Exit ticket"
        RUBRIC = "rubric", "Rubric score"
        MASTERY_CHECK = "mastery_check", "Mastery check"

    id = models.UUIDField(primary_key=True)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.PROTECT)
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL)
    correct = models.BooleanField(null=True, blank=True)
    rubric_level = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_recorded",
    )
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["occurred_at"]
        indexes = [
            models.Index(fields=["student", "standard", "occurred_at"], name="evidence_timeline")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rubric_level__isnull=True)
                | models.Q(rubric_level__gte=1, rubric_level__lte=4),
                name="evidence_rubric_level_1_to_4",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.student_id} on {self.standard_id}"
