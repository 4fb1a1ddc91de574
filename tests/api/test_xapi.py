"""POST /xapi/statements: statements become evidence once; replays change nothing; conflicts 409;
unknown learners and activities answer with the field path; the xAPI version header is required."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
from django.test import Client

from pathways.apps.accounts import services as accounts
from pathways.apps.activities.models import Item
from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.xapi.statements import learner_name
from pathways.interop.xapi import VERBS

pytestmark = pytest.mark.django_db

HOME = "https://pathways.riverbend.example"


def _post(token: str, body: Any, *, version: str | None = "1.0.3", basic: str = "") -> Any:
    headers = {"HTTP_AUTHORIZATION": basic or f"Bearer {token}"}
    if version is not None:
        headers["HTTP_X_EXPERIENCE_API_VERSION"] = version
    return Client().post(
        "/api/v1/xapi/statements", json.dumps(body), content_type="application/json", **headers
    )


def _statement(student, *, verb: str = "answered", **overrides: Any) -> dict[str, Any]:
    standard = student_course_standards(student)[2]
    item = Item.objects.filter(standard=standard).order_by("pk").first()
    assert item is not None
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": HOME, "name": learner_name(student)},
        },
        "verb": {"id": VERBS[verb]},
        "object": {"objectType": "Activity", "id": f"{HOME}/items/{item.identifier}"},
        "result": {"success": True, "score": {"scaled": 1.0, "raw": 1, "min": 0, "max": 1}},
        "timestamp": "2026-11-20T10:00:00Z",
    }
    return {**statement, **overrides}


def _token(person, username: str) -> str:
    return accounts.issue_token(person(username)).token


def test_a_statement_becomes_evidence_once_and_a_replay_changes_nothing(person) -> None:
    student = person("student1")
    token = _token(person, "teacher1")
    statement = _statement(student)
    first = _post(token, statement)
    assert first.status_code == 200, first.content
    assert first.json() == [statement["id"]]
    assert first.headers["X-Experience-API-Version"] == "1.0.3"
    evidence = Evidence.objects.get(pk=statement["id"])
    assert evidence.student == student
    assert evidence.kind == Evidence.Kind.ITEM_RESPONSE
    assert evidence.correct is True
    assert evidence.item is not None
    assert evidence.occurred_at.isoformat() == "2026-11-20T10:00:00+00:00"
    # The same statement again (its timestamp written another way): 200, nothing new.
    again = _post(token, {**statement, "timestamp": "2026-11-20T11:00:00+01:00"})
    assert again.status_code == 200
    assert Evidence.objects.filter(pk=statement["id"]).count() == 1


def test_a_different_statement_with_a_stored_id_is_409(person) -> None:
    student = person("student1")
    token = _token(person, "teacher1")
    statement = _statement(student)
    assert _post(token, statement).status_code == 200
    changed = {**statement, "result": {"success": False}}
    response = _post(token, changed)
    assert response.status_code == 409
    assert statement["id"] in response.json()["detail"]
    assert Evidence.objects.get(pk=statement["id"]).correct is True


def test_an_array_is_all_or_nothing(person) -> None:
    student = person("student1")
    token = _token(person, "teacher1")
    good = _statement(student)
    rubric = _statement(
        student,
        verb="scored",
        object={"id": f"urn:uuid:{student_course_standards(student)[1].identifier}"},
        result={"score": {"raw": 3, "min": 1, "max": 4}},
    )
    bad = _statement(student, object={"id": f"{HOME}/items/no-such-item"})
    response = _post(token, [good, rubric, bad])
    assert response.status_code == 404
    assert response.json()["detail"].startswith("$[2].object.id: no item 'no-such-item'")
    assert not Evidence.objects.filter(pk__in=[good["id"], rubric["id"]]).exists()
    response = _post(token, [good, rubric])
    assert response.status_code == 200
    assert Evidence.objects.get(pk=rubric["id"]).rubric_level == 3


def test_unknown_and_forbidden_learners_look_alike(person) -> None:
    token = _token(person, "teacher1")
    unknown = _statement(person("student1"))
    unknown["actor"]["account"]["name"] = "nobody-has-this-id"
    other_school = _statement(person("student2"))  # teacher2's student
    for statement in (unknown, other_school):
        response = _post(token, statement)
        assert response.status_code == 404
        assert response.json()["detail"] == (
            "$.actor.account.name: no learner you may record evidence for has this id"
        )
    assert not Evidence.objects.filter(pk=other_school["id"]).exists()


def test_malformed_statements_are_400_with_every_field_path(person) -> None:
    token = _token(person, "teacher1")
    response = _post(
        token,
        [{"actor": {"mbox": "mailto:ada@example.org"}, "verb": {"id": "http://x/verbs/liked"}}],
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "$[0].actor.account: Pathways identifies learners by account" in detail
    assert "$[0].verb.id: 'http://x/verbs/liked' is not a verb Pathways records" in detail
    assert "$[0].object: must be a JSON object" in detail
    scored = _statement(person("student1"), verb="scored", result={"score": {"raw": 7}})
    response = _post(token, scored)
    assert response.status_code == 400
    assert (
        "$.result.score.raw: a rubric level is a whole number 1 to 4, got 7"
        in (response.json()["detail"])
    )


def test_the_version_header_is_required(person) -> None:
    token = _token(person, "teacher1")
    statement = _statement(person("student1"))
    response = _post(token, statement, version=None)
    assert response.status_code == 400
    assert "X-Experience-API-Version" in response.json()["detail"]
    assert not Evidence.objects.filter(pk=statement["id"]).exists()


def test_basic_auth_with_the_token_as_password(person) -> None:
    token = _token(person, "teacher1")
    statement = _statement(person("student1"))
    good = "Basic " + base64.b64encode(f"teacher1:{token}".encode()).decode()
    assert _post("", statement, basic=good).status_code == 200
    wrong_user = "Basic " + base64.b64encode(f"teacher2:{token}".encode()).decode()
    assert _post("", _statement(person("student1")), basic=wrong_user).status_code == 401


def test_students_send_their_own_answers_but_not_rubric_scores(person) -> None:
    student = person("student1")
    token = _token(person, "student1")
    assert _post(token, _statement(student)).status_code == 200
    rubric = _statement(
        student,
        verb="scored",
        object={"id": f"urn:uuid:{student_course_standards(student)[1].identifier}"},
        result={"score": {"raw": 4}},
    )
    assert _post(token, rubric).status_code == 404


# Who may send a statement about whom (with the version header; the permission matrix row
# cannot send it): student1 and student3 are in teacher1's Room 101, student2 is teacher2's at
# another school. Students send only their own answers; staff other than the class's teacher,
# and guardians, record nothing.
WHO_MAY = {
    "student1": (200, 404, 404),
    "student2": (404, 404, 200),
    "teacher1": (200, 200, 404),
    "teacher2": (404, 404, 200),
    "coach1": (404, 404, 404),
    "principal1": (404, 404, 404),
    "district1": (404, 404, 404),
    "guardian1": (404, 404, 404),
}


@pytest.mark.parametrize("role", sorted(WHO_MAY))
def test_who_may_send_statements_for_whom(role: str, person) -> None:
    token = _token(person, role)
    got = []
    for learner in ("student1", "student3", "student2"):
        statement = _statement(person(learner))
        got.append(_post(token, statement).status_code)
        if got[-1] != 200:
            assert not Evidence.objects.filter(pk=statement["id"]).exists()
    assert tuple(got) == WHO_MAY[role]
