"""The id_token parser under arbitrary input (hypothesis): a launch is either accepted with claims
of the right shape or refused with a reason (LaunchRefused), never a server error."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.apps.lti.platform import LEARNER, LTI, TestPlatform

from pathways.apps.lti.models import Platform
from pathways.apps.lti.tokens import LaunchRefused, validate_id_token

pytestmark = pytest.mark.django_db

_FUNCTION_FIXTURES = settings(
    max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
# Claims a platform (or a forger with the platform's key) could get wrong.
_CLAIMS = [
    "sub",
    "aud",
    "azp",
    "iat",
    "nonce",
    LTI + "message_type",
    LTI + "version",
    LTI + "deployment_id",
    LTI + "roles",
    LTI + "resource_link",
    "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings",
]


def _outcome(platform: Platform, token: str) -> dict[str, Any] | str:
    """The claims of an accepted token, or the reason it was refused."""
    try:
        return validate_id_token(platform, token)
    except LaunchRefused as refused:
        return refused.reason


def _segment(value: object) -> str:
    raw = json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@_FUNCTION_FIXTURES
@given(
    token=st.text(max_size=200) | st.from_regex(r"[A-Za-z0-9_=-]{0,40}(\.[A-Za-z0-9_=-]{0,60}){2}")
)
def test_any_string_is_refused_with_a_reason(registered: Platform, token: str) -> None:
    assert isinstance(_outcome(registered, token), str)


@_FUNCTION_FIXTURES
@given(changes=st.dictionaries(st.sampled_from(_CLAIMS), _json, min_size=1, max_size=3))
def test_a_signed_token_with_claims_of_any_shape_is_accepted_only_when_well_formed(
    lms: TestPlatform, registered: Platform, changes: dict[str, Any]
) -> None:
    claims = {**lms.claims(nonce="n", sub="s", roles=[LEARNER]), **changes}
    accepted = _outcome(registered, lms.sign(claims))
    if isinstance(accepted, str):
        assert accepted  # a reason a person can read
    else:
        assert isinstance(accepted["sub"], str)
        assert accepted["sub"]
        assert isinstance(accepted[LTI + "roles"], list)
        assert isinstance(accepted[LTI + "deployment_id"], str)
        assert accepted[LTI + "version"] == "1.3.0"
        assert accepted.get("azp", registered.client_id) == registered.client_id


@_FUNCTION_FIXTURES
@given(header=st.dictionaries(st.sampled_from(["alg", "kid", "typ", "jku", "x5u"]), _json))
def test_a_forged_header_is_refused(lms: TestPlatform, registered: Platform, header: dict) -> None:
    # Built by hand: a JWT library refuses to write most of these headers.
    claims = lms.claims(nonce="n", sub="s", roles=[LEARNER])
    token = f"{_segment(header)}.{_segment(claims)}.{_segment('forged')}"
    assert isinstance(_outcome(registered, token), str)
