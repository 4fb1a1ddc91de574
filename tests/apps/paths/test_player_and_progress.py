"""The player draws every auto-scored kind (multiple response included, never rubric-scored
extended text); completion_progress counts each assignment's students who marked it done."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pathways.apps.activities.models import Item
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.paths import queries, services
from pathways.apps.paths.models import Assignment, AssignmentCompletion
from pathways.apps.roster.models import Enrollment

pytestmark = pytest.mark.django_db


def _item(standard, kind: str, identifier: str) -> Item:
    return Item.objects.create(
        standard=standard,
        identifier=identifier,
        kind=kind,
        prompt="Which?",
        choices=["a", "b", "c"] if kind == Item.Kind.MULTIPLE else [],
        answer=["a", "b"] if kind == Item.Kind.MULTIPLE else [],
        details={"rubric": "1-4"} if kind == Item.Kind.EXTENDED else {},
    )


def test_mastery_checks_draw_multiple_response_items_but_never_extended_text(person) -> None:
    student = person("student1")
    standard = student_course_standards(student)[0]
    multi = _item(standard, Item.Kind.MULTIPLE, "t-multi")
    essay = _item(standard, Item.Kind.EXTENDED, "t-essay")
    drawn: set[int] = set()
    for _ in range(40):
        check = services.request_mastery_check(student, student, standard, check_id=uuid.uuid4())
        drawn.update(check.item_ids)
    assert multi.pk in drawn
    assert essay.pk not in drawn


def test_practice_reaches_multiple_response_items_in_turn(person) -> None:
    student = person("student1")
    standard = student_course_standards(student)[0]
    multi = _item(standard, Item.Kind.MULTIPLE, "t-multi")
    _item(standard, Item.Kind.EXTENDED, "t-essay")
    seen = []
    for _ in range(6):
        item = services.next_practice_item(student, standard)
        seen.append(item.kind)
        services.answer_item(
            student,
            student,
            item,
            answer=["a"] if item.pk == multi.pk else "0",
            evidence_id=uuid.uuid4(),
        )
    assert Item.Kind.MULTIPLE in seen
    assert Item.Kind.EXTENDED not in seen


def test_nothing_chosen_is_refused_before_anything_is_recorded(person) -> None:
    student = person("student1")
    multi = _item(student_course_standards(student)[0], Item.Kind.MULTIPLE, "t-multi")
    with pytest.raises(services.NothingChosen):
        services.answer_item(student, student, multi, answer=[], evidence_id=uuid.uuid4())


def test_progress_counts_a_class_by_its_active_students_and_one_student_alone(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    section = Enrollment.objects.get(user=student, role="student").section
    activity = Assignment.objects.filter(section=section).first().activity
    pupils = [e.user for e in Enrollment.objects.filter(section=section, role="student")]
    size = len(pupils)
    whole = Assignment.objects.create(activity=activity, section=section, assigned_by=teacher)
    one = Assignment.objects.create(
        activity=activity, section=section, student=pupils[1], assigned_by=teacher
    )
    other = Assignment.objects.create(
        activity=activity, section=section, student=pupils[2], assigned_by=teacher
    )
    for pupil in pupils[:3]:
        AssignmentCompletion.objects.create(assignment=whole, student=pupil)
    AssignmentCompletion.objects.create(assignment=one, student=pupils[1])
    # pupils[0] leaves the class: no longer one of its students, nor counted as done
    Enrollment.objects.filter(section=section, user=pupils[0], role="student").update(active=False)
    with CaptureQueriesContext(connection) as captured:
        progress = queries.completion_progress([whole, one, other])
    assert len(captured) == 2
    assert (progress[whole.pk].done, progress[whole.pk].of) == (2, size - 1)
    assert progress[whole.pk].whole_class
    assert (progress[one.pk].done, progress[one.pk].of, progress[one.pk].whole_class) == (
        1,
        1,
        False,
    )
    assert (progress[other.pk].done, progress[other.pk].of) == (0, 1)
    assert queries.completion_progress([]) == {}
