"""The demo district has what the README promises."""

from __future__ import annotations

import pytest

from pathways.apps.evidence.models import Evidence
from pathways.apps.roster.models import Enrollment, Guardianship, Membership, Role
from pathways.demo.district import demo_accounts

pytestmark = pytest.mark.django_db


def _sections(user) -> set[int]:
    return set(Enrollment.objects.filter(user=user).values_list("section_id", flat=True))


def test_about_three_hundred_students_in_grades_4_to_6() -> None:
    students = Membership.objects.filter(role=Role.STUDENT)
    assert students.count() == 300
    assert set(students.values_list("user__grade_level", flat=True)) == {"04", "05", "06"}


def test_about_thirty_thousand_pieces_of_evidence_of_every_kind() -> None:
    assert 27_000 <= Evidence.objects.count() <= 33_000
    assert set(Evidence.objects.values_list("kind", flat=True).distinct()) == {
        "item_response",
        "exit_ticket",
        "rubric",
    }


def test_fixed_accounts_have_the_promised_relationships(person) -> None:
    student1, student2 = person("student1"), person("student2")
    teacher1 = person("teacher1")
    assert _sections(student1) != _sections(student2)
    assert _sections(student1) <= _sections(teacher1)
    assert not _sections(student2) & _sections(teacher1)
    student1_school = Membership.objects.get(user=student1, role=Role.STUDENT).school
    assert Membership.objects.filter(
        user=person("principal1"), role=Role.PRINCIPAL, school=student1_school
    ).exists()
    assert Guardianship.objects.filter(guardian=person("guardian1"), student=student1).exists()
    assert Membership.objects.filter(user=person("coach1"), role=Role.COACH).exists()
    assert Membership.objects.filter(user=person("district1"), role=Role.DISTRICT_ADMIN).exists()


def test_every_listed_demo_account_signs_in_with_the_demo_password(person) -> None:
    for username, _ in demo_accounts():
        assert person(username).check_password("pathways-demo"), username
