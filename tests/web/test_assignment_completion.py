"""Assigned work marked done on the web: the student's button on the path page (htmx and plain
form), who may not press it, and the teacher's "n of N done" on the section page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pathways.apps.paths.models import Assignment, AssignmentCompletion
from pathways.apps.roster.models import Enrollment

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    assert (
        client.post("/signin/", {"username": username, "password": "pathways-demo"}).status_code
        == 302
    )
    return client


def _section_of(student):
    return Enrollment.objects.get(user=student, role="student").section


def _class_assignment(student) -> Assignment:
    found = Assignment.objects.filter(section=_section_of(student), student__isnull=True)
    return found.order_by("pk").first()


def _done_url(student, assignment: Assignment) -> str:
    return f"/students/{student.pk}/path/assignments/{assignment.pk}/done/"


def test_student_sees_a_labelled_mark_done_form_for_each_open_assignment(person) -> None:
    student = person("student1")
    assignment = _class_assignment(student)
    page = signed_in("student1").get(f"/students/{student.pk}/path/").content.decode()
    item = page.split(f'id="assignment-{assignment.pk}"')[1].split("</li>")[0]
    assert f'hx-post="{_done_url(student, assignment)}"' in item
    assert f'action="{_done_url(student, assignment)}"' in item
    assert 'name="csrfmiddlewaretoken"' in item
    assert f'<label for="done-note-{assignment.pk}">' in item
    assert f'aria-label="Mark done: {assignment.activity.title}"' in item


def test_marking_done_with_htmx_swaps_the_item_and_keeps_the_note(person) -> None:
    student = person("student1")
    assignment = _class_assignment(student)
    response = signed_in("student1").post(
        _done_url(student, assignment), {"note": "  Finished with Sam  "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="assignment-{assignment.pk}"')
    assert "Done</span> on" in body
    assert "Finished with Sam" in body
    assert "Mark done" not in body
    completion = AssignmentCompletion.objects.get(assignment=assignment, student=student)
    assert completion.note == "Finished with Sam"


def test_a_second_press_changes_nothing(person) -> None:
    student = person("student1")
    assignment = _class_assignment(student)
    client = signed_in("student1")
    client.post(_done_url(student, assignment), {"note": "first"}, HTTP_HX_REQUEST="true")
    first = AssignmentCompletion.objects.get(assignment=assignment, student=student)
    again = client.post(_done_url(student, assignment), {"note": "second"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    assert "first" in again.content.decode()
    stored = AssignmentCompletion.objects.get(assignment=assignment, student=student)
    assert (stored.pk, stored.note, stored.completed_at) == (first.pk, "first", first.completed_at)


def test_without_javascript_the_form_posts_and_returns_to_the_path(person) -> None:
    student = person("student1")
    assignment = _class_assignment(student)
    client = signed_in("student1")
    response = client.post(_done_url(student, assignment), {"note": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/students/{student.pk}/path/#assignment-{assignment.pk}"
    page = client.get(f"/students/{student.pk}/path/").content.decode()
    item = page.split(f'id="assignment-{assignment.pk}"')[1].split("</li>")[0]
    assert "Done</span> on" in item
    assert "<form" not in item


def test_the_form_needs_its_csrf_token(person) -> None:
    student = person("student1")
    assignment = _class_assignment(student)
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    assert client.post(_done_url(student, assignment), {"note": ""}).status_code == 403
    assert not AssignmentCompletion.objects.filter(assignment=assignment).exists()
    page = client.get(f"/students/{student.pk}/path/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(_done_url(student, assignment), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert AssignmentCompletion.objects.filter(assignment=assignment).exists()


def test_guardian_sees_the_state_but_cannot_mark_it_done(person) -> None:
    student = person("student1")
    assignment = _class_assignment(student)
    AssignmentCompletion.objects.create(assignment=assignment, student=student, note="ok")
    other = Assignment.objects.filter(section=assignment.section, student__isnull=True).exclude(
        pk=assignment.pk
    )[0]
    client = signed_in("guardian1")
    page = client.get(f"/students/{student.pk}/path/").content.decode()
    assert "Mark done" not in page
    assert "Done</span> on" in page.split(f'id="assignment-{assignment.pk}"')[1].split("</li>")[0]
    assert "Not done yet" in page.split(f'id="assignment-{other.pk}"')[1].split("</li>")[0]
    assert client.post(_done_url(student, other), {"note": "by mum"}).status_code == 404
    assert not AssignmentCompletion.objects.filter(assignment=other).exists()


def test_another_student_cannot_mark_it_done_for_them(person) -> None:
    student = person("student1")
    assignment = _class_assignment(student)
    for username in ("student3", "student2"):  # a classmate, and a student of another school
        response = signed_in(username).post(_done_url(student, assignment), {"note": "x"})
        assert response.status_code == 404
    assert not AssignmentCompletion.objects.filter(assignment=assignment).exists()


def test_staff_see_the_state_without_the_button_and_cannot_press_it(person) -> None:
    student = person("student1")
    assignment = _class_assignment(student)
    client = signed_in("teacher1")
    page = client.get(f"/students/{student.pk}/path/").content.decode()
    assert "Mark done" not in page
    assert "Not done yet" in page
    assert client.post(_done_url(student, assignment), {}).status_code == 404
    assert not AssignmentCompletion.objects.filter(assignment=assignment).exists()


def test_an_assignment_of_another_class_is_not_found(person) -> None:
    student = person("student1")
    elsewhere = _class_assignment(person("student2"))
    response = signed_in("student1").post(_done_url(student, elsewhere), {})
    assert response.status_code == 404
    assert not AssignmentCompletion.objects.filter(assignment=elsewhere).exists()


def test_teacher_sees_how_many_students_marked_each_assignment_done(person) -> None:
    student, classmate = person("student1"), person("student3")
    assignment = _class_assignment(student)
    section = assignment.section
    size = Enrollment.objects.filter(section=section, role="student", active=True).count()
    own = Assignment.objects.create(
        activity=assignment.activity,
        section=section,
        student=classmate,
        assigned_by=person("teacher1"),
    )
    client = signed_in("teacher1")

    def line(pk: int) -> str:
        page = client.get(f"/sections/{section.pk}/").content.decode()
        return re.sub(r"\s+", " ", page.split(f'id="assigned-{pk}"')[1].split("</li>")[0])

    assert f"0 of {size} done" in line(assignment.pk)
    assert "not yet" in line(own.pk)
    signed_in("student1").post(_done_url(student, assignment), {})
    signed_in("student3").post(_done_url(classmate, own), {})
    assert f"1 of {size} done" in line(assignment.pk)
    assert ">done<" in line(own.pk)


def test_section_page_queries_do_not_grow_with_assignments(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    section = _section_of(student)
    activity = _class_assignment(student).activity
    classmates = [e.user for e in Enrollment.objects.filter(section=section, role="student")][:6]
    client = signed_in("teacher1")
    url = f"/sections/{section.pk}/"
    client.get(url)  # warm caches (sessions, content types) outside the count

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for pupil in classmates:
        one = Assignment.objects.create(
            activity=activity, section=section, student=pupil, assigned_by=teacher
        )
        whole = Assignment.objects.create(activity=activity, section=section, assigned_by=teacher)
        for a in (one, whole):
            AssignmentCompletion.objects.create(assignment=a, student=pupil)
    after = queries()
    assert after == before, f"{after - before} more queries for 12 more assignments"
