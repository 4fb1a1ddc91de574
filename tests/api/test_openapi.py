"""The OpenAPI document: served, committed (a drift fails the build) and honoured by the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
COMMITTED = Path(__file__).parents[2] / "docs" / "api" / "openapi.json"


def _served() -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_served_and_lists_the_core_operations() -> None:
    paths = _served()["paths"]
    for path in (
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/students",
        "/api/v1/students/{student_id}",
        "/api/v1/students/{student_id}/mastery",
    ):
        assert path in paths


def test_committed_schema_matches_the_code() -> None:
    """Regenerate with: .venv/bin/pathways openapi > docs/api/openapi.json"""
    assert COMMITTED.exists(), "docs/api/openapi.json is missing"
    assert json.loads(COMMITTED.read_text()) == _served()


def test_every_operation_except_login_requires_the_bearer_token() -> None:
    schema = _served()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path == "/api/v1/auth/login":
                assert not operation.get("security")
            else:
                assert operation.get("security"), f"{method.upper()} {path} is open"
