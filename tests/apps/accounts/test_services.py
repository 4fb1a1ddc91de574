"""Sign-in limits and API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from pathways.apps.accounts import services
from pathways.apps.accounts.models import ApiToken, SignInAttempt

pytestmark = pytest.mark.django_db
PASSWORD = "pathways-demo"


def test_right_password_signs_in_and_is_recorded(person) -> None:
    user = services.sign_in(None, "teacher1", PASSWORD, channel="web")
    assert user == person("teacher1")
    assert SignInAttempt.objects.filter(username="teacher1", succeeded=True).count() == 1


def test_wrong_password_and_unknown_account_get_the_same_message() -> None:
    with pytest.raises(services.SignInError) as wrong:
        services.sign_in(None, "teacher1", "nope", channel="web")
    with pytest.raises(services.SignInError) as unknown:
        services.sign_in(None, "nobody-here", "nope", channel="web")
    assert str(wrong.value) == str(unknown.value)


@override_settings(SIGNIN_MAX_FAILURES=3, SIGNIN_WINDOW_SECONDS=900)
def test_repeated_failures_pause_sign_in_even_with_the_right_password() -> None:
    for _ in range(3):
        with pytest.raises(services.SignInError):
            services.sign_in(None, "teacher1", "wrong", channel="api")
    with pytest.raises(services.SignInThrottled) as throttled:
        services.sign_in(None, "teacher1", PASSWORD, channel="api")
    assert 0 < throttled.value.retry_after_seconds <= 900


@override_settings(SIGNIN_MAX_FAILURES=3, SIGNIN_WINDOW_SECONDS=900)
def test_the_pause_ends_when_failures_leave_the_window_no_permanent_lockout() -> None:
    for _ in range(3):
        with pytest.raises(services.SignInError):
            services.sign_in(None, "teacher1", "wrong", channel="api")
    SignInAttempt.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert services.sign_in(None, "teacher1", PASSWORD, channel="api").username == "teacher1"


@override_settings(SIGNIN_MAX_FAILURES=3)
def test_failures_on_one_account_do_not_pause_another() -> None:
    for _ in range(3):
        with pytest.raises(services.SignInError):
            services.sign_in(None, "teacher1", "wrong", channel="web")
    assert services.sign_in(None, "teacher2", PASSWORD, channel="web").username == "teacher2"


def test_tokens_are_stored_hashed_and_resolve_to_their_owner(person) -> None:
    issued = services.issue_token(person("student1"))
    assert not ApiToken.objects.filter(key_hash=issued.token).exists()
    assert services.user_for_token(issued.token) == person("student1")
    assert services.user_for_token(issued.token + "x") is None


def test_revoked_and_expired_tokens_stop_working(person) -> None:
    revoked = services.issue_token(person("student1"))
    assert services.revoke_token(revoked.token) is True
    assert services.user_for_token(revoked.token) is None
    assert services.revoke_token(revoked.token) is False
    expired = services.issue_token(person("student1"))
    ApiToken.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.user_for_token(expired.token) is None


def test_token_of_deactivated_account_stops_working(person) -> None:
    issued = services.issue_token(person("teacher1"))
    person("teacher1").__class__.objects.filter(username="teacher1").update(is_active=False)
    assert services.user_for_token(issued.token) is None
