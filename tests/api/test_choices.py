"""Choice boards in the API: choosing needs a reason, a client id makes it idempotent, and the
student says how it went afterwards. Teachers and guardians read; only the student writes."""

from __future__ import annotations

import uuid

import pytest

from pathways.apps.activities.models import Activity
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.paths.models import Choice

pytestmark = pytest.mark.django_db


def _board(student) -> tuple[int, list[Activity]]:
    """A standard of the student's courses and two activities for it that really differ."""
    for standard in student_course_standards(student):
        activities = list(Activity.objects.filter(standards=standard).order_by("pk"))
        first = activities[0] if activities else None
        other = [a for a in activities if first and a.modality != first.modality]
        if first and other:
            return standard.pk, [first, other[0]]
    raise AssertionError("the demo has a board for every student")


def _body(student, **extra: object) -> dict[str, object]:
    standard, options = _board(student)
    return {
        "id": str(uuid.uuid4()),
        "standard": standard,
        "offered": [a.pk for a in options],
        "chosen": options[1].pk,
        "reason": "I remember better when I build it myself.",
        **extra,
    }


def test_a_choice_is_created_once_then_replayed_then_conflicts(api, person) -> None:
    student = person("student1")
    client = api("student1")
    body = _body(student)
    first = client.post(f"/students/{student.pk}/choices", body)
    assert first.status_code == 201, first.content
    assert first.json()["reason"] == body["reason"]
    assert first.json()["chosen"]["id"] == body["chosen"]
    again = client.post(f"/students/{student.pk}/choices", body)
    assert again.status_code == 200
    assert again.json() == first.json()
    other = client.post(f"/students/{student.pk}/choices", {**body, "reason": "Something else."})
    assert other.status_code == 409
    assert Choice.objects.filter(pk=body["id"]).count() == 1


def test_choosing_without_a_real_reason_is_refused(api, person) -> None:
    student = person("student1")
    url = f"/students/{student.pk}/choices"
    for reason in ("ok", "          ok          ", ""):
        assert api("student1").post(url, _body(student, reason=reason)).status_code == 422
    assert not Choice.objects.filter(student=student, reason__in=["ok", ""]).exists()


def test_options_that_differ_in_nothing_are_not_a_choice(api, person) -> None:
    student = person("student1")
    standard, options = _board(student)
    clone = Activity.objects.create(
        district=options[0].district,
        title="The same task again",
        modality=options[0].modality,
        bloom_level=options[0].bloom_level,
        duration_minutes=10,
    )
    clone.standards.add(standard)
    body = _body(student, offered=[options[0].pk, clone.pk], chosen=clone.pk)
    answer = api("student1").post(f"/students/{student.pk}/choices", body)
    assert answer.status_code == 400
    assert "differ" in answer.json()["detail"]


def test_a_chosen_option_must_be_one_offered(api, person) -> None:
    student = person("student1")
    body = _body(student)
    body["chosen"] = body["offered"][0] + 10**6
    assert api("student1").post(f"/students/{student.pk}/choices", body).status_code == 400


def test_an_activity_not_aligned_to_the_standard_is_not_an_option(api, person) -> None:
    student = person("student1")
    body = _body(student)
    stray = Activity.objects.exclude(standards=body["standard"]).first()
    body["offered"] = [body["offered"][0], stray.pk]
    assert api("student1").post(f"/students/{student.pk}/choices", body).status_code == 404


def test_nobody_chooses_for_a_student(api, person) -> None:
    student = person("student1")
    for who in ("teacher1", "guardian1", "student2", "principal1"):
        answer = api(who).post(f"/students/{student.pk}/choices", _body(student))
        assert answer.status_code == 404, who


def test_another_students_choice_id_is_404_not_a_conflict(api, person) -> None:
    student1, student2 = person("student1"), person("student2")
    body = _body(student1)
    assert api("student1").post(f"/students/{student1.pk}/choices", body).status_code == 201
    theirs = _body(student2, id=body["id"])
    assert api("student2").post(f"/students/{student2.pk}/choices", theirs).status_code == 404


def test_after_the_work_the_student_says_how_it_went_once(api, person) -> None:
    student = person("student1")
    client = api("student1")
    made = client.post(f"/students/{student.pk}/choices", _body(student)).json()
    url = f"/students/{student.pk}/choices/{made['id']}/reflection"
    first = client.post(url, {"how_it_went": "The model helped; I finished early."})
    assert first.status_code == 200, first.content
    assert first.json()["how_it_went"] == "The model helped; I finished early."
    assert first.json()["reflected_at"] is not None
    assert client.post(url, {"how_it_went": "The model helped; I finished early."}).json() == (
        first.json()
    )
    assert client.post(url, {"how_it_went": "Actually it was hard."}).status_code == 409
    assert client.post(url, {"how_it_went": "   "}).status_code == 422


def test_only_the_student_reflects_on_their_choice(api, person) -> None:
    student = person("student1")
    made = api("student1").post(f"/students/{student.pk}/choices", _body(student)).json()
    url = f"/students/{student.pk}/choices/{made['id']}/reflection"
    for who in ("teacher1", "guardian1", "student2"):
        assert api(who).post(url, {"how_it_went": "Went fine."}).status_code == 404, who
    missing = f"/students/{student.pk}/choices/{uuid.uuid4()}/reflection"
    assert api("student1").post(missing, {"how_it_went": "Went fine."}).status_code == 404


def test_teacher_and_guardian_read_reasons_and_reflections(api, person) -> None:
    student = person("student1")
    made = api("student1").post(f"/students/{student.pk}/choices", _body(student)).json()
    for who in ("teacher1", "guardian1", "student1"):
        listed = api(who).get(f"/students/{student.pk}/choices?limit=50").json()
        assert listed["count"] == Choice.objects.filter(student=student).count()
        assert made["id"] in [c["id"] for c in listed["items"]], who
    assert api("teacher2").get(f"/students/{student.pk}/choices").status_code == 404
    assert api("student2").get(f"/students/{student.pk}/choices").status_code == 404
