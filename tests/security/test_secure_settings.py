"""Production settings: `manage check --deploy` is clean; HSTS, CSP, secure cookies, Argon2.

Settings are read once per process, so production runs in a subprocess with the environment an
operator sets (PATHWAYS_HTTPS=true, a real secret key, DEBUG off).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = r"""
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client()
signin = client.get("/signin/", secure=True, HTTP_HOST="pathways.example.org")
plain = client.get("/signin/", HTTP_HOST="pathways.example.org")
print(json.dumps({
    "debug": settings.DEBUG,
    "hasher": settings.PASSWORD_HASHERS[0],
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "status": signin.status_code,
    "hsts": signin.headers.get("Strict-Transport-Security"),
    "csp": signin.headers.get("Content-Security-Policy"),
    "cache": signin.headers.get("Cache-Control"),
    "frame": signin.headers.get("X-Frame-Options"),
    "nosniff": signin.headers.get("X-Content-Type-Options"),
    "csrf_cookie_secure": bool(signin.cookies["csrftoken"]["secure"]),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location"),
}))
"""


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PATHWAYS_HTTPS": "true",
        "PATHWAYS_DEBUG": "false",
        "PATHWAYS_SECRET_KEY": secrets.token_urlsafe(50),
        "PATHWAYS_ALLOWED_HOSTS": "pathways.example.org",
        "PATHWAYS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "pathways.config.settings",
    }
    return env


def test_check_deploy_is_clean_in_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pathways.cli.main",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp_path = tmp_path_factory.mktemp("prod")
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return probe


def test_https_only_with_hsts(production: dict[str, object]) -> None:
    assert production["status"] == 200
    assert production["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert production["plain_status"] == 301
    assert str(production["plain_location"]).startswith("https://")


def test_cookies_are_secure_and_http_only(production: dict[str, object]) -> None:
    assert production["session_secure"] is True
    assert production["session_httponly"] is True
    assert production["csrf_secure"] is True
    assert production["csrf_cookie_secure"] is True


def test_strict_csp_no_store_and_frame_denial(production: dict[str, object]) -> None:
    csp = str(production["csp"])
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert production["cache"] == "no-store"
    assert production["frame"] == "DENY"
    assert production["nosniff"] == "nosniff"


def test_passwords_are_hashed_with_argon2(production: dict[str, object]) -> None:
    assert production["debug"] is False
    assert production["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"
