"""LTI 1.3 launches end to end, against a test platform that signs real id_tokens.

Positive launches sign the right person in (with a new session) and land on their page; every
negative launch is refused with a 4xx page that says why, and leaves nobody signed in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from tests.apps.lti.platform import INSTRUCTOR, LEARNER, LTI, TestPlatform, lms, registered

from pathways.apps.accounts.models import User
from pathways.apps.lti.models import LmsAccount, ResourceLink
from pathways.apps.roster.models import Section

__all__ = ["lms", "registered"]  # fixtures

pytestmark = pytest.mark.django_db

DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
LIS = LTI + "lis"


def begin(client: Client, platform: TestPlatform, **extra: str) -> tuple[str, str]:
    """Login initiation, as the LMS starts it: (state, nonce) from our redirect to the platform."""
    params = {
        "iss": platform.issuer,
        "login_hint": "opaque-user-hint",
        "target_link_uri": "http://testserver/lti/launch/",
        "client_id": platform.client_id,
        "lti_deployment_id": platform.deployment_id,
        "lti_message_hint": "msg-1",
        **extra,
    }
    response = client.post("/lti/login/", params)
    assert response.status_code == 302, response.content
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == platform.auth_login_url
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["redirect_uri"] == "http://testserver/lti/launch/"
    assert query["response_mode"] == "form_post"
    assert query["scope"] == "openid"
    assert query["login_hint"] == "opaque-user-hint"
    assert query["lti_message_hint"] == "msg-1"
    assert query["client_id"] == platform.client_id
    assert query["prompt"] == "none"
    cookie = client.cookies[f"lti_state_{query['state']}"]
    assert cookie["samesite"] == "None"
    assert cookie["secure"]
    assert cookie["httponly"]
    return query["state"], query["nonce"]


def student_claims(platform: TestPlatform, nonce: str, **extra: Any) -> dict[str, Any]:
    return platform.claims(
        nonce=nonce,
        sub="lms-student-1",
        roles=[LEARNER],
        **{LIS: {"person_sourcedid": "demo-student1"}},
        **extra,
    )


def teacher_claims(platform: TestPlatform, nonce: str, **extra: Any) -> dict[str, Any]:
    return platform.claims(
        nonce=nonce,
        sub="lms-teacher-1",
        roles=[INSTRUCTOR],
        email="Teacher1@riverbend.example",
        **{LIS: {"course_section_sourcedid": "demo-section1"}},
        **extra,
    )


def post_launch(client: Client, state: str, token: str) -> Any:
    return client.post("/lti/launch/", {"state": state, "id_token": token})


def signed_in(client: Client) -> str | None:
    """Who the session cookie signs in (without making a session, as client.session would)."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None or not cookie.value:
        return None
    return SessionStore(cookie.value).get("_auth_user_id")


# ---------------------------------------------------------------------------------------------
# Positive launches


def test_student_launch_signs_in_with_a_new_session_and_lands_on_todays_path(
    lms: TestPlatform, registered: Any, person: Any
) -> None:
    client = Client()
    client.force_login(person("teacher2"))  # someone else was signed in in this browser
    before = client.session.session_key
    state, nonce = begin(client, lms)
    response = post_launch(client, state, lms.sign(student_claims(lms, nonce)))
    student = person("student1")
    assert response.status_code == 302
    assert response["Location"] == f"/students/{student.pk}/path/"
    assert signed_in(client) == str(student.pk)
    assert (
        client.cookies[settings.SESSION_COOKIE_NAME].value != before
    )  # renewed: no session fixation
    assert client.get(response["Location"]).status_code == 200
    link = LmsAccount.objects.get(platform=registered, subject="lms-student-1")
    assert link.user == student
    assert link.matched_by == "sourcedid"
    assert (
        f"lti_state_{state}" not in client.cookies or not client.cookies[f"lti_state_{state}"].value
    )
    # The link is remembered: the next launch needs no roster id.
    again = Client()
    state, nonce = begin(again, lms)
    claims = lms.claims(nonce=nonce, sub="lms-student-1", roles=[LEARNER])
    assert post_launch(again, state, lms.sign(claims)).status_code == 302
    assert signed_in(again) == str(student.pk)


