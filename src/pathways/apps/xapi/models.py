"""A district's learning record store, learners' opaque xAPI ids, and the statement outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from pathways.apps.evidence.models import Evidence
from pathways.apps.roster.models import District


class LrsConnection(models.Model):
    """Where a district's statements go. The secret is stored encrypted (see ``secrets.py``)."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="lrs")
    endpoint = models.URLField(max_length=500, help_text="xAPI endpoint, e.g. https://lrs/xAPI/")
    key = models.CharField(max_length=200, help_text="Basic-auth user (the LRS 'key')")
    secret_encrypted = models.BinaryField(help_text="Basic-auth password, encrypted at rest")
    home_page = models.URLField(
        max_length=300, help_text="This Pathways site's address: the homePage of learner accounts"
    )
    active = models.BooleanField(default=True)
    batch_size = models.PositiveSmallIntegerField(default=50)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"LRS of {self.district}: {self.endpoint}"


class LearnerIdentity(models.Model):
    """A learner's opaque, random, stable xAPI account name: not derived from anything personal,
    so the LRS can link a learner's statements without learning who the learner is."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_identity"
    )
    name = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.name


class OutboxEntry(models.Model):
    """One piece of evidence waiting for (or delivered to) the LRS; its statement id is the
    evidence id, so sending twice is harmless."""

    evidence = models.OneToOneField(
        Evidence, on_delete=models.CASCADE, primary_key=True, related_name="xapi_outbox"
    )
    connection = models.ForeignKey(LrsConnection, on_delete=models.CASCADE, related_name="outbox")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "outbox entries"
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="xapi_outbox_due")]

    def __str__(self) -> str:
        return f"statement {self.evidence_id}"
