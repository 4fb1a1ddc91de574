"""Statements from outside tools into evidence, all or nothing, through the evidence service
(so the access policy, idempotence by id, mastery updates and the audit log all apply).

* the learner is the ``actor.account.name`` Pathways gave them (their opaque xAPI id);
* the object is a Pathways item (``.../items/<identifier>``) or a standard (its CASE URI,
  ``.../competencies/<identifier>``, ``.../CFItems/<identifier>`` or ``urn:uuid:<identifier>``);
* ``answered`` is an item response, ``completed`` an exit ticket (both need ``result.success``),
  ``scored`` a rubric level (``result.score.raw`` 1 to 4), ``passed``/``failed`` a mastery check.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from django.db import transaction

from pathways.apps.access import policy
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.activities.models import Item
from pathways.apps.evidence.models import Evidence
from pathways.apps.evidence.services import EvidenceConflict, record_evidence
from pathways.apps.standards.models import Standard
from pathways.apps.xapi.models import LearnerIdentity
from pathways.interop.xapi import IncomingStatement, same_statement

__all__ = ["StatementConflict", "UnknownReference", "record_statements"]

_ITEM = re.compile(r"/items/([^/?#]+)/?$")
_STANDARD = re.compile(r"(?:/competencies/|/CFItems/|/uri/|^urn:uuid:)([^/?#]+)/?$", re.IGNORECASE)
_KINDS = {
    "answered": Evidence.Kind.ITEM_RESPONSE,
    "completed": Evidence.Kind.EXIT_TICKET,
    "scored": Evidence.Kind.RUBRIC,
    "passed": Evidence.Kind.MASTERY_CHECK,
    "failed": Evidence.Kind.MASTERY_CHECK,
}


class UnknownReference(Exception):
    """A learner or activity that is not in Pathways (or that the caller may not use)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")


class StatementConflict(Exception):
    """A statement id already used for a different statement."""


def _learner(actor: User, statement: IncomingStatement) -> User:
    identity = LearnerIdentity.objects.select_related("user").filter(name=statement.learner).first()
    path = f"{statement.path}.actor.account.name"
    if identity is None:
        raise UnknownReference(path, "no learner you may record evidence for has this id")
    student = identity.user
    # Checked before anything else about the statement, so a refusal reveals nothing more.
    action = Action.SUBMIT_OWN_WORK if actor.pk == student.pk else Action.RECORD_EVIDENCE
    try:
        policy.require(actor, action, student)
    except policy.NotFound:
        raise UnknownReference(path, "no learner you may record evidence for has this id") from None
    return student


def _target(statement: IncomingStatement) -> tuple[Standard, Item | None]:
    path = f"{statement.path}.object.id"
    match = _ITEM.search(statement.object_id)
    if match:
        item = Item.objects.select_related("standard").filter(identifier=unquote(match[1])).first()
        if item is None:
            raise UnknownReference(path, f"no item {unquote(match[1])!r} in the item bank")
        return item.standard, item
    for uri in (statement.object_id, *statement.parents):
        found = _STANDARD.search(uri)
        if found:
            standard = Standard.objects.filter(identifier__iexact=unquote(found[1])).first()
            if standard is not None:
                return standard, None
    raise UnknownReference(
        path, "not a Pathways item (.../items/ID) or a standard's CASE URI known here"
    )


def _record_one(actor: User, statement: IncomingStatement) -> None:
    student = _learner(actor, statement)
    standard, item = _target(statement)
    existing = Evidence.objects.filter(pk=statement.id).values_list("response", flat=True).first()
    stored = existing.get("xapi") if isinstance(existing, dict) else None
    if stored is not None and not same_statement(stored, statement.raw):
        raise StatementConflict(
            f"{statement.path}.id: statement {statement.id} already exists with other content"
        )
    kind = _KINDS[statement.verb]
    correct: bool | None = None
    rubric_level: int | None = None
    if kind == Evidence.Kind.RUBRIC:
        rubric_level = int(statement.raw_score or 0)
    elif kind == Evidence.Kind.MASTERY_CHECK:
        correct = statement.verb == "passed"
    else:
        correct = statement.success
    try:
        record_evidence(
            actor,
            evidence_id=statement.id,
            student=student,
            standard=standard,
            kind=kind,
            correct=correct,
            rubric_level=rubric_level,
            item=item,
            response={"xapi": statement.raw},
            occurred_at=statement.timestamp,
            channel="xapi",
        )
    except policy.NotFound:
        raise UnknownReference(
            f"{statement.path}.actor.account.name",
            "no learner you may record evidence for has this id",
        ) from None
    except EvidenceConflict:
        raise StatementConflict(
            f"{statement.path}.id: statement {statement.id} already exists with other content"
        ) from None


def record_statements(actor: User, statements: list[IncomingStatement]) -> list[str]:
    """Record every statement or none; the ids, in order. Replays change nothing."""
    with transaction.atomic():
        for statement in statements:
            _record_one(actor, statement)
    return [str(s.id) for s in statements]
