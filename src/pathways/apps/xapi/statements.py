"""Evidence rows into xAPI statements (the facts are read here; the JSON is built in interop)."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from django.db import IntegrityError, transaction

from pathways.apps.accounts.models import User
from pathways.apps.evidence.models import Evidence
from pathways.apps.roster.models import Enrollment
from pathways.apps.xapi.models import LearnerIdentity, LrsConnection
from pathways.interop.xapi import EvidenceFacts, build_statement, competency_uri


def learner_name(user: User) -> str:
    """The learner's opaque xAPI account name, made (randomly) the first time it is needed."""
    found = LearnerIdentity.objects.filter(user=user).values_list("name", flat=True).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return LearnerIdentity.objects.create(user=user, name=secrets.token_hex(16)).name
    except IntegrityError:  # made at the same moment by another request
        return LearnerIdentity.objects.get(user=user).name


def _section(evidence: Evidence) -> tuple[str, str, int | None]:
    """The student's class that teaches the standard (its URI, title), if any."""
    enrollment = (
        Enrollment.objects.filter(
            user_id=evidence.student_id,
            role=Enrollment.SectionRole.STUDENT,
            active=True,
            section__course__course_standards__standard_id=evidence.standard_id,
        )
        .select_related("section")
        .order_by("section_id")
        .first()
    )
    if enrollment is None:
        return "", "", None
    section = enrollment.section
    return str(section.sourced_id or section.pk), section.title, section.pk


def statement_for(evidence: Evidence, connection: LrsConnection) -> dict[str, Any]:
    home = connection.home_page.rstrip("/")
    standard = evidence.standard
    framework = standard.framework
    section_key, section_title, _ = _section(evidence)
    facts = EvidenceFacts(
        evidence_id=str(evidence.pk),
        kind=evidence.kind,
        occurred_at=evidence.occurred_at,
        home_page=home,
        learner=learner_name(evidence.student),
        competency_id=competency_uri(
            home, standard.identifier, framework.identifier, framework.source_uri
        ),
        competency_code=standard.short_code,
        competency_statement=standard.statement,
        correct=evidence.correct,
        rubric_level=evidence.rubric_level,
        item_identifier=evidence.item.identifier if evidence.item else "",
        item_kind=evidence.item.kind if evidence.item else "",
        section_id=f"{home}/sections/{quote(section_key, safe='')}" if section_key else "",
        section_name=section_title,
    )
    return build_statement(facts)
