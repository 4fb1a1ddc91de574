"""Web sessions: a new key at every sign-in, and an absolute limit that activity cannot stretch."""

from __future__ import annotations

import time as clock

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "pathways-demo"


def _sign_in(client: Client, username: str) -> None:
    response = client.post(reverse("web:signin"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    assert response["Location"] == reverse("web:home")  # signed in, not bounced as signed in


class Clock:
    """The middleware's clock, moved by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = clock.time()
        monkeypatch.setattr("pathways.apps.accounts.middleware.time.time", lambda: self.now)


@override_settings(SESSION_COOKIE_AGE=3600, SESSION_IDLE_SECONDS=600)
def test_a_session_ends_at_the_absolute_limit_even_when_active_all_along(monkeypatch) -> None:
    now = Clock(monkeypatch)
    client = Client()
    _sign_in(client, "teacher1")
    # A request every 5 minutes (never idle for the 10-minute idle limit) for just under an
    # hour: every page opens, and the session is saved again along the way.
    for _ in range(11):
        now.now += 300
        assert client.get("/teacher/").status_code == 200
    now.now += 299  # 59 min 59 s after sign-in
    assert client.get("/teacher/").status_code == 200
    now.now += 2  # one hour and one second: over, however active
    response = client.get("/teacher/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:signin"))
    # Signed out for good, not just for one request.
    assert client.get("/teacher/").status_code == 302


@override_settings(SESSION_COOKIE_AGE=3600, SESSION_IDLE_SECONDS=600)
def test_signing_in_again_starts_a_new_absolute_limit(monkeypatch) -> None:
    now = Clock(monkeypatch)
    client = Client()
    _sign_in(client, "teacher1")
    for _ in range(7):
        now.now += 500
        assert client.get("/teacher/").status_code == 200
    client.post(reverse("web:signout"))
    _sign_in(client, "teacher1")  # 58 min 20 s in: the clock restarts here
    for _ in range(7):  # active all along: up to 1 h 56 min after the first sign-in
        now.now += 500
        assert client.get("/teacher/").status_code == 200
    now.now += 101  # one hour and one second after the second sign-in
    assert client.get("/teacher/").status_code == 302


@override_settings(SESSION_IDLE_SECONDS=600)
def test_an_idle_session_ends_even_inside_the_absolute_limit(monkeypatch) -> None:
    now = Clock(monkeypatch)
    client = Client()
    _sign_in(client, "student1")
    now.now += 590
    assert client.get("/student/").status_code == 200
    now.now += 601
    assert client.get("/student/").status_code == 302
    assert settings.SESSION_COOKIE_AGE > 1191  # the absolute limit was not what ended it


def test_sign_in_replaces_an_existing_anonymous_session() -> None:
    """Session fixation: a key the visitor had before signing in (one the server really issued,
    so Django would otherwise keep using it) stops existing at sign-in."""
    before = SessionStore()
    before["seen_sign_in_page"] = True
    before.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key
    _sign_in(client, "student1")
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before.session_key
    assert not SessionStore().exists(before.session_key)
    assert client.get("/student/").status_code == 200


def test_each_sign_in_gets_a_new_key_even_for_the_same_person() -> None:
    client = Client()
    _sign_in(client, "student1")
    first = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("web:signout"))
    _sign_in(client, "student1")
    second = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert second != first
    assert not SessionStore().exists(first)
    client.post(reverse("web:signout"))
    _sign_in(client, "teacher1")  # another person on the same browser: a new key again
    third = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert third not in (first, second)
    assert not SessionStore().exists(second)
    assert client.get("/teacher/").status_code == 200
