"""A mastery check that finishes queues its score for LMS gradebooks (AGS), inside the same
transaction, so the outbox has the row exactly when the check is done."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from pathways.apps.paths.models import MasteryCheck


@receiver(post_save, sender=MasteryCheck, dispatch_uid="lti-queue-check-scores")
def _queue_scores(sender: type[MasteryCheck], instance: MasteryCheck, **kwargs: Any) -> None:
    if instance.state == MasteryCheck.State.DONE:
        from pathways.apps.lti.services import queue_check_scores

        queue_check_scores(instance)
