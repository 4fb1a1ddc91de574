"""API sign-in with tokens."""

from __future__ import annotations

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

ACCOUNTS = [
    "student1",
    "student2",
    "teacher1",
    "teacher2",
    "coach1",
    "principal1",
    "district1",
    "guardian1",
]


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_demo_account_signs_in_and_reads_me(api, username: str) -> None:
    me = api(username).get("/me")
    assert me.status_code == 200
    assert me.json()["username"] == username
    assert me.json()["roles"]


def test_me_reports_roles_and_places(api) -> None:
    body = api("principal1").get("/me").json()
    assert body["home_role"] == "principal"
    assert {"role": "principal", "school": "Cedar Grove Elementary"}.items() <= body["roles"][
        0
    ].items()


def test_wrong_password_is_401_without_saying_whether_the_account_exists(api) -> None:
    client = api()
    wrong = client.post("/auth/login", {"username": "teacher1", "password": "nope"})
    unknown = client.post("/auth/login", {"username": "ghost", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


@override_settings(SIGNIN_MAX_FAILURES=2)
def test_login_is_rate_limited_with_retry_after(api) -> None:
    client = api()
    for _ in range(2):
        client.post("/auth/login", {"username": "teacher1", "password": "nope"})
    paused = client.post("/auth/login", {"username": "teacher1", "password": "pathways-demo"})
    assert paused.status_code == 429
    assert int(paused["Retry-After"]) > 0


def test_requests_without_a_valid_token_are_401(api) -> None:
    client = api()
    assert client.get("/me").status_code == 401
    client.token = "not-a-token"
    assert client.get("/me").status_code == 401


def test_logout_revokes_the_token(api) -> None:
    client = api("teacher1")
    assert client.post("/auth/logout").status_code == 204
    assert client.get("/me").status_code == 401


def test_malformed_login_body_is_a_client_error(api) -> None:
    response = api().client.post("/api/v1/auth/login", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_nul_characters_never_reach_the_database(api) -> None:
    """PostgreSQL cannot store U+0000: the API drops it instead of failing with a server error."""
    response = api().client.post(
        "/api/v1/auth/login",
        '{"username": "teacher1\\u0000", "password": "pathways-demo"}',
        content_type="application/json",
    )
    assert response.status_code == 200
    assert api("teacher1").get("/students?username=student%0013").status_code == 200
