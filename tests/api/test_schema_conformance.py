"""Schemathesis: generated requests for every operation, sent as each role: answers match the
schema, no 5xx."""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection

from pathways.apps.accounts.services import issue_token
from pathways.apps.roster.models import Enrollment
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


# Every generated request is sent as each kind of account, so a 5xx or an answer outside the
# schema that only one role reaches (a guardian's list, a district administrator's search) is
# found. One test per operation (not per role x operation) keeps the suite's time modest.
ROLES = ["student1", "guardian1", "teacher1", "principal1", "district1"]


@pytest.fixture
def real_records(person) -> dict[str, list[int]]:
    """Ids of records that exist: student1's and student2's, their sections and schools."""
    students = [person("student1"), person("student2")]
    enrollments = list(
        Enrollment.objects.filter(user__in=students, role="student").select_related("section")
    )
    return {
        "student_id": [s.pk for s in students],
        "section_id": sorted({e.section_id for e in enrollments}),
        "school_id": sorted({e.section.school_id for e in enrollments}),
    }


def _with_real_records(case, pools: dict[str, list[int]]) -> None:
    """Half the cases name real records instead of generated ids (which are almost never ids of
    anything), so each role's answers for records it may and may not see are checked too."""
    parameters = case.path_parameters or {}
    pick = zlib.crc32(repr(sorted(parameters.items())).encode())
    if not parameters or pick % 2:
        return
    for name, pool in pools.items():
        if name in parameters and pool:
            parameters[name] = pool[pick % len(pool)]


# `make test` sends the same 4 examples per operation on every run (see tests/conftest.py);
# `make fuzz` sends PATHWAYS_FUZZ_EXAMPLES fresh random ones.
FUZZ_EXAMPLES = int(os.environ.get("PATHWAYS_FUZZ_EXAMPLES", "0"))


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES or 4,  # each sent as 5 roles: 20 calls per operation
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_api_honours_its_own_schema(case, person, real_records) -> None:
    _with_real_records(case, real_records)
    for role in ROLES:
        token = issue_token(person(role)).token  # a fresh one: a case may be a sign-out
        # Every call carries a valid token of the role's account, so a case "made negative" by
        # dropping Authorization is not negative here; unknown query parameters are ignored on
        # purpose (lenient readers). Every other check (server errors, status codes, response
        # schemas, valid data accepted) applies.
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            excluded_checks=[negative_data_rejection],
        )
