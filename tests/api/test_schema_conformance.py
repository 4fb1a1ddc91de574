"""Schemathesis: generated requests for every operation; answers must match the schema, no 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from pathways.apps.accounts.services import issue_token
from pathways.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_api_honours_its_own_schema(case, person) -> None:
    token = issue_token(person("teacher1")).token
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
