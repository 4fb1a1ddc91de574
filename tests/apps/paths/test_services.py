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


def _differing_pair(standard) -> list[Activity]:
    activities = list(Activity.objects.filter(standards=standard).order_by("pk"))
    return [activities[0], next(a for a in activities if a.modality != activities[0].modality)]


def test_a_choice_id_is_used_once_same_content_replays_other_content_conflicts(person) -> None:
    student = person("student1")
    standard = _standard(student)
    options = _differing_pair(standard)
    choice_id = uuid.uuid4()
    args = {"choice_id": choice_id, "standard": standard, "offered": options}
    first, created = services.choose_once(
        student, student, chosen=options[0], reason="I like to start with a model", **args
    )
    again, created_again = services.choose_once(
        student, student, chosen=options[0], reason="I like to start with a model", **args
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    with pytest.raises(services.ChoiceConflict):
        services.choose_once(
            student, student, chosen=options[1], reason="I like to start with a model", **args
        )


def test_how_it_went_is_written_once(person) -> None:
    student = person("student1")
    standard = _standard(student)
    options = _differing_pair(standard)
    choice = services.choose(
        student,
        student,
        choice_id=uuid.uuid4(),
        standard=standard,
        offered=options,
        chosen=options[0],
        reason="Because I can move around",
    )
    services.reflect_on_choice(student, choice, how_it_went="Good, I finished")
    services.reflect_on_choice(student, choice, how_it_went="Good, I finished")
    with pytest.raises(services.ChoiceConflict):
        services.reflect_on_choice(student, choice, how_it_went="Changed my mind")
    choice.refresh_from_db()
    assert choice.how_it_went == "Good, I finished"


def test_an_activity_from_another_districts_library_cannot_be_assigned(person) -> None:
    from pathways.apps.roster.models import District

    teacher, student = person("teacher1"), person("student1")
    section = Enrollment.objects.get(user=student, role="student", active=True).section
    foreign = Activity.objects.create(
        district=District.objects.create(name="Elsewhere"),
        title="Not ours",
        modality="project",
        bloom_level=5,
        duration_minutes=30,
    )
    with pytest.raises(NotFound):
        services.assign(teacher, section, foreign)


def test_a_group_assignment_is_all_or_nothing(person) -> None:
    from pathways.apps.paths.models import Assignment

    teacher = person("teacher1")
    student1, student2 = person("student1"), person("student2")
    section = Enrollment.objects.get(user=student1, role="student", active=True).section
    activity = Activity.objects.filter(standards=_standard(student1)).first()
    before = Assignment.objects.count()
    with pytest.raises(NotFound):
        services.assign_to_students(teacher, section, activity, students=[student1, student2])
    assert Assignment.objects.count() == before
    made = services.assign_to_students(teacher, section, activity, students=[student1])
    assert [a.student_id for a in made] == [student1.pk]


def test_a_student_completes_assigned_work_once_and_only_their_own(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    section = Enrollment.objects.get(user=student, role="student", active=True).section
    activity = Activity.objects.filter(standards=_standard(student)).first()
    assignment = services.assign(teacher, section, activity)
    first, created = services.complete_assignment(student, student, assignment, note="done")
    again, created_again = services.complete_assignment(student, student, assignment)
    assert (created, created_again, again.pk, again.note) == (True, False, first.pk, "done")
    with pytest.raises(NotFound):
        services.complete_assignment(teacher, student, assignment)
