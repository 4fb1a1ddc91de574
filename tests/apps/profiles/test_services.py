"""Students edit their own profile; restricted fields belong to staff."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from pathways.apps.access.policy import NotFound
from pathways.apps.profiles import queries, services

pytestmark = pytest.mark.django_db


def test_student_edits_own_interests_and_aspirations(person) -> None:
    student = person("student1")
    services.update_own_profile(
        student, student, interests="Music, soccer, music , ", aspirations="Vet"
    )
    view = queries.profile_of(student, include_restricted=False)
    assert view.interests == ["music", "soccer"]
    assert view.aspirations == "Vet"


@pytest.mark.parametrize("other", ["student2", "teacher1", "guardian1"])
def test_nobody_else_edits_a_students_own_profile(person, other: str) -> None:
    with pytest.raises(NotFound):
        services.update_own_profile(
            person(other), person("student1"), interests="x", aspirations="y"
        )


def test_goal_check_in_to_100_marks_the_goal_achieved(person) -> None:
    student = person("student1")
    goal = services.add_goal(
        student, student, title="Master fractions", target_date=date(2027, 1, 15)
    )
    services.check_in(student, goal, progress=40, note="halfway-ish")
    services.check_in(student, goal, progress=100, note="done")
    goal.refresh_from_db()
    assert goal.state == "achieved"
    assert [c.progress for c in goal.check_ins.all()] == [100, 40]


def test_habit_ratings_are_kept_over_time(person) -> None:
    student = person("student3")
    for rating in (2, 3, 4):
        services.rate_habit(student, student, habit="persistence", rating=rating)
    habits = queries.profile_of(student, include_restricted=False).habits
    assert [r for _, r in habits["I keep going when work is hard"]] == [2, 3, 4]
    with pytest.raises(ValueError, match="rating"):
        services.rate_habit(student, student, habit="persistence", rating=5)


def test_reflection_is_saved_once_per_client_id(person) -> None:
    student = person("student1")
    reflection_id = uuid.uuid4()
    for _ in range(2):
        services.reflect(
            student, student, reflection_id=reflection_id, prompt="Week", text="Fractions!"
        )
    assert len(queries.profile_of(student, include_restricted=False).reflections) == 1


def test_restricted_fields_are_written_by_the_teacher_and_hidden_from_others(person) -> None:
    student = person("student1")
    services.update_restricted(
        person("teacher1"), student, accommodations="Extended time", language_status="EL"
    )
    staff_view = queries.profile_of(student, include_restricted=True)
    assert staff_view.accommodations == "Extended time"
    assert staff_view.language_status == "English learner"
    assert queries.profile_of(student, include_restricted=False).accommodations is None
    with pytest.raises(NotFound):
        services.update_restricted(student, student, accommodations="", language_status="")
    with pytest.raises(NotFound):
        services.update_restricted(
            person("principal1"), student, accommodations="", language_status=""
        )


def test_a_reflection_id_with_other_words_is_a_conflict(person) -> None:
    student = person("student1")
    reflection_id = uuid.uuid4()
    _, created = services.reflect_once(
        student, student, reflection_id=reflection_id, prompt="Week", text="Fractions!"
    )
    _, created_again = services.reflect_once(
        student, student, reflection_id=reflection_id, prompt="Week", text="Fractions!"
    )
    assert (created, created_again) == (True, False)
    with pytest.raises(services.ReflectionConflict):
        services.reflect_once(
            student, student, reflection_id=reflection_id, prompt="Week", text="Decimals!"
        )
    with pytest.raises(NotFound):
        services.reflect_once(
            person("student2"),
            person("student2"),
            reflection_id=reflection_id,
            prompt="Week",
            text="Fractions!",
        )