def test_teacher_launch_lands_on_the_linked_class_heatmap(
    lms: TestPlatform, registered: Any, person: Any
) -> None:
    client = Client()
    state, nonce = begin(client, lms)
    response = post_launch(client, state, lms.sign(teacher_claims(lms, nonce)))
    room101 = Section.objects.get(sourced_id="demo-section1")
    assert response.status_code == 302
    assert response["Location"] == f"/sections/{room101.pk}/"
    assert signed_in(client) == str(person("teacher1").pk)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert room101.title in page.content.decode()
    assert LmsAccount.objects.get(subject="lms-teacher-1").matched_by == "email"


def test_teacher_of_an_unlinked_course_lands_on_their_classes(
    lms: TestPlatform, registered: Any
) -> None:
    client = Client()
    state, nonce = begin(client, lms)
    claims = teacher_claims(lms, nonce)
    claims[LIS] = {}
    claims[LTI + "context"] = {"id": "course-99", "title": "Not in Pathways"}
    response = post_launch(client, state, lms.sign(claims))
    assert response.status_code == 302
    assert response["Location"] == "/teacher/"


def test_deep_linking_returns_a_signed_response_with_the_chosen_activities(
    lms: TestPlatform, registered: Any, person: Any
) -> None:
    client = Client()
    state, nonce = begin(client, lms)
    claims = teacher_claims(
        lms,
        nonce,
        message_type="LtiDeepLinkingRequest",
        **{
            DL_SETTINGS: {
                "deep_link_return_url": lms.url + "/deep_links?course=7",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["window"],
                "accept_multiple": True,
                "data": "opaque-csrf-from-lms",
            }
        },
    )
    response = post_launch(client, state, lms.sign(claims))
    assert response.status_code == 302
    assert response["Location"] == "/lti/deep-link/"
    picker = client.get("/lti/deep-link/")
    assert picker.status_code == 200
    activities = list(picker.context["activities"])
    assert len(activities) >= 2
    chosen = activities[:2]
    answer = client.post("/lti/deep-link/", {"activity": [str(a.pk) for a in chosen]})
    assert answer.status_code == 200
    assert f"form-action 'self' {lms.url}" in answer["Content-Security-Policy"]
    assert answer.context["return_url"] == lms.url + "/deep_links?course=7"
    token = answer.context["jwt"]
    assert token in answer.content.decode()
    # The platform checks our signature against our published keys, as Canvas or Moodle would.
    tool_keys = json.loads(client.get("/lti/jwks.json").content)
    kid = jwt.get_unverified_header(token)["kid"]
    public = jwt.PyJWK(next(k for k in tool_keys["keys"] if k["kid"] == kid)).key
    body = jwt.decode(token, public, algorithms=["RS256"], audience=lms.issuer)
    assert body["iss"] == lms.client_id
    assert body[LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert body[LTI + "deployment_id"] == lms.deployment_id
    assert body["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-csrf-from-lms"
    items = body["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert [i["type"] for i in items] == ["ltiResourceLink", "ltiResourceLink"]
    assert [i["title"] for i in items] == [a.title for a in chosen]
    assert all(i["url"] == "http://testserver/lti/launch/" for i in items)
    assert all(i["window"] == {"targetName": "_blank"} for i in items)
    assert [i["custom"]["pathways_activity"] for i in items] == [str(a.pk) for a in chosen]
    # The picker is spent; a second answer needs a new deep-linking launch.
    assert client.get("/lti/deep-link/").status_code == 404
    # The LMS later launches the placed link: it is bound to the activity.
    other = Client()
    state, nonce = begin(other, lms)
    claims = teacher_claims(
        lms,
        nonce,
        **{
            LTI + "resource_link": {"id": "placed-1", "title": chosen[0].title},
            LTI + "custom": items[0]["custom"],
        },
    )
    assert post_launch(other, state, lms.sign(claims)).status_code == 302
    assert ResourceLink.objects.get(link_id="placed-1").activity == chosen[0]


def test_deep_linking_is_for_teachers_only(lms: TestPlatform, registered: Any) -> None:
    client = Client()
    state, nonce = begin(client, lms)
    claims = student_claims(
        lms,
        nonce,
        message_type="LtiDeepLinkingRequest",
        **{DL_SETTINGS: {"deep_link_return_url": lms.url + "/deep_links"}},
    )
    response = post_launch(client, state, lms.sign(claims))
    assert response.status_code == 403
    assert signed_in(client) is None


def test_jwks_publishes_public_keys_only(client: Client) -> None:
    body = json.loads(client.get("/lti/jwks.json").content)
    assert body["keys"]
    for key in body["keys"]:
        assert key["kty"] == "RSA"
        assert key["alg"] == "RS256"
        assert key["kid"]
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


# ---------------------------------------------------------------------------------------------
# Negative launches: each refused with a clear 4xx page and nobody signed in.


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256_with_public_key(platform: TestPlatform, claims: dict[str, Any]) -> str:
    """The algorithm-confusion attack: HMAC keyed with the platform's *public* key."""
    secret = platform.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": platform.kid}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


def _alg_none(platform: TestPlatform, claims: dict[str, Any]) -> str:
    head = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": platform.kid}).encode())
    return f"{head}.{_b64(json.dumps(claims).encode())}."


def _tampered(platform: TestPlatform, claims: dict[str, Any]) -> str:
    head, _body, signature = platform.sign(claims).split(".")
    forged = {**claims, "sub": "lms-teacher-1", LIS: {"person_sourcedid": "demo-teacher1"}}
    return f"{head}.{_b64(json.dumps(forged).encode())}.{signature}"


def _unknown_kid(platform: TestPlatform, claims: dict[str, Any]) -> str:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return platform.sign(claims, kid="not-published", key=stranger)


def _wrong_key_same_kid(platform: TestPlatform, claims: dict[str, Any]) -> str:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return platform.sign(claims, key=stranger)


NOW = int(time.time())
FORGERIES = {
    "wrong issuer": (lambda p, c: p.sign({**c, "iss": "https://evil.example"}), "issuer"),
    "wrong audience": (lambda p, c: p.sign({**c, "aud": "another-tool"}), "aud"),
    "several audiences, no azp": (
        lambda p, c: p.sign({**c, "aud": [p.client_id, "another-tool"]}),
        "azp",
    ),
    "azp of another tool": (
        lambda p, c: p.sign({**c, "aud": [p.client_id, "x"], "azp": "x"}),
        "azp",
    ),
    "expired": (
        lambda p, c: p.sign({**c, "iat": int(time.time()) - 900, "exp": int(time.time()) - 300}),
        "expired",
    ),
    "issued in the future": (
        lambda p, c: p.sign({**c, "iat": int(time.time()) + 600, "exp": int(time.time()) + 900}),
        "future",
    ),
    "alg none": (_alg_none, "not allowed"),
    "HS256 with the public key": (_hs256_with_public_key, "not allowed"),
    "unknown kid": (_unknown_kid, "does not publish"),
    "tampered payload": (_tampered, "signature"),
    "signed by another key under the platform's kid": (_wrong_key_same_kid, "signature"),
    "unregistered deployment": (
        lambda p, c: p.sign({**c, LTI + "deployment_id": "dep-999"}),
        "deployment",
    ),
    "wrong LTI version": (lambda p, c: p.sign({**c, LTI + "version": "1.1"}), "version"),
    "unknown message type": (
        lambda p, c: p.sign({**c, LTI + "message_type": "LtiSubmissionReviewRequest"}),
        "message type",
    ),
    "no roles claim": (
        lambda p, c: p.sign({k: v for k, v in c.items() if k != LTI + "roles"}),
        "roles",
    ),
    "no nonce": (lambda p, c: p.sign({k: v for k, v in c.items() if k != "nonce"}), "nonce"),
    "another launch's nonce": (lambda p, c: p.sign({**c, "nonce": "some-other-nonce"}), "nonce"),
    "not a JWT": (lambda p, c: "garbage", "not a JWT"),
}


@pytest.mark.parametrize("case", sorted(FORGERIES))
def test_forged_or_invalid_id_tokens_are_refused(
    case: str, lms: TestPlatform, registered: Any
) -> None:
    forge, why = FORGERIES[case]
    client = Client()
    state, nonce = begin(client, lms)
    sessions = Session.objects.count()
    response = post_launch(client, state, forge(lms, student_claims(lms, nonce)))
    assert response.status_code == 400, (case, response.content)
    assert why in response.context["reason"], response.context["reason"]
    assert "could not open from your LMS" in response.content.decode()
    assert signed_in(client) is None
    assert Session.objects.count() == sessions


def test_unknown_kid_refetches_the_platform_keys_once(lms: TestPlatform, registered: Any) -> None:
    client = Client()
    state, nonce = begin(client, lms)
    hits = lms.jwks_hits
    response = post_launch(client, state, _unknown_kid(lms, student_claims(lms, nonce)))
    assert response.status_code == 400
    assert lms.jwks_hits == hits + 1
    registered.refresh_from_db()
    assert registered.jwks == lms.jwks()  # the fetched keys stay cached despite the refusal
    # A burst of forged launches with made-up kids does not hammer the platform.
    for _ in range(3):
        state, nonce = begin(client, lms)
        post_launch(client, state, _unknown_kid(lms, student_claims(lms, nonce)))
    assert lms.jwks_hits == hits + 1


def test_a_refused_launch_spends_its_state(lms: TestPlatform, registered: Any) -> None:
    client = Client()
    state, nonce = begin(client, lms)
    cookie = client.cookies[f"lti_state_{state}"].value
    expired = student_claims(lms, nonce, exp=int(time.time()) - 300, iat=int(time.time()) - 600)
    assert post_launch(client, state, lms.sign(expired)).status_code == 400
    client.cookies[f"lti_state_{state}"] = cookie
    retry = post_launch(client, state, lms.sign(student_claims(lms, nonce)))
    assert retry.status_code == 400
    assert "already used" in retry.context["reason"]


def test_a_link_to_someone_who_left_the_district_no_longer_signs_in(
    lms: TestPlatform, registered: Any, person: Any
) -> None:
    from pathways.apps.roster.models import Membership

    client = Client()
    state, nonce = begin(client, lms)
    assert post_launch(client, state, lms.sign(student_claims(lms, nonce))).status_code == 302
    Membership.objects.filter(user=person("student1")).update(active=False)
    again = Client()
    state, nonce = begin(again, lms)
    claims = lms.claims(nonce=nonce, sub="lms-student-1", roles=[LEARNER])
    assert post_launch(again, state, lms.sign(claims)).status_code == 403
    assert signed_in(again) is None


def test_replayed_launch_is_refused(lms: TestPlatform, registered: Any, person: Any) -> None:
    client = Client()
    state, nonce = begin(client, lms)
    token = lms.sign(student_claims(lms, nonce))
    state_cookie = client.cookies[f"lti_state_{state}"].value
    assert post_launch(client, state, token).status_code == 302
    # The launch clears its state cookie; put it back, as a replaying browser would: the state
    # itself is spent on the server.
    client.cookies[f"lti_state_{state}"] = state_cookie
    replay = post_launch(client, state, token)
    assert replay.status_code == 400
    assert "already used" in replay.context["reason"]
    # Someone who captured the id_token starts their own login: the nonce is not theirs.
    thief = Client()
    their_state, _their_nonce = begin(thief, lms)
    stolen = post_launch(thief, their_state, token)
    assert stolen.status_code == 400
    assert "nonce" in stolen.context["reason"]
    assert signed_in(thief) is None


def test_missing_or_foreign_state_is_refused(lms: TestPlatform, registered: Any) -> None:
    client = Client()
    state, nonce = begin(client, lms)
    token = lms.sign(student_claims(lms, nonce))
    sessions = Session.objects.count()
    assert post_launch(client, "", token).status_code == 400
    assert post_launch(client, "made-up-state", token).status_code == 400
    # The right state, but posted from a browser that did not start the login (no state cookie).
    other = Client()
    response = post_launch(other, state, token)
    assert response.status_code == 400
    assert "browser" in response.context["reason"]
    assert signed_in(client) is None
    assert signed_in(other) is None
    assert Session.objects.count() == sessions
    # The state was not spent by the refusals: the real browser can still finish.
    assert post_launch(client, state, token).status_code == 302


def test_expired_state_is_refused(lms: TestPlatform, registered: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from pathways.apps.lti.models import LaunchState

    client = Client()
    state, nonce = begin(client, lms)
    LaunchState.objects.filter(state=state).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = post_launch(client, state, lms.sign(student_claims(lms, nonce)))
    assert response.status_code == 400
    assert "expired" in response.context["reason"]


def test_unlinked_person_gets_a_clear_refusal_and_no_account(
    lms: TestPlatform, registered: Any
) -> None:
    client = Client()
    state, nonce = begin(client, lms)
    users = User.objects.count()
    claims = lms.claims(
        nonce=nonce, sub="lms-stranger", roles=[LEARNER], email="stranger@elsewhere.example"
    )
    response = post_launch(client, state, lms.sign(claims))
    assert response.status_code == 403
    assert "not linked to a Pathways account" in response.content.decode()
    assert User.objects.count() == users
    assert signed_in(client) is None
    assert not LmsAccount.objects.filter(subject="lms-stranger").exists()


def test_lms_role_must_match_the_pathways_account(lms: TestPlatform, registered: Any) -> None:
    # A student's LMS account claiming Instructor does not make them a teacher here.
    client = Client()
    state, nonce = begin(client, lms)
    claims = student_claims(lms, nonce)
    claims[LTI + "roles"] = [INSTRUCTOR]
    response = post_launch(client, state, lms.sign(claims))
    assert response.status_code == 403
    assert signed_in(client) is None
    # A role Pathways does not map (e.g. only an institution administrator role).
    state, nonce = begin(client, lms)
    claims = student_claims(lms, nonce)
    claims[LTI + "roles"] = [
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"
    ]
    assert post_launch(client, state, lms.sign(claims)).status_code == 403


def test_login_initiation_refuses_unknown_platforms_and_deployments(
    lms: TestPlatform, registered: Any
) -> None:
    client = Client()
    base = {"login_hint": "x", "target_link_uri": "http://testserver/lti/launch/"}
    assert client.get("/lti/login/", {**base, "iss": "https://unknown.example"}).status_code == 400
    assert client.get("/lti/login/", {"iss": lms.issuer}).status_code == 400  # no login_hint
    wrong = {**base, "iss": lms.issuer, "lti_deployment_id": "dep-999"}
    assert client.get("/lti/login/", wrong).status_code == 400
    # GET works like POST (platforms use either).
    ok = client.get("/lti/login/", {**base, "iss": lms.issuer, "client_id": lms.client_id})
    assert ok.status_code == 302


def test_platform_error_answer_is_shown(lms: TestPlatform, registered: Any) -> None:
    client = Client()
    state, _nonce = begin(client, lms)
    response = client.post(
        "/lti/launch/",
        {"state": state, "error": "login_required", "error_description": "Sign in to Canvas"},
    )
    assert response.status_code == 400
    assert "Sign in to Canvas" in response.content.decode()
