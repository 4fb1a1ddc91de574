"""LTI launches in a real browser: cross-site form posts from a test LMS on another site.

The LMS runs on 127.0.0.1 and Pathways on localhost (two different sites), so the launch is a
genuine cross-site POST: it only works if the state cookie is ``SameSite=None; Secure``, the
launch is CSRF-exempt, and the deep-linking answer may post back to the LMS under our CSP.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from urllib.parse import urlencode

import jwt
import pytest
from tests.apps.lti.platform import INSTRUCTOR, LEARNER, LTI, TestPlatform
from tests.browser.conftest import _pathways, _serve

pytestmark = pytest.mark.xdist_group("browser")


@pytest.fixture(scope="module")
def lms_platform() -> Iterator[TestPlatform]:
    with TestPlatform() as platform:
        yield platform


@pytest.fixture(scope="module")
def lti_server(
    tmp_path_factory: pytest.TempPathFactory, lms_platform: TestPlatform
) -> Iterator[str]:
    """Pathways as `make demo` runs it, with the test LMS registered by `pathways lti register`."""
    env = {
        **os.environ,
        "PATHWAYS_VAR_DIR": str(tmp_path_factory.mktemp("pathways-lti-var")),
        "DATABASE_URL": "",
        "PATHWAYS_SECRET_KEY": secrets.token_urlsafe(40),
        "PATHWAYS_DEBUG": "false",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _pathways("migrate", env=env)
    _pathways("demo", "load", env=env)
    lms = lms_platform
    _pathways(
        *("lti", "register", "--name", "Test LMS", "--district", "demo-district"),
        *("--issuer", lms.issuer, "--client-id", lms.client_id),
        *("--auth-login-url", lms.auth_login_url, "--token-url", lms.token_url),
        *("--jwks-url", lms.jwks_url, "--deployment", lms.deployment_id),
        env=env,
    )
    with _serve(env) as port:
        yield f"http://localhost:{port}"


@pytest.fixture
def lti_page(browser, lti_server: str):
    context = browser.new_context(base_url=lti_server)
    page = context.new_page()
    page.set_default_timeout(120_000)  # a cold server on a busy machine: the path page is heavy
    yield page
    context.close()


def _login_url(server: str, lms: TestPlatform) -> str:
    query = {
        "iss": lms.issuer,
        "login_hint": "hint",
        "target_link_uri": f"{server}/lti/launch/",
        "client_id": lms.client_id,
        "lti_deployment_id": lms.deployment_id,
    }
    return f"{server}/lti/login/?{urlencode(query)}"


def test_a_student_launch_from_another_site_signs_in(
    lti_page, lti_server: str, lms_platform: TestPlatform
) -> None:
    lms_platform.next_launch = {
        "sub": "browser-student-1",
        "roles": [LEARNER],
        LTI + "lis": {"person_sourcedid": "demo-student1"},
    }
    lti_page.goto(_login_url(lti_server, lms_platform), wait_until="commit")
    lti_page.wait_for_url(re.compile(r"/students/\d+/path/$"))
    assert lti_page.get_by_role("heading", level=1).count() >= 1
    cookies = {c["name"]: c for c in lti_page.context.cookies()}
    assert "sessionid" in cookies
    assert not any(name.startswith("lti_state_") for name in cookies)  # spent and cleared


def test_deep_linking_posts_the_signed_answer_back_to_the_lms(
    lti_page, lti_server: str, lms_platform: TestPlatform
) -> None:
    lms_platform.next_launch = {
        "sub": "browser-teacher-1",
        "roles": [INSTRUCTOR],
        "message_type": "LtiDeepLinkingRequest",
        "email": "teacher1@riverbend.example",
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings": {
            "deep_link_return_url": lms_platform.url + "/deep_links",
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["window"],
            "data": "browser-data",
        },
    }
    lti_page.goto(_login_url(lti_server, lms_platform), wait_until="commit")
    lti_page.wait_for_url(re.compile(r"/lti/deep-link/$"))
    first = lti_page.locator("input[name=activity]").first
    first.check()
    lti_page.get_by_role("button", name="Add to the course").click()
    lti_page.wait_for_url(lms_platform.url + "/deep_links")  # app.js posted it back by itself
    assert lti_page.get_by_role("heading", name="Content added").is_visible()
    [answer] = lms_platform.deep_link_answers
    keys = lti_page.request.get(f"{lti_server}/lti/jwks.json").json()
    kid = jwt.get_unverified_header(answer)["kid"]
    key = jwt.PyJWK(next(k for k in keys["keys"] if k["kid"] == kid)).key
    claims = jwt.decode(answer, key, algorithms=["RS256"], audience=lms_platform.issuer)
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "browser-data"
    items = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert len(items) == 1
    assert items[0]["type"] == "ltiResourceLink"
