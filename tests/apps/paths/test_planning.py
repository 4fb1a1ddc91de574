"""Today's path on the platform: the planner reads the student's own evidence."""

from __future__ import annotations

import uuid

import pytest

from pathways.apps.evidence.models import Evidence
from pathways.apps.evidence.services import record_evidence
from pathways.apps.paths.planning import todays_path

pytestmark = pytest.mark.django_db


def _exit_ticket(teacher, student, standard, *, passed: bool) -> None:
    """The teacher records one exit ticket for the student, now."""
    record_evidence(
        teacher,
        evidence_id=uuid.uuid4(),
        student=student,
        standard=standard,
        kind=Evidence.Kind.EXIT_TICKET,
        correct=passed,
    )


def test_a_student_who_keeps_missing_the_first_skill_is_offered_other_work_first(person) -> None:
    student, teacher = person("student1"), person("teacher1")
    before = todays_path(student)
    skill = before.planned.steps[0].skill
    standard = before.standards[skill]
    for _ in range(15):
        _exit_ticket(teacher, student, standard, passed=False)
    after = todays_path(student)
    assert after.planned.steps[0].skill != skill, "not the same skill again, first"
    assert skill in after.planned.ready_skills, "still at the student's level"


def test_a_mastered_standard_due_for_review_comes_back_and_a_right_answer_puts_it_off(
    person,
) -> None:
    student, teacher = person("student1"), person("teacher1")
    reviews = [s for s in todays_path(student).planned.steps if s.kind == "review"]
    assert reviews, "the demo student mastered standards weeks ago and has not reviewed them"
    skill = reviews[0].skill
    assert reviews[0].reason == f"You mastered {skill}; a review now, before it fades, keeps it"
    _exit_ticket(teacher, student, todays_path(student).standards[skill], passed=True)
    after = todays_path(student)
    assert skill not in {s.skill for s in after.planned.steps if s.kind == "review"}
