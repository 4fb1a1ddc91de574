"""Schemathesis: generated requests for every operation; answers must match the schema, no 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection

from pathways.apps.accounts.services import issue_token
from pathways.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open() -> Iterator[None]:
    """Django closes the connection after each WSGI request; inside a test transaction (on
    PostgreSQL) that would end the test's transaction. Django's own test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_api_honours_its_own_schema(case, person) -> None:
    token = issue_token(person("teacher1")).token
    # Every case gets a valid token, so a case "made negative" by dropping Authorization is not
    # negative here; unknown query parameters are ignored on purpose (lenient readers). Every
    # other check (server errors, status codes, response schemas, valid data accepted) applies.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, excluded_checks=[negative_data_rejection]
    )
