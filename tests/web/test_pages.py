"""The pages each role opens, what they show, and what they refuse."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from pathways.apps.access.models import AccessLog
from pathways.apps.roster.models import Enrollment

pytestmark = pytest.mark.django_db
PASSWORD = "pathways-demo"


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("web:signin"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


HOMES = [
    ("student1", "/student/", "here is your learning"),
    ("teacher1", "/teacher/", "Grade 4 Math \u2014 Room 101"),
    ("coach1", "/school/", "Cedar Grove Elementary"),
    ("principal1", "/school/", "Cedar Grove Elementary"),
    ("district1", "/district/", "Riverbend Unified School District"),
    ("guardian1", "/guardian/", "My children"),
]


@pytest.mark.parametrize(("username", "home", "text"), HOMES)
def test_each_role_lands_on_its_home_with_real_data(username: str, home: str, text: str) -> None:
    client = signed_in(username)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == home
    assert text in response.content.decode()


def test_teacher_home_lists_only_their_own_classes() -> None:
    page = signed_in("teacher1").get("/teacher/").content.decode()
    assert "Room 101" in page
    assert "Room 102" not in page
    assert "Period 1" not in page


def test_principal_sees_every_class_of_the_school_but_not_the_other_school() -> None:
    page = signed_in("principal1").get("/school/").content.decode()
    assert all(f"Room {n}" in page for n in (101, 102, 103, 201, 202, 203))
    assert "Maple Ridge" not in page


def test_guardian_sees_their_child_only(person) -> None:
    page = signed_in("guardian1").get("/guardian/").content.decode()
    assert person("student1").display_name in page
    assert person("student2").display_name not in page


def test_student_cannot_open_another_students_record(person) -> None:
    client = signed_in("student1")
    assert client.get(f"/students/{person('student2').pk}/").status_code == 404
    assert client.get(f"/students/{person('student1').pk}/").status_code == 200


def test_forbidden_and_missing_records_look_the_same(person) -> None:
    client = signed_in("teacher1")
    forbidden = client.get(f"/students/{person('student2').pk}/")
    missing = client.get("/students/999999/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_teacher_reads_a_students_record_and_the_access_is_logged(person) -> None:
    student = person("student1")
    response = signed_in("teacher1").get(f"/students/{student.pk}/")
    assert response.status_code == 200
    assert AccessLog.objects.filter(actor=person("teacher1"), student=student).exists()


def test_other_teachers_class_heatmap_is_not_found(person) -> None:
    other = Enrollment.objects.get(user=person("student2"), role="student").section
    assert signed_in("teacher1").get(f"/sections/{other.pk}/").status_code == 404


def test_role_pages_are_closed_to_other_roles() -> None:
    student = signed_in("student1")
    for page in ("/teacher/", "/school/", "/district/", "/guardian/"):
        assert student.get(page).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/student/")
    assert response.status_code == 302
    assert response["Location"].startswith("/signin/")


def test_heatmap_shows_every_student_and_standard_in_bounded_queries(
    person, django_assert_max_num_queries
) -> None:
    client = signed_in("teacher1")
    section = Enrollment.objects.get(user=person("student1"), role="student").section
    with django_assert_max_num_queries(30):  # a fixed number: 25 students would show as 25+ more
        response = client.get(f"/sections/{section.pk}/")
    page = response.content.decode()
    assert page.split('id="heatmap"')[1].split("</table>")[0].count('<th scope="row">') == 25
    assert "4.NF.A.1" in page


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("student1", "/student/"),
        ("teacher1", "/teacher/"),
        ("principal1", "/school/"),
        ("district1", "/district/"),
        ("guardian1", "/guardian/"),
    ],
)
def test_home_pages_use_a_bounded_number_of_queries(
    username: str, url: str, django_assert_max_num_queries
) -> None:
    client = signed_in(username)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_student_can_filter_standards_with_htmx() -> None:
    response = signed_in("student1").get("/student/?status=mastered", HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<table class="mastery"')
    assert "Not started" not in fragment


def test_pages_forbid_inline_scripts_and_caching() -> None:
    response = signed_in("student1").get("/student/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"


def test_sign_in_renews_the_session_key() -> None:
    client = Client()
    client.get(reverse("web:signin"))
    client.cookies["sessionid"] = "attacker-chosen"
    client.post(reverse("web:signin"), {"username": "student1", "password": PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-chosen"


def test_sign_out_requires_post_and_ends_the_session() -> None:
    client = signed_in("student1")
    assert client.get(reverse("web:signout")).status_code == 405
    client.post(reverse("web:signout"))
    assert client.get("/student/").status_code == 302


@override_settings(SIGNIN_MAX_FAILURES=3)
def test_sign_in_page_pauses_after_repeated_failures() -> None:
    client = Client()
    for _ in range(3):
        assert (
            client.post(
                reverse("web:signin"), {"username": "teacher1", "password": "x"}
            ).status_code
            == 401
        )
    paused = client.post(reverse("web:signin"), {"username": "teacher1", "password": PASSWORD})
    assert paused.status_code == 429
    assert "Too many failed sign-ins" in paused.content.decode()


def test_sign_in_ignores_redirects_to_other_sites() -> None:
    response = Client().post(
        reverse("web:signin"),
        {"username": "student1", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


@override_settings(DEBUG=False)
def test_server_errors_show_no_stack_trace(monkeypatch) -> None:
    from pathways.web.views import student

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(student.queries, "student_mastery", boom)
    client = signed_in("student1")
    client.raise_request_exception = False
    response = client.get("/student/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret internals" not in body
    assert "Traceback" not in body
    assert "Something went wrong" in body


@override_settings(SESSION_IDLE_SECONDS=60)
def test_idle_sessions_end(monkeypatch) -> None:
    client = signed_in("student1")
    assert client.get("/student/").status_code == 200
    import time as clock

    later = clock.time() + 3600
    monkeypatch.setattr("pathways.apps.accounts.middleware.time.time", lambda: later)
    assert client.get("/student/").status_code == 302


def test_admin_is_closed_to_school_staff() -> None:
    response = signed_in("district1").get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
