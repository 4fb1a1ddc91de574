"""The access log: written on staff reads, append-only, searchable by district administrators."""

from __future__ import annotations

import pytest
from django.test import Client

from pathways.apps.access import audit
from pathways.apps.access.models import AccessLog
from pathways.apps.accounts import services as accounts
from pathways.apps.roster.models import District, Membership, Role, School

pytestmark = pytest.mark.django_db


def _api(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {accounts.issue_token(user).token}"}


def test_a_teacher_reading_a_student_is_logged_and_the_district_admin_finds_it(person) -> None:
    teacher, student, admin = person("teacher1"), person("student1"), person("district1")
    client = Client()
    assert client.get(f"/api/v1/students/{student.pk}", **_api(teacher)).status_code == 200
    page = client.get(f"/api/v1/audit?student={student.pk}", **_api(admin)).json()
    assert page["items"][0]["actor"] == "teacher1"
    assert page["items"][0]["action"] == "view_student"
    assert page["items"][0]["channel"] == "api"
    touched = client.get(f"/api/v1/audit/accounts/{teacher.pk}/students", **_api(admin)).json()
    assert student.pk in {t["student_id"] for t in touched}
    # Searching for a student is itself logged.
    assert AccessLog.objects.filter(actor=admin, action="search_audit", student=student).exists()


def test_an_id_no_database_can_hold_is_refused_not_a_server_error(person) -> None:
    # Found by schemathesis: a 20-digit account id reached SQLite, which raised OverflowError.
    client, admin = Client(), person("district1")
    huge = 12943852288207616000
    assert client.get(f"/api/v1/audit/accounts/{huge}/students", **_api(admin)).status_code == 422
    assert client.get(f"/api/v1/audit?account={huge}", **_api(admin)).status_code == 422


def test_a_moment_with_any_offset_is_read_as_one_instant(person) -> None:
    # Found by schemathesis in CI: PostgreSQL refuses an offset of +17:44, which Python accepts.
    teacher, student, admin = person("teacher1"), person("student1"), person("district1")
    client = Client()
    client.get(f"/api/v1/students/{student.pk}", **_api(teacher))
    far = "2074-11-07T20:50:41%2B17:44"
    assert client.get(f"/api/v1/audit?until={far}", **_api(admin)).status_code == 200
    since = f"/api/v1/audit/accounts/{teacher.pk}/students?since={far}"
    assert client.get(since, **_api(admin)).json() == []
    # The same moment written in UTC and in another offset filters the same way; no offset is UTC.
    for written in ("2000-01-01T00:00:00Z", "2000-01-01T05:30:00%2B05:30", "2000-01-01T00:00:00"):
        page = client.get(f"/api/v1/audit?since={written}&student={student.pk}", **_api(admin))
        assert page.status_code == 200, written
        assert page.json()["items"], written


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00%2B01:00", "9999-12-31T23:59:59-01:00"])
def test_a_moment_outside_the_calendar_in_utc_is_refused_not_a_server_error(person, moment) -> None:
    client, admin = Client(), person("district1")
    assert client.get(f"/api/v1/audit?since={moment}", **_api(admin)).status_code == 422


def test_the_log_is_append_only(person) -> None:
    entry = AccessLog.objects.create(
        actor=person("teacher1"),
        action="view",
        object_type="user",
        object_id="1",
        student=person("student1"),
        scope="x",
    )
    entry.action = "changed"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()


def test_the_search_stays_inside_the_admins_districts(person) -> None:
    from pathways.apps.accounts.models import User

    other = District.objects.create(name="Elsewhere")
    school = School.objects.create(district=other, name="Elsewhere Elementary")
    outsider = User.objects.create(username="outsider")
    Membership.objects.create(user=outsider, role=Role.STUDENT, district=other, school=school)
    AccessLog.objects.create(
        actor=person("teacher1"),
        action="view",
        object_type="user",
        object_id=str(outsider.pk),
        student=outsider,
        scope="x",
    )
    assert audit.search(person("district1"), student_id=outsider.pk) == []
    assert all(e.student_id != outsider.pk for e in audit.search(person("district1")))


@pytest.mark.parametrize("username", ["teacher1", "principal1", "student1", "guardian1"])
def test_only_district_administrators_search(person, username: str) -> None:
    from pathways.apps.access.policy import NotFound

    with pytest.raises(NotFound):
        audit.search(person(username))


def test_the_page_answers_who_saw_a_student_and_what_an_account_touched(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    audit.log_access(teacher, "view_student", student, students=[student], scope="view_student")
    client = Client()
    client.force_login(person("district1"))
    page = client.get("/district/audit/", {"student": "student1"}).content.decode()
    assert "teacher1" in page
    assert "view_student" in page
    page = client.get("/district/audit/", {"account": "teacher1"}).content.decode()
    assert 'id="touched"' in page
    assert client.get("/district/audit/", {"account": "no-such-person"}).status_code == 200
