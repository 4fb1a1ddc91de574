"""Answering items, mastery checks, choices with reasons, assignments."""

from __future__ import annotations

import uuid

import pytest

from pathways.apps.access.policy import NotFound
from pathways.apps.activities.models import Activity, Item
from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.paths import services
from pathways.apps.roster.models import Enrollment

pytestmark = pytest.mark.django_db


def _standard(student, index: int = 0):
    return student_course_standards(student)[index]


def _right_answer(item: Item) -> object:
    return item.answer[0] if isinstance(item.answer, list) else item.answer


def test_answers_are_scored_on_the_server(person) -> None:
    student = person("student1")
    item = services.next_practice_item(student, _standard(student))
    right = services.answer_item(
        student, student, item, answer=_right_answer(item), evidence_id=uuid.uuid4()
    )
    wrong = services.answer_item(
        student, student, item, answer="definitely wrong", evidence_id=uuid.uuid4()
    )
    assert right.evidence.correct is True
    assert wrong.evidence.correct is False


def test_a_student_cannot_answer_for_a_standard_outside_their_courses(person) -> None:
    student = person("student1")
    foreign = services.next_practice_item(person("student2"), _standard(person("student2")))
    with pytest.raises(NotFound):
        services.answer_item(student, student, foreign, answer="1", evidence_id=uuid.uuid4())


def test_mastery_check_draws_items_of_the_standard_and_completes(person) -> None:
    student = person("student1")
    standard = _standard(student, 2)
    check_id = uuid.uuid4()
    check = services.request_mastery_check(student, student, standard, check_id=check_id)
    assert services.request_mastery_check(student, student, standard, check_id=check_id) == check
    assert 1 <= len(check.item_ids) <= services.CHECK_LENGTH
    for item in Item.objects.filter(pk__in=check.item_ids):
        services.answer_item(
            student,
            student,
            item,
            answer=_right_answer(item),
            evidence_id=uuid.uuid4(),
            check=check,
        )
    check.refresh_from_db()
    assert check.state == "done"
    assert Evidence.objects.filter(student=student, kind="mastery_check").count() == len(
        check.item_ids
    )


def _board(standard) -> list[Activity]:
    return list(Activity.objects.filter(standards=standard).order_by("bloom_level", "pk"))


def test_a_choice_needs_a_reason_and_options_that_really_differ(person) -> None:
    student = person("student1")
    standard = _standard(student)
    options = _board(standard)[:3]
    with pytest.raises(ValueError, match="why"):
        services.choose(
            student,
            student,
            choice_id=uuid.uuid4(),
            standard=standard,
            offered=options,
            chosen=options[0],
            reason="ok",
        )
    clone = Activity.objects.create(
        district=options[0].district,
        title="Same task again",
        modality=options[0].modality,
        bloom_level=options[0].bloom_level,
        duration_minutes=10,
    )
    with pytest.raises(ValueError, match="differ"):
        services.choose(
            student,
            student,
            choice_id=uuid.uuid4(),
            standard=standard,
            offered=[options[0], clone],
            chosen=clone,
            reason="I like this one a lot",
        )
    choice = services.choose(
        student,
        student,
        choice_id=uuid.uuid4(),
        standard=standard,
        offered=options,
        chosen=options[1],
        reason="I learn best by watching first",
    )
    services.reflect_on_choice(student, choice, how_it_went="The video helped, the quiz was hard")
    choice.refresh_from_db()
    assert choice.reflected_at is not None


def test_teacher_assigns_work_to_own_section_only(person) -> None:
    teacher = person("teacher1")
    own = Enrollment.objects.get(user=person("student1"), role="student").section
    other = Enrollment.objects.get(user=person("student2"), role="student").section
    activity = _board(_standard(person("student1")))[0]
    assignment = services.assign(teacher, own, activity, pinned=True)
    assert assignment.pinned
    with pytest.raises(NotFound):
        services.assign(teacher, other, activity)
    with pytest.raises(NotFound):
        services.assign(person("student1"), own, activity)
