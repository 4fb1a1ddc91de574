"""Students and sections through the API: the same access rule as the pages."""

from __future__ import annotations

import pytest

from pathways.apps.access.models import AccessLog
from pathways.apps.roster.models import Enrollment

pytestmark = pytest.mark.django_db


def test_student_reads_own_record_but_not_anothers(api, person) -> None:
    client = api("student1")
    assert client.get(f"/students/{person('student1').pk}").status_code == 200
    assert client.get(f"/students/{person('student2').pk}").status_code == 404
    assert client.get(f"/students/{person('student2').pk}/mastery").status_code == 404


def test_forbidden_and_missing_students_answer_identically(api, person) -> None:
    client = api("student1")
    forbidden = client.get(f"/students/{person('student2').pk}")
    missing = client.get("/students/999999")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


@pytest.mark.parametrize(
    ("username", "count"),
    [
        ("student1", 1),
        ("teacher1", 25),
        ("teacher2", 75),
        ("principal1", 150),
        ("coach1", 150),
        ("district1", 300),
        ("guardian1", 1),
    ],
)
def test_student_list_is_filtered_by_the_same_rule(api, username: str, count: int) -> None:
    body = api(username).get("/students?limit=500").json()
    assert body["count"] == count
    assert len(body["items"]) == count


def test_list_and_single_record_agree(api) -> None:
    client = api("teacher1")
    listed = {row["id"] for row in client.get("/students?limit=500").json()["items"]}
    for student_id in list(listed)[:5]:
        assert client.get(f"/students/{student_id}").status_code == 200


def test_filter_by_username_never_reveals_students_out_of_scope(api) -> None:
    client = api("teacher1")
    assert client.get("/students?username=student1").json()["count"] == 1
    assert client.get("/students?username=student2").json() == {"count": 0, "items": []}


def test_mastery_lists_every_course_standard_with_a_status(api, person) -> None:
    body = api("guardian1").get(f"/students/{person('student1').pk}/mastery").json()
    assert body["student_id"] == person("student1").pk
    assert len(body["standards"]) >= 20
    assert {row["status"] for row in body["standards"]} <= {
        "not_started",
        "beginning",
        "developing",
        "mastered",
    }


def test_section_students_for_teacher_and_student(api, person) -> None:
    section = Enrollment.objects.get(user=person("student1"), role="student").section
    assert len(api("teacher1").get(f"/sections/{section.pk}/students").json()) == 25
    own = api("student1").get(f"/sections/{section.pk}/students").json()
    assert [row["username"] for row in own] == ["student1"]
    assert api("teacher2").get(f"/sections/{section.pk}/students").status_code == 404


def test_staff_reads_are_logged_with_the_api_channel(api, person) -> None:
    api("teacher1").get(f"/students/{person('student1').pk}/mastery")
    entry = AccessLog.objects.filter(actor=person("teacher1"), student=person("student1")).latest(
        "at"
    )
    assert entry.channel == "api"
    assert entry.action == "view_mastery"


def test_sections_lists_only_visible_sections(api) -> None:
    assert len(api("teacher1").get("/sections").json()) == 1
    assert len(api("teacher2").get("/sections").json()) == 2
    assert len(api("district1").get("/sections").json()) == 10
