"""Recording evidence: permission, exactly-once by client id, mastery updated with it."""

from __future__ import annotations

import uuid

import pytest

from pathways.apps.access.models import AccessLog
from pathways.apps.access.policy import NotFound
from pathways.apps.activities.models import Item
from pathways.apps.evidence.models import Evidence
from pathways.apps.evidence.services import EvidenceConflict, record_evidence
from pathways.apps.mastery.models import MasteryEstimate

pytestmark = pytest.mark.django_db


def _item_for(student) -> Item:
    from pathways.apps.standards.models import CourseStandard

    standard_ids = CourseStandard.objects.filter(
        course__sections__enrollments__user=student
    ).values("standard_id")
    return Item.objects.filter(standard_id__in=standard_ids).order_by("pk").first()


def test_student_answer_is_recorded_once_and_updates_mastery(person) -> None:
    student = person("student1")
    item = _item_for(student)
    before = MasteryEstimate.objects.filter(student=student, standard=item.standard).first()
    evidence_id = uuid.uuid4()
    first = record_evidence(
        student,
        evidence_id=evidence_id,
        student=student,
        standard=item.standard,
        kind=Evidence.Kind.ITEM_RESPONSE,
        correct=True,
        item=item,
        response={"answer": "42"},
    )
    again = record_evidence(
        student,
        evidence_id=evidence_id,
        student=student,
        standard=item.standard,
        kind=Evidence.Kind.ITEM_RESPONSE,
        correct=True,
        item=item,
        response={"answer": "42"},
    )
    assert first.created
    assert not again.created
    assert Evidence.objects.filter(pk=evidence_id).count() == 1
    assert again.estimate.p_mastery == first.estimate.p_mastery
    assert first.estimate.n_evidence == (before.n_evidence if before else 0) + 1
    if before:
        assert first.estimate.p_mastery > before.p_mastery


def test_same_id_with_different_content_is_a_conflict(person) -> None:
    student = person("student1")
    item = _item_for(student)
    evidence_id = uuid.uuid4()
    record_evidence(
        student,
        evidence_id=evidence_id,
        student=student,
        standard=item.standard,
        kind=Evidence.Kind.ITEM_RESPONSE,
        correct=True,
        item=item,
    )
    with pytest.raises(EvidenceConflict):
        record_evidence(
            student,
            evidence_id=evidence_id,
            student=student,
            standard=item.standard,
            kind=Evidence.Kind.ITEM_RESPONSE,
            correct=False,
            item=item,
        )


def test_teacher_scores_a_rubric_for_their_student_and_it_is_audited(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    item = _item_for(student)
    recorded = record_evidence(
        teacher,
        evidence_id=uuid.uuid4(),
        student=student,
        standard=item.standard,
        kind=Evidence.Kind.RUBRIC,
        rubric_level=4,
    )
    assert recorded.evidence.recorded_by == teacher
    assert AccessLog.objects.filter(
        actor=teacher, student=student, action="record_evidence"
    ).exists()


@pytest.mark.parametrize("actor", ["teacher2", "principal1", "guardian1", "student2"])
def test_nobody_else_records_evidence_for_student1(person, actor: str) -> None:
    student = person("student1")
    item = _item_for(student)
    with pytest.raises(NotFound):
        record_evidence(
            person(actor),
            evidence_id=uuid.uuid4(),
            student=student,
            standard=item.standard,
            kind=Evidence.Kind.ITEM_RESPONSE,
            correct=True,
        )
    assert not Evidence.objects.filter(student=student, recorded_by=person(actor)).exists()


def test_a_student_cannot_give_themself_a_rubric_score(person) -> None:
    student = person("student1")
    item = _item_for(student)
    with pytest.raises(NotFound):
        record_evidence(
            student,
            evidence_id=uuid.uuid4(),
            student=student,
            standard=item.standard,
            kind=Evidence.Kind.RUBRIC,
            rubric_level=4,
        )


def test_the_same_id_arriving_twice_at_once_is_a_replay_not_an_error(person, monkeypatch) -> None:
    """Two requests with one client id race past the existence check (PostgreSQL, read
    committed): the loser hits the primary key and answers as a replay, never a 500."""
    import uuid

    from pathways.apps.evidence import services
    from pathways.apps.evidence.models import Evidence
    from pathways.apps.standards.models import Standard

    teacher, student = person("teacher1"), person("student1")
    standard = Standard.objects.filter(courses__course__sections__enrollments__user=student).first()
    evidence_id = uuid.uuid4()
    first = services.record_evidence(
        teacher,
        evidence_id=evidence_id,
        student=student,
        standard=standard,
        kind=Evidence.Kind.EXIT_TICKET,
        correct=True,
    )
    # The second request's existence check ran before the first committed: it sees nothing.
    monkeypatch.setattr(
        Evidence.objects, "select_for_update", lambda: Evidence.objects.filter(pk__in=[])
    )
    again = services.record_evidence(
        teacher,
        evidence_id=evidence_id,
        student=student,
        standard=standard,
        kind=Evidence.Kind.EXIT_TICKET,
        correct=True,
    )
    assert first.created
    assert not again.created
    assert again.evidence.pk == evidence_id
    assert Evidence.objects.filter(pk=evidence_id).count() == 1
    with pytest.raises(services.EvidenceConflict):
        services.record_evidence(
            teacher,
            evidence_id=evidence_id,
            student=student,
            standard=standard,
            kind=Evidence.Kind.EXIT_TICKET,
            correct=False,
        )
