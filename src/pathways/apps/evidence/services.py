"""Recording evidence: one transaction writes the evidence, updates mastery and the audit log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pathways.apps.access import audit, policy
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.activities.models import Activity, Item
from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.models import MasteryEstimate
from pathways.apps.mastery.services import apply_evidence
from pathways.apps.standards.models import Standard

STUDENT_KINDS = {Evidence.Kind.ITEM_RESPONSE, Evidence.Kind.MASTERY_CHECK}


class EvidenceConflict(Exception):
    """The same client id was already used for different evidence."""


@dataclass(frozen=True)
class Recorded:
    evidence: Evidence
    estimate: MasteryEstimate
    created: bool


def _same_content(existing: Evidence, candidate: dict[str, Any]) -> bool:
    return all(getattr(existing, name) == value for name, value in candidate.items())


def recording_action(actor: User, student: User | None) -> Action:
    """What recording evidence for ``student`` asks of ``actor``: their own work, or teaching."""
    if student is not None and actor.pk == student.pk:
        return Action.SUBMIT_OWN_WORK
    return Action.RECORD_EVIDENCE


def record_evidence(
    actor: User,
    *,
    evidence_id: uuid.UUID,
    student: User,
    standard: Standard,
    kind: Evidence.Kind,
    correct: bool | None = None,
    rubric_level: int | None = None,
    item: Item | None = None,
    activity: Activity | None = None,
    response: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
    channel: str = "web",
    permit: policy.Permit | None = None,
) -> Recorded:
    """Record one piece of evidence and update mastery, exactly once per client-made id.

    Students may submit their own item responses and mastery checks; teachers record any kind
    for the students of their sections. Replaying the same id with the same content returns the
    first result; the same id with different content raises :class:`EvidenceConflict`.
    ``permit``: from ``policy.recording_permit`` earlier in this request (saves a query); the
    permission is checked here whenever it is absent or for anything else.
    """
    action = recording_action(actor, student)
    policy.require(actor, action, student, permit=permit)
    if action is Action.SUBMIT_OWN_WORK and kind not in STUDENT_KINDS:
        raise policy.NotFound("students record only their own answers and mastery checks")
    if (correct is None) == (rubric_level is None):
        raise ValueError("give exactly one of correct or rubric_level")
    content = {
        "student_id": student.pk,
        "standard_id": standard.pk,
        "kind": kind,
        "correct": correct,
        "rubric_level": rubric_level,
        "item_id": item.pk if item else None,
    }
    try:
        # Insert first: a new id (nearly every request) costs no existence check. A replay, or
        # the same id arriving twice at once (a client retrying a request still in flight),
        # hits the primary key; the whole transaction rolls back (or its savepoint, inside a
        # caller's transaction) and the stored row decides between replay and conflict.
        with transaction.atomic():
            evidence = Evidence.objects.create(
                id=evidence_id,
                activity=activity,
                response=response or {},
                recorded_by=actor,
                occurred_at=occurred_at or timezone.now(),
                **content,
            )
            evidence.standard = standard  # the answer names it: no second query
            estimate = apply_evidence(evidence)
            audit.log_access(
                actor,
                "record_evidence",
                evidence,
                students=[student],
                scope=action.value,
                channel=channel,
            )
    except IntegrityError:
        existing = Evidence.objects.filter(pk=evidence_id).first()
        if existing is None:
            raise
        if not _same_content(existing, content):
            raise EvidenceConflict(
                f"evidence {evidence_id} already exists with other content"
            ) from None
        estimate = MasteryEstimate.objects.get(student=student, standard=standard)
        return Recorded(existing, estimate, created=False)
    return Recorded(evidence, estimate, created=True)


def record_exit_tickets(
    actor: User,
    *,
    batch_id: uuid.UUID,
    standard: Standard,
    results: dict[User, bool],
    activity: Activity | None = None,
) -> list[Recorded]:
    """A station's exit tickets, one per student, in one transaction.

    Each row's id derives from the batch id and the student, so submitting the same form twice
    (a double click, a retry after a lost connection) records nothing new.
    """
    with transaction.atomic():
        return [
            record_evidence(
                actor,
                evidence_id=uuid.uuid5(batch_id, str(student.pk)),
                student=student,
                standard=standard,
                kind=Evidence.Kind.EXIT_TICKET,
                correct=passed,
                activity=activity,
            )
            for student, passed in results.items()
        ]
