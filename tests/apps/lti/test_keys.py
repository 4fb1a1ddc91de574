"""Pathways' own keys: encrypted at rest, rotated with a grace period, public halves published."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from django.utils import timezone

from pathways.apps.lti import keys
from pathways.apps.lti.models import ToolKey

pytestmark = pytest.mark.django_db


def test_the_first_use_makes_a_key_stored_encrypted() -> None:
    assert not ToolKey.objects.exists()
    key = keys.signing_key()
    stored = bytes(ToolKey.objects.get(pk=key.pk).private_key)
    assert b"PRIVATE KEY" not in stored  # never the PEM in the clear
    assert keys.signing_key() == key  # made once


def test_signatures_verify_with_the_published_key() -> None:
    token = keys.sign({"iss": "pathways", "aud": "lms"})
    published = keys.public_jwks()["keys"]
    [match] = [k for k in published if k["kid"] == jwt.get_unverified_header(token)["kid"]]
    claims = jwt.decode(token, jwt.PyJWK(match).key, algorithms=["RS256"], audience="lms")
    assert claims["iss"] == "pathways"
    assert claims["exp"] > claims["iat"]
    assert claims["jti"]


def test_rotation_keeps_the_old_key_published_for_a_grace_period() -> None:
    old = keys.signing_key()
    old_token = keys.sign({"aud": "lms"})
    new = keys.rotate_key()
    assert keys.signing_key() == new
    assert jwt.get_unverified_header(keys.sign({"aud": "lms"}))["kid"] == new.kid
    kids = [k["kid"] for k in keys.public_jwks()["keys"]]
    assert kids == [new.kid, old.kid]  # what the old key signed still verifies
    assert jwt.get_unverified_header(old_token)["kid"] in kids
    ToolKey.objects.filter(pk=old.pk).update(
        retired_at=timezone.now() - keys.RETIRED_KEY_GRACE - timedelta(minutes=1)
    )
    assert [k["kid"] for k in keys.public_jwks()["keys"]] == [new.kid]


def test_a_different_secret_key_cannot_read_the_private_key(settings) -> None:
    keys.signing_key()
    settings.SECRET_KEY = "another-secret-key-entirely-" + "x" * 30
    with pytest.raises(keys.ToolKeyUnreadable, match="rotate-key"):
        keys.sign({"aud": "lms"})
    keys.rotate_key()  # the way out: a new key under the new secret
    assert keys.sign({"aud": "lms"})
