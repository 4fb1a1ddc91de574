"""Recorded evidence queues its xAPI statement in the same transaction (when the student's
district has an LRS), so the outbox has the row exactly when the evidence exists."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from pathways.apps.evidence.models import Evidence


@receiver(post_save, sender=Evidence, dispatch_uid="xapi-queue-evidence")
def _queue_statement(
    sender: type[Evidence], instance: Evidence, created: bool, **kwargs: Any
) -> None:
    if created and not kwargs.get("raw"):
        from pathways.apps.xapi.services import enqueue

        enqueue(instance)
