"""Correction requests in the API (FERPA §99.20): a guardian or the student asks, the request is
tracked, staff of the student answer corrected or declined, and everyone sees the answer."""

from __future__ import annotations

import pytest

from pathways.apps.access.models import AccessLog, CorrectionRequest

pytestmark = pytest.mark.django_db

ASK = {"about": "Reading level", "details": "It says grade 2; she reads at grade 4 now."}


def test_a_guardian_asks_and_the_request_is_tracked_as_open(api, person) -> None:
    student = person("student1")
    made = api("guardian1").post(f"/students/{student.pk}/corrections", ASK)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["about"], body["requested_by"]) == (
        "open",
        "Reading level",
        person("guardian1").display_name,
    )
    listed = api("student1").get(f"/students/{student.pk}/corrections").json()
    assert body["id"] in [r["id"] for r in listed]


def test_the_student_may_ask_about_their_own_record_only(api, person) -> None:
    student1, student2 = person("student1"), person("student2")
    assert api("student1").post(f"/students/{student1.pk}/corrections", ASK).status_code == 201
    assert api("student1").post(f"/students/{student2.pk}/corrections", ASK).status_code == 404
    assert api("guardian1").post(f"/students/{student2.pk}/corrections", ASK).status_code == 404


def test_staff_answer_requests_they_do_not_make(api, person) -> None:
    student = person("student1")
    assert api("teacher1").post(f"/students/{student.pk}/corrections", ASK).status_code == 404


def test_a_request_without_details_is_refused(api, person) -> None:
    student = person("student1")
    short = {"about": "Grade", "details": "wrong"}
    assert api("guardian1").post(f"/students/{student.pk}/corrections", short).status_code == 422


def test_staff_see_the_open_queue_and_resolve_with_an_answer(api, person) -> None:
    student = person("student1")
    made = api("guardian1").post(f"/students/{student.pk}/corrections", ASK).json()
    queue = api("teacher1").get("/corrections?status=open&limit=200").json()
    assert made["id"] in [r["id"] for r in queue["items"]]
    assert all(r["status"] == "open" for r in queue["items"])
    url = f"/students/{student.pk}/corrections/{made['id']}/resolution"
    answer = api("teacher1").post(url, {"status": "resolved", "response": "Updated to grade 4."})
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "resolved"
    assert answer.json()["resolved_by"] == person("teacher1").display_name
    seen = api("guardian1").get(f"/students/{student.pk}/corrections").json()
    assert {r["id"]: r["response"] for r in seen}[made["id"]] == "Updated to grade 4."
    open_now = api("teacher1").get("/corrections?status=open&limit=200").json()["items"]
    assert made["id"] not in [r["id"] for r in open_now]


def test_a_decline_needs_a_reason(api, person) -> None:
    student = person("student1")
    made = api("guardian1").post(f"/students/{student.pk}/corrections", ASK).json()
    url = f"/students/{student.pk}/corrections/{made['id']}/resolution"
    assert api("teacher1").post(url, {"status": "declined", "response": " "}).status_code == 422
    assert api("teacher1").post(url, {"status": "open", "response": "x"}).status_code == 422


def test_families_and_other_schools_cannot_resolve(api, person) -> None:
    student = person("student1")
    made = api("guardian1").post(f"/students/{student.pk}/corrections", ASK).json()
    url = f"/students/{student.pk}/corrections/{made['id']}/resolution"
    body = {"status": "resolved", "response": "Done."}
    for who in ("guardian1", "student1", "teacher2", "student2"):
        assert api(who).post(url, body).status_code == 404, who
    assert CorrectionRequest.objects.get(pk=made["id"]).status == "open"
    elsewhere = f"/students/{person('student2').pk}/corrections/{made['id']}/resolution"
    assert api("teacher2").post(elsewhere, body).status_code == 404  # id of another student


def test_the_queue_holds_only_students_the_caller_may_see(api, person) -> None:
    student1, student2 = person("student1"), person("student2")
    mine = api("guardian1").post(f"/students/{student1.pk}/corrections", ASK).json()
    theirs = api("student2").post(f"/students/{student2.pk}/corrections", ASK).json()
    teacher1 = {r["id"] for r in api("teacher1").get("/corrections?limit=200").json()["items"]}
    teacher2 = {r["id"] for r in api("teacher2").get("/corrections?limit=200").json()["items"]}
    district = {r["id"] for r in api("district1").get("/corrections?limit=200").json()["items"]}
    guardian = {r["id"] for r in api("guardian1").get("/corrections?limit=200").json()["items"]}
    assert (mine["id"] in teacher1, theirs["id"] in teacher1) == (True, False)
    assert (mine["id"] in teacher2, theirs["id"] in teacher2) == (False, True)
    assert {mine["id"], theirs["id"]} <= district
    assert (mine["id"] in guardian, theirs["id"] in guardian) == (True, False)


def test_staff_reading_a_request_is_logged(api, person) -> None:
    student = person("student1")
    api("guardian1").post(f"/students/{student.pk}/corrections", ASK)
    before = AccessLog.objects.filter(student=student, actor=person("teacher1")).count()
    api("teacher1").get(f"/students/{student.pk}/corrections")
    after = AccessLog.objects.filter(student=student, actor=person("teacher1")).count()
    assert after == before + 1
