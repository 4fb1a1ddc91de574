"""The one-query permission of the evidence API agrees with ``can`` for every demo account and
student, and a permit never stands in for a different actor, action or student."""

from __future__ import annotations

import uuid

import pytest

from pathways.apps.access import policy, scopes
from pathways.apps.access.policy import Action, NotFound
from pathways.apps.accounts.models import User
from pathways.apps.evidence.models import Evidence
from pathways.apps.evidence.services import record_evidence, recording_action
from pathways.apps.roster.models import Enrollment, Membership, Section
from pathways.apps.standards.models import Standard

pytestmark = pytest.mark.django_db

ACCOUNTS = [
    "student1",
    "student2",
    "teacher1",
    "teacher2",
    "coach1",
    "principal1",
    "district1",
    "guardian1",
]


def _permit_or_none(actor: User, student_id: int) -> policy.Permit | None:
    try:
        student, permit = policy.recording_permit(actor, student_id)
    except NotFound:
        return None
    assert student.pk == student_id
    return permit


def test_the_permit_agrees_with_can_for_every_account_and_student() -> None:
    students = list(scopes.students().order_by("pk")[:40])
    others = list(User.objects.filter(username__in=ACCOUNTS))
    checked = granted = 0
    for actor in others:
        for target in [*students, *others]:
            permit = _permit_or_none(actor, target.pk)
            action = recording_action(actor, target)
            allowed = scopes.students().filter(pk=target.pk).exists() and policy.can(
                actor, action, target
            )
            assert (permit is not None) == allowed, (actor.username, target.username)
            if permit is not None:
                assert permit == policy.Permit(actor.pk, action, target.pk)
                granted += 1
            checked += 1
    assert checked > 300
    assert granted > 10


@pytest.mark.parametrize("ended", ["teaching", "attending", "section", "membership"])
def test_an_ended_enrollment_section_or_membership_ends_the_permit(person, ended: str) -> None:
    teacher, student = person("teacher1"), person("student1")
    assert _permit_or_none(teacher, student.pk) is not None
    if ended == "teaching":
        Enrollment.objects.filter(user=teacher, role="teacher").update(active=False)
    elif ended == "attending":
        Enrollment.objects.filter(user=student, role="student").update(active=False)
    elif ended == "section":
        Section.objects.filter(enrollments__user=student).update(active=False)
    else:
        Membership.objects.filter(user=student, role="student").update(active=False)
    assert _permit_or_none(teacher, student.pk) is None
    assert not policy.can(teacher, Action.RECORD_EVIDENCE, student)
    if ended == "membership":  # no longer a student: not even their own answers
        assert _permit_or_none(student, student.pk) is None


def test_an_aide_may_record_and_a_deactivated_teacher_may_not(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    aide = User.objects.create(username="aide-of-section")
    section = Enrollment.objects.get(user=student, role="student").section
    assert _permit_or_none(aide, student.pk) is None
    Enrollment.objects.create(section=section, user=aide, role="aide")
    assert _permit_or_none(aide, student.pk) is not None
    User.objects.filter(pk=teacher.pk).update(is_active=False)
    teacher.refresh_from_db()
    assert _permit_or_none(teacher, student.pk) is None


def test_a_permit_for_someone_else_does_not_let_a_recording_through(person) -> None:
    teacher1, teacher2, student1 = person("teacher1"), person("teacher2"), person("student1")
    standard = Standard.objects.filter(courses__course__sections__enrollments__user=student1)[0]
    _, permit = policy.recording_permit(teacher1, student1.pk)
    with pytest.raises(NotFound):  # teacher2 does not teach student1: the permit is not theirs
        record_evidence(
            teacher2,
            evidence_id=uuid.uuid4(),
            student=student1,
            standard=standard,
            kind=Evidence.Kind.EXIT_TICKET,
            correct=True,
            permit=permit,
        )
    forged = policy.Permit(teacher2.pk, Action.RECORD_EVIDENCE, student1.pk)
    with pytest.raises(NotFound):  # a permit is a shortcut, not a grant: `can` still decides
        record_evidence(
            teacher2,
            evidence_id=uuid.uuid4(),
            student=student1,
            standard=standard,
            kind=Evidence.Kind.EXIT_TICKET,
            correct=True,
            permit=forged,
        )
    recorded = record_evidence(
        teacher1,
        evidence_id=uuid.uuid4(),
        student=student1,
        standard=standard,
        kind=Evidence.Kind.EXIT_TICKET,
        correct=True,
        permit=permit,
    )
    assert recorded.created
