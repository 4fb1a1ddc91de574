"""POST /evidence (idempotent), grades with reasons, the class heatmap."""

from __future__ import annotations

import uuid

import pytest

from pathways.apps.activities.models import Item
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.roster.models import Enrollment

pytestmark = pytest.mark.django_db


def _item(student) -> Item:
    return Item.objects.filter(standard=student_course_standards(student)[3]).order_by("pk").first()


def _right(item: Item) -> object:
    return item.answer[0] if isinstance(item.answer, list) else item.answer


def test_evidence_is_created_once_then_replayed_then_conflicts(api, person) -> None:
    student = person("student1")
    item = _item(student)
    client = api("student1")
    body = {
        "id": str(uuid.uuid4()),
        "student": student.pk,
        "item": item.pk,
        "response": str(_right(item)),
    }
    first = client.post("/evidence", body)
    assert first.status_code == 201, first.content
    assert first.json()["correct"] is True
    again = client.post("/evidence", body)
    assert again.status_code == 200
    assert again.json() == first.json()
    conflict = client.post("/evidence", {**body, "response": "something else entirely"})
    assert conflict.status_code == 409


def test_a_right_answer_raises_mastery(api, person) -> None:
    student = person("student1")
    item = _item(student)
    client = api("student1")
    before = client.post(
        "/evidence",
        {"id": str(uuid.uuid4()), "student": student.pk, "item": item.pk, "response": "wrong"},
    ).json()["mastery"]["p_mastery"]
    after = client.post(
        "/evidence",
        {
            "id": str(uuid.uuid4()),
            "student": student.pk,
            "item": item.pk,
            "response": str(_right(item)),
        },
    ).json()["mastery"]["p_mastery"]
    assert after > before


def test_teacher_scores_a_rubric_and_a_student_cannot(api, person) -> None:
    student = person("student1")
    standard = student_course_standards(student)[0]
    body = {
        "id": str(uuid.uuid4()),
        "student": student.pk,
        "standard": standard.pk,
        "rubric_level": 4,
    }
    assert api("teacher1").post("/evidence", body).status_code == 201
    assert api("student1").post("/evidence", {**body, "id": str(uuid.uuid4())}).status_code == 404
    assert api("teacher2").post("/evidence", {**body, "id": str(uuid.uuid4())}).status_code == 404


def test_evidence_for_someone_out_of_scope_is_404(api, person) -> None:
    item = _item(person("student2"))
    body = {
        "id": str(uuid.uuid4()),
        "student": person("student2").pk,
        "item": item.pk,
        "response": "1",
    }
    assert api("student1").post("/evidence", body).status_code == 404


@pytest.mark.parametrize(
    "body",
    [{"standard": None}, {"rubric_level": 9}, {"correct": True, "rubric_level": 3}],
)
def test_malformed_evidence_is_a_client_error(api, person, body: dict) -> None:
    student = person("student1")
    payload = {
        "id": str(uuid.uuid4()),
        "student": student.pk,
        "standard": student_course_standards(student)[0].pk,
        **body,
    }
    assert api("teacher1").post("/evidence", payload).status_code in (400, 422)


def test_grades_come_with_reason_next_step_and_descriptors(api, person) -> None:
    rows = api("guardian1").get(f"/students/{person('student1').pk}/grades").json()
    graded = [r for r in rows if r["grade"]]
    assert graded
    for row in graded:
        assert row["reason"]
        assert row["next_step"]
        assert set(row["descriptors"]) == {"1", "2", "3", "4"}
        assert row["evidence"]
    assert api("student1").get(f"/students/{person('student2').pk}/grades").status_code == 404


def test_heatmap_for_staff_only(api, person) -> None:
    section = Enrollment.objects.get(user=person("student1"), role="student").section
    body = api("teacher1").get(f"/sections/{section.pk}/heatmap").json()
    assert len(body["students"]) == 25
    assert all(len(s["cells"]) == len(body["standards"]) for s in body["students"])
    for outsider in ("student1", "guardian1", "teacher2"):
        assert api(outsider).get(f"/sections/{section.pk}/heatmap").status_code == 404
    assert api("principal1").get(f"/sections/{section.pk}/heatmap").status_code == 200


def test_profile_in_student_detail_hides_restricted_fields_from_the_student(api, person) -> None:
    student_id = person("student1").pk
    own = api("student1").get(f"/students/{student_id}").json()["profile"]
    staff = api("teacher1").get(f"/students/{student_id}").json()["profile"]
    guardian = api("guardian1").get(f"/students/{student_id}").json()["profile"]
    for hidden in (own, guardian):
        assert "accommodations" not in hidden
        assert "language_status" not in hidden
    assert staff["accommodations"] == "Extended time on assessments"
    assert staff["language_status"] == "English learner"
    assert own["interests"] == staff["interests"]


def test_path_has_reasons_a_higher_order_step_and_a_real_choice_board(api, person) -> None:
    body = api("student1").get(f"/students/{person('student1').pk}/path").json()
    assert body["steps"]
    assert all(step["reason"] for step in body["steps"])
    assert any(step["bloom_level"] >= 4 for step in body["steps"])  # the rigor guarantee
    board = body["choice_board"]
    assert 2 <= len(board) <= 4
    kinds = {(o["modality"], o["bloom_level"]) for o in board}
    assert len(kinds) == len(board)  # options differ in modality or cognitive demand
    assert api("student2").get(f"/students/{person('student1').pk}/path").status_code == 404


@pytest.mark.parametrize(
    "extra",
    [
        {"standard": None},  # neither an item nor a standard
        {"correct": True, "rubric_level": 3},  # two scores
        {"item": 10**9},  # no such item
    ],
)
def test_a_bad_body_for_a_student_one_may_not_score_is_refused_like_a_missing_student(
    api, person, extra
) -> None:
    """The answer to someone who may not record for a student never depends on the body: 404,
    exactly as for a student who does not exist; the students' own teacher learns what is wrong."""
    student = person("student1")
    standard = student_course_standards(student)[0]
    body = {"id": str(uuid.uuid4()), "student": student.pk, "standard": standard.pk, **extra}
    if "correct" not in extra and "item" not in extra:
        body["correct"] = True
    own_teacher = api("teacher1").post("/evidence", body)
    assert own_teacher.status_code == (404 if "item" in extra else 400)
    for outsider in ("teacher2", "principal1", "guardian1", "student2"):
        assert api(outsider).post("/evidence", body).status_code == 404, outsider
    missing = {**body, "student": 10**9}
    assert api("teacher1").post("/evidence", missing).status_code == 404
