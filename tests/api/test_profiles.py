"""The learner profile in the API.

The student edits interests, aspirations, goals (with target dates and check-ins), habits and
reflections; restricted fields (accommodations, language status) are absent for the student and
their guardians, readable by staff of the student, and written only by the student's teachers.
Guardians read and never write.
"""

from __future__ import annotations

import uuid

import pytest

from pathways.apps.profiles.models import Goal, LearnerProfile, Reflection

pytestmark = pytest.mark.django_db


def test_restricted_fields_are_absent_for_the_student_and_guardian(api, person) -> None:
    student = person("student1")
    for who in ("student1", "guardian1"):
        body = api(who).get(f"/students/{student.pk}/profile").json()
        assert "restricted" not in body, who
        assert "Extended time" not in str(body), who
    assert body["interests"] == ["music", "animals"]
    assert body["goals"][0]["check_ins"][0]["progress"] == 40


def test_staff_of_the_student_read_the_restricted_fields(api, person) -> None:
    student = person("student1")
    for who in ("teacher1", "principal1", "district1"):
        restricted = api(who).get(f"/students/{student.pk}/profile").json()["restricted"]
        assert restricted == {
            "accommodations": "Extended time on assessments",
            "language_status": "EL",
            "language_status_label": "English learner",
        }, who


def test_another_students_profile_is_404(api, person) -> None:
    other = person("student2")
    for who in ("student1", "guardian1", "teacher1"):
        assert api(who).get(f"/students/{other.pk}/profile").status_code == 404, who


def test_the_student_edits_interests_and_aspirations(api, person) -> None:
    student = person("student1")
    answer = api("student1").put(
        f"/students/{student.pk}/profile/about",
        {"interests": ["Robots", "robots", " space "], "aspirations": "Build rovers"},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["interests"] == ["robots", "space"]
    assert "restricted" not in answer.json()
    stored = LearnerProfile.objects.get(student=student)
    assert (stored.interests, stored.aspirations) == (["robots", "space"], "Build rovers")
    assert stored.accommodations == "Extended time on assessments"  # untouched


def test_guardians_and_staff_cannot_edit_what_the_student_says(api, person) -> None:
    student = person("student1")
    about = {"interests": ["chess"], "aspirations": "x"}
    for who in ("guardian1", "teacher1", "student2"):
        assert api(who).put(f"/students/{student.pk}/profile/about", about).status_code == 404
    assert LearnerProfile.objects.get(student=student).interests == ["music", "animals"]


def test_only_the_students_teacher_writes_restricted_fields(api, person) -> None:
    student = person("student1")
    url = f"/students/{student.pk}/profile/restricted"
    body = {"accommodations": "Read-aloud on tests", "language_status": "RFEP"}
    for who in ("student1", "guardian1", "principal1", "teacher2"):
        assert api(who).put(url, body).status_code == 404, who
    assert LearnerProfile.objects.get(student=student).language_status == "EL"
    answer = api("teacher1").put(url, body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["language_status_label"] == ("Reclassified fluent English proficient")
    assert api("teacher1").put(url, {**body, "language_status": "XX"}).status_code == 422


def test_a_goal_with_a_target_date_and_check_ins_until_achieved(api, person) -> None:
    student = person("student1")
    client = api("student1")
    made = client.post(
        f"/students/{student.pk}/goals",
        {"title": "Read two chapter books", "target_date": "2027-01-31"},
    )
    assert made.status_code == 201, made.content
    goal = made.json()
    assert (goal["target_date"], goal["state"], goal["check_ins"]) == ("2027-01-31", "active", [])
    url = f"/students/{student.pk}/goals/{goal['id']}/check-ins"
    assert client.post(url, {"progress": 50, "note": "One done"}).status_code == 201
    assert client.post(url, {"progress": 100, "note": "Both done"}).status_code == 201
    assert client.post(url, {"progress": 101}).status_code == 422
    goals = {g["id"]: g for g in client.get(f"/students/{student.pk}/goals").json()}
    assert goals[goal["id"]]["state"] == "achieved"
    assert [c["progress"] for c in goals[goal["id"]]["check_ins"]] == [100, 50]


def test_a_goal_needs_a_title_and_only_the_student_sets_one(api, person) -> None:
    student = person("student1")
    assert api("student1").post(f"/students/{student.pk}/goals", {"title": " "}).status_code == 422
    before = Goal.objects.filter(student=student).count()
    for who in ("guardian1", "teacher1"):
        made = api(who).post(f"/students/{student.pk}/goals", {"title": "Their goal"})
        assert made.status_code == 404, who
    assert Goal.objects.filter(student=student).count() == before


def test_a_guardian_cannot_check_in_on_the_childs_goal(api, person) -> None:
    student = person("student1")
    goal = Goal.objects.filter(student=student).first()
    url = f"/students/{student.pk}/goals/{goal.pk}/check-ins"
    assert api("guardian1").post(url, {"progress": 90}).status_code == 404
    other = person("student2")
    assert (
        api("student2")
        .post(f"/students/{other.pk}/goals/{goal.pk}/check-ins", {"progress": 90})
        .status_code
        == 404
    )  # not their goal


def test_habit_ratings_are_kept_over_time(api, person) -> None:
    student = person("student1")
    client = api("student1")
    made = client.post(f"/students/{student.pk}/habits", {"habit": "persistence", "rating": 4})
    assert made.status_code == 201
    habits = {h["habit"]: h for h in client.get(f"/students/{student.pk}/profile").json()["habits"]}
    assert [p["rating"] for p in habits["persistence"]["ratings"]] == [2, 3, 4]
    assert (
        client.post(f"/students/{student.pk}/habits", {"habit": "luck", "rating": 4}).status_code
        == 422
    )


def test_a_reflection_is_saved_once_per_client_id(api, person) -> None:
    student = person("student1")
    client = api("student1")
    body = {"id": str(uuid.uuid4()), "prompt": "This week", "text": "Fractions make sense now."}
    first = client.post(f"/students/{student.pk}/reflections", body)
    assert first.status_code == 201, first.content
    again = client.post(f"/students/{student.pk}/reflections", body)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert (
        client.post(
            f"/students/{student.pk}/reflections", {**body, "text": "Other words."}
        ).status_code
        == 409
    )
    assert Reflection.objects.filter(pk=body["id"]).count() == 1
    listed = api("teacher1").get(f"/students/{student.pk}/reflections").json()
    assert first.json()["id"] in [r["id"] for r in listed["items"]]


def test_reflections_are_the_students_own_words(api, person) -> None:
    student = person("student1")
    body = {"id": str(uuid.uuid4()), "text": "Written by someone else."}
    for who in ("guardian1", "teacher1"):
        assert api(who).post(f"/students/{student.pk}/reflections", body).status_code == 404
    other = person("student2")
    mine = api("student1").post(f"/students/{student.pk}/reflections", body)
    assert mine.status_code == 201
    reuse = api("student2").post(f"/students/{other.pk}/reflections", body)
    assert reuse.status_code == 404  # another student's id: never confirms it exists
    assert api("student2").get(f"/students/{student.pk}/reflections").status_code == 404
