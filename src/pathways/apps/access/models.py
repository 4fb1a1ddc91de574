"""The access log: who read or changed which student's data, when, and under which scope."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AccessLog(models.Model):
    """Append-only record of staff access to student data (FERPA: legitimate interest)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scope = models.CharField(max_length=200, help_text="Why the actor may see it")
    channel = models.CharField(max_length=8, default="web")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["student", "at"], name="accesslog_student_at"),
            models.Index(fields=["actor", "at"], name="accesslog_actor_at"),
            models.Index(fields=["at"], name="accesslog_at"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("the access log is append-only")
        super().save(*args, **kwargs)


class RetentionPolicy(models.Model):
    """How long a district keeps student records (its data privacy agreement says).

    ``pathways privacy purge`` deletes evidence older than ``keep_days`` and access-log entries,
    sign-in attempts and day schedules older than ``log_keep_days`` (``access.privacy``).
    """

    district = models.OneToOneField(
        "roster.District", on_delete=models.CASCADE, related_name="retention_policy"
    )
    keep_days = models.PositiveIntegerField(
        default=3 * 365, help_text="Evidence and answers older than this are deleted"
    )
    log_keep_days = models.PositiveIntegerField(
        default=7 * 365, help_text="Access-log entries and sign-in attempts older than this"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"retention of district {self.district_id}: {self.keep_days} days"


class CorrectionRequest(models.Model):
    """A guardian's or eligible student's request to correct the student's record (FERPA
    §99.20), tracked from open to resolved or declined, with the school's answer."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Corrected"
        DECLINED = "declined", "Declined"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="correction_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    about = models.CharField(max_length=200, help_text="Which part of the record")
    details = models.TextField(max_length=4000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(blank=True, max_length=4000)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"correction request {self.pk} ({self.status})"
