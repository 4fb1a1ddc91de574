"""A test LMS: its own RSA keys, a JWKS, real signed id_tokens, token/score endpoints on loopback.

The HTTP side runs a real ``http.server`` on 127.0.0.1 in a thread, so Pathways' client really
fetches the JWKS, asks for an access token with a signed client assertion, and posts scores. The
platform checks what it receives the way an LMS would: the assertion against Pathways' public
keys (its JWKS), the bearer token on every score, the score media type.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


class TestPlatform:
    __test__ = False  # not a test class

    def __init__(self, *, client_id: str = "pathways-tool", deployment_id: str = "dep-1") -> None:
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = f"platform-{secrets.token_hex(4)}"
        self.published = [self.key]  # keys in the JWKS
        self.kids = {id(self.key): self.kid}
        self.tool_jwks: dict[str, Any] = {
            "keys": []
        }  # Pathways' public keys, as a platform caches them
        self.jwks_hits = 0
        self.tokens_issued: list[str] = []
        self.token_requests: list[dict[str, Any]] = []
        self.scores: list[dict[str, Any]] = []
        self.next_launch: dict[str, Any] | None = None  # claims the /auth endpoint signs next
        self.deep_link_answers: list[str] = []  # JWTs posted back to /deep_links
        self.fail_scores = 0  # answer the next N score posts with 503
        self.score_status = 200
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> TestPlatform:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def issuer(self) -> str:
        return self.url  # a platform's issuer is its https origin; loopback http here

    @property
    def auth_login_url(self) -> str:
        return self.url + "/auth"

    @property
    def token_url(self) -> str:
        return self.url + "/token"

    @property
    def jwks_url(self) -> str:
        return self.url + "/jwks"

    def line_item_url(self, name: str = "1") -> str:
        return f"{self.url}/courses/7/lineitems/{name}?type=pathways"

    # -- keys and tokens ---------------------------------------------------------------------
    def rotate(self) -> None:
        """A new signing key, published next to the old one (as platforms do)."""
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = f"platform-{secrets.token_hex(4)}"
        self.kids[id(self.key)] = self.kid
        self.published.append(self.key)

    def jwks(self) -> dict[str, Any]:
        keys = []
        for key in self.published:
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
            keys.append({**jwk, "kid": self.kids[id(key)], "alg": "RS256", "use": "sig"})
        return {"keys": keys}

    def claims(
        self,
        *,
        nonce: str,
        sub: str,
        roles: list[str],
        message_type: str = "LtiResourceLinkRequest",
        **extra: Any,
    ) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            LTI + "message_type": message_type,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "roles": roles,
            LTI + "target_link_uri": "https://pathways.test/lti/launch/",
            LTI + "context": {"id": "course-7", "title": "Grade 4 Math"},
        }
        if message_type == "LtiResourceLinkRequest":
            claims[LTI + "resource_link"] = {"id": "link-1", "title": "Fractions practice"}
        claims.update(extra)
        return claims

    def sign(self, claims: dict[str, Any], *, kid: str | None = None, key: Any = None) -> str:
        return jwt.encode(
            claims,
            key if key is not None else self.key,
            algorithm="RS256",
            headers={"kid": kid if kid is not None else self.kid},
        )

    # -- the HTTP side -----------------------------------------------------------------------
    def _check_assertion(self, form: dict[str, str]) -> str | None:
        if form.get("grant_type") != "client_credentials":
            return "grant_type"
        if form.get("client_assertion_type") != (
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            return "client_assertion_type"
        if SCORE_SCOPE not in form.get("scope", "").split():
            return "scope"
        assertion = form.get("client_assertion", "")
        kid = jwt.get_unverified_header(assertion).get("kid")
        match = [k for k in self.tool_jwks["keys"] if k.get("kid") == kid]
        if not match:
            return "unknown tool key"
        try:
            claims = jwt.decode(
                assertion,
                jwt.PyJWK(match[0]).key,
                algorithms=["RS256"],
                audience=self.token_url,
                issuer=self.client_id,
                options={"require": ["exp", "iat", "jti", "sub"]},
            )
        except jwt.PyJWTError as error:
            return f"assertion: {error}"
        if claims["sub"] != self.client_id:
            return "sub"
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _html(self, status: int, html: str) -> None:
                data = html.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                path = urlsplit(self.path)
                if path.path == "/jwks":
                    platform.jwks_hits += 1
                    self._answer(200, platform.jwks())
                elif path.path == "/auth" and platform.next_launch is not None:
                    # The OIDC authorization endpoint: sign an id_token for the requested nonce
                    # and form_post it to the tool's redirect URI, as an LMS page does.
                    query = {k: v[0] for k, v in parse_qs(path.query).items()}
                    token = platform.sign(
                        platform.claims(nonce=query["nonce"], **platform.next_launch)
                    )
                    self._html(
                        200, _autopost(query["redirect_uri"], state=query["state"], token=token)
                    )
                else:
                    self._answer(404, {"error": "not found"})

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                path = urlsplit(self.path)
                if path.path == "/deep_links":
                    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                    platform.deep_link_answers.append(form.get("JWT", ""))
                    self._html(200, "<!doctype html><title>LMS</title><h1>Content added</h1>")
                elif path.path == "/token":
                    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                    platform.token_requests.append(form)
                    problem = platform._check_assertion(form)
                    if problem:
                        self._answer(400, {"error": "invalid_client", "error_description": problem})
                        return
                    token = uuid.uuid4().hex
                    platform.tokens_issued.append(token)
                    self._answer(
                        200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600}
                    )
                elif path.path.endswith("/scores"):
                    bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if bearer not in platform.tokens_issued:
                        self._answer(401, {"error": "unauthorized"})
                    elif self.headers.get("Content-Type") != SCORE_TYPE:
                        self._answer(415, {"error": "media type"})
                    elif platform.fail_scores > 0:
                        platform.fail_scores -= 1
                        self._answer(503, {"error": "try later"})
                    elif platform.score_status != 200:
                        self._answer(platform.score_status, {"error": "no such line item"})
                    else:
                        platform.scores.append(
                            {"path": self.path, "body": json.loads(body.decode())}
                        )
                        self._answer(200, {})
                else:
                    self._answer(404, {"error": "not found"})

        return Handler


def _autopost(action: str, *, state: str, token: str) -> str:
    from html import escape

    return (
        "<!doctype html><title>LMS</title>"
        f'<form id="f" method="post" action="{escape(action)}">'
        f'<input type="hidden" name="state" value="{escape(state)}">'
        f'<input type="hidden" name="id_token" value="{escape(token)}"></form>'
        '<script>document.getElementById("f").submit()</script>'
    )


# -- fixtures (imported by tests/apps/lti/conftest.py and tests/web/test_lti.py) -----------------


@pytest.fixture
def lms(db: None) -> Iterator[TestPlatform]:
    """A running test platform."""
    with TestPlatform() as platform:
        yield platform


@pytest.fixture
def registered(lms: TestPlatform) -> Any:
    """The test platform registered in Pathways for the demo district."""
    from pathways.apps.lti import services
    from pathways.apps.roster.models import District

    district = District.objects.get(sourced_id="demo-district")
    return services.register_platform(
        name="Test LMS",
        district_id=district.pk,
        issuer=lms.issuer,
        client_id=lms.client_id,
        auth_login_url=lms.auth_login_url,
        token_url=lms.token_url,
        jwks_url=lms.jwks_url,
        deployment_ids=[lms.deployment_id],
    )
