"""id_token checks at the service level: JWKS caching by kid, re-fetch once, unreachable keys."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.utils import timezone
from tests.apps.lti.platform import INSTRUCTOR, LEARNER, TestPlatform

from pathways.apps.lti.models import Platform
from pathways.apps.lti.services import lms_role
from pathways.apps.lti.tokens import REFETCH_INTERVAL, LaunchRefused, validate_id_token
from pathways.apps.roster.models import Role

pytestmark = pytest.mark.django_db


def _token(lms: TestPlatform) -> str:
    return lms.sign(lms.claims(nonce="n", sub="s", roles=[LEARNER]))


def test_keys_are_fetched_once_and_cached_by_kid(lms: TestPlatform, registered: Platform) -> None:
    assert validate_id_token(registered, _token(lms))["sub"] == "s"
    assert validate_id_token(registered, _token(lms))["sub"] == "s"
    assert lms.jwks_hits == 1
    registered.refresh_from_db()
    assert registered.jwks_fetched_at is not None
    assert registered.jwks["keys"][0]["kid"] == lms.kid


def test_a_rotated_platform_key_is_picked_up_by_one_refetch(
    lms: TestPlatform, registered: Platform
) -> None:
    validate_id_token(registered, _token(lms))
    lms.rotate()
    # Within REFETCH_INTERVAL of the last fetch the unknown kid is refused without a fetch ...
    with pytest.raises(LaunchRefused, match="does not publish"):
        validate_id_token(registered, _token(lms))
    assert lms.jwks_hits == 1
    # ... after it, one re-fetch picks up the new key.
    Platform.objects.filter(pk=registered.pk).update(
        jwks_fetched_at=timezone.now() - REFETCH_INTERVAL
    )
    registered.refresh_from_db()
    assert validate_id_token(registered, _token(lms))["sub"] == "s"
    assert lms.jwks_hits == 2


def test_pasted_keys_work_without_a_jwks_url(lms: TestPlatform, registered: Platform) -> None:
    Platform.objects.filter(pk=registered.pk).update(jwks_url="", jwks=lms.jwks())
    registered.refresh_from_db()
    assert validate_id_token(registered, _token(lms))["sub"] == "s"
    assert lms.jwks_hits == 0


def test_an_unreachable_jwks_refuses_the_launch(lms: TestPlatform, registered: Platform) -> None:
    Platform.objects.filter(pk=registered.pk).update(jwks_url="http://127.0.0.1:9/jwks")
    registered.refresh_from_db()
    started = time.monotonic()
    with pytest.raises(LaunchRefused, match="could not be fetched"):
        validate_id_token(registered, _token(lms))
    assert time.monotonic() - started < 10  # a timeout, never a hang


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ([INSTRUCTOR], Role.TEACHER),
        ([LEARNER], Role.STUDENT),
        ([LEARNER, INSTRUCTOR], Role.TEACHER),
        (
            ["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"],
            Role.TEACHER,
        ),
        (["Learner"], Role.STUDENT),
        (["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"], None),
        ([], None),
    ],
)
def test_lms_roles_map_to_pathways_roles(roles: list[str], expected: Any) -> None:
    assert lms_role(roles) == expected
