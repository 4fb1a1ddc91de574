"""The xAPI outbox: evidence queues its statement in the same transaction; flush sends batches,
retries with backoff and records every attempt; statements carry no names."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from pathways.apps.evidence.models import Evidence
from pathways.apps.evidence.services import record_evidence
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.roster.models import Membership
from pathways.apps.xapi import services
from pathways.apps.xapi.models import LrsConnection, OutboxEntry
from pathways.apps.xapi.statements import learner_name, statement_for
from pathways.interop.xapi import LrsClient, LrsError, LrsResponse

pytestmark = pytest.mark.django_db

HOME = "https://pathways.riverbend.example"


def connect(student) -> LrsConnection:
    district = Membership.objects.filter(user=student, active=True).first().district
    return services.connect(
        district, endpoint="http://127.0.0.1:9/xAPI/", key="k", secret="s", home_page=HOME
    )


def record(teacher, student, *, correct: bool | None = True, level: int | None = None) -> Evidence:
    standard = student_course_standards(student)[0]
    kind = Evidence.Kind.RUBRIC if level else Evidence.Kind.EXIT_TICKET
    return record_evidence(
        teacher,
        evidence_id=uuid.uuid4(),
        student=student,
        standard=standard,
        kind=kind,
        correct=None if level else correct,
        rubric_level=level,
    ).evidence


class FakeLrs(LrsClient):
    """Answers from a script of statuses and keeps what it was sent."""

    def __init__(self, *replies: int, held: dict[str, Any] | None = None) -> None:
        super().__init__("http://lrs.invalid/xAPI/", "k", "s")
        self.replies = list(replies)
        self.posted: list[list[dict[str, Any]]] = []
        self.put: list[dict[str, Any]] = []
        self.held = held or {}

    def _next(self) -> LrsResponse:
        status = self.replies.pop(0)
        if status == 0:
            raise LrsError("connection refused")
        return LrsResponse(status, "")

    def post_statements(self, statements: list[dict[str, Any]]) -> LrsResponse:
        self.posted.append(statements)
        return self._next()

    def put_statement(self, statement: dict[str, Any]) -> LrsResponse:
        self.put.append(statement)
        return self._next()

    def get_statement(self, statement_id: str) -> LrsResponse:
        return LrsResponse(200, json.dumps({"statements": [self.held[statement_id]]}))


def test_evidence_is_queued_only_for_a_connected_district(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    before = record(teacher, student)
    assert not OutboxEntry.objects.filter(evidence=before).exists()
    connection = connect(student)
    after = record(teacher, student)
    entry = OutboxEntry.objects.get(evidence=after)
    assert entry.connection == connection
    assert entry.sent_at is None
    assert entry.attempts == 0


def test_the_outbox_row_rolls_back_with_the_evidence(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    connect(student)
    seen: list[Evidence] = []

    def request_that_fails() -> None:
        with transaction.atomic():
            seen.append(record(teacher, student))
            assert OutboxEntry.objects.filter(evidence=seen[0]).exists()
            raise RuntimeError("the request failed after recording")

    with pytest.raises(RuntimeError):
        request_that_fails()
    assert not Evidence.objects.filter(pk=seen[0].pk).exists()
    assert not OutboxEntry.objects.filter(pk=seen[0].pk).exists()


def test_the_statement_names_nobody(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    connection = connect(student)
    evidence = record(teacher, student, level=2)
    statement = statement_for(evidence, connection)
    assert statement["id"] == str(evidence.pk)
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": HOME, "name": learner_name(student)},
    }
    text = json.dumps(statement)
    for personal in (student.username, student.first_name, student.last_name, student.email):
        if personal:
            assert personal not in text
    assert learner_name(student) == learner_name(student)  # stable
    assert learner_name(student) != learner_name(person("student2"))
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/scored"
    assert statement["result"] == {
        "score": {"scaled": 0.5, "raw": 2, "min": 1, "max": 4},
        "success": False,
        "completion": True,
    }
    assert statement["object"]["id"].endswith(evidence.standard.identifier)
    grouping = statement["context"]["contextActivities"]["grouping"][0]
    assert grouping["id"].startswith(f"{HOME}/sections/")
    assert "response" not in statement["result"]


def test_flush_sends_batches_and_retries_with_backoff(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    connect(student)
    first = [record(teacher, student) for _ in range(3)]
    lrs = FakeLrs(0)  # the LRS is down
    report = services.flush(client_factory=lambda c: lrs)
    assert (report.sent, report.failed) == (0, 3)
    entry = OutboxEntry.objects.get(evidence=first[0])
    assert entry.attempts == 1
    assert "connection refused" in entry.last_error
    assert entry.next_attempt_at > timezone.now() + timedelta(seconds=50)
    # Not due yet: nothing is sent.
    assert services.flush(client_factory=lambda c: FakeLrs()).sent == 0
    # Later the LRS is back: everything goes in one batch.
    later = timezone.now() + timedelta(minutes=2)
    lrs = FakeLrs(200)
    report = services.flush(now=later, client_factory=lambda c: lrs)
    assert report.sent == 3
    assert [s["id"] for s in lrs.posted[0]] == [str(e.pk) for e in first]
    entry.refresh_from_db()
    assert entry.sent_at is not None
    assert entry.attempts == 2
    assert entry.last_error == ""
    # Sent is sent: nothing more goes out.
    assert services.flush(now=later, client_factory=lambda c: FakeLrs()).sent == 0


def test_a_409_counts_as_delivered_only_when_the_lrs_holds_the_same_statement(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    connection = connect(student)
    same, other = record(teacher, student), record(teacher, student, correct=False)
    held = {
        str(same.pk): {**statement_for(same, connection), "stored": "2026-01-01T00:00:00Z"},
        str(other.pk): {**statement_for(other, connection), "verb": {"id": "x"}},
    }
    lrs = FakeLrs(409, 409, 409, held=held)
    report = services.flush(client_factory=lambda c: lrs)
    assert (report.sent, report.already_there, report.failed) == (0, 1, 1)
    assert OutboxEntry.objects.get(evidence=same).sent_at is not None
    failed = OutboxEntry.objects.get(evidence=other)
    assert failed.sent_at is None
    assert "different statement" in failed.last_error


def test_backfill_queues_earlier_evidence_once(person) -> None:
    teacher, student = person("teacher1"), person("student1")
    earlier = record(teacher, student)
    connection = connect(student)
    assert services.backfill(connection.district) >= 1
    assert OutboxEntry.objects.filter(evidence=earlier).exists()
    assert services.backfill(connection.district) == 0


def test_the_secret_is_stored_encrypted(person) -> None:
    connection = connect(person("student1"))
    connection.refresh_from_db()
    assert bytes(connection.secret_encrypted) != b"s"
    assert services.client_for(connection)._headers["Authorization"] == "Basic azpz"
