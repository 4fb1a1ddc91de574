"""The xAPI outbox: connect a district's LRS, queue evidence, send in batches with retries.

Every statement's id is its evidence id, so a batch sent twice (a lost reply, a crash after
sending) is harmless: an LRS that already holds the same statement answers 204/200, or 409, and
Pathways then reads that statement back and counts it delivered when it is the same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from pathways.apps.evidence.models import Evidence
from pathways.apps.roster.models import District, Membership
from pathways.apps.xapi import secrets
from pathways.apps.xapi.models import LrsConnection, OutboxEntry
from pathways.apps.xapi.statements import statement_for
from pathways.interop.xapi import LrsClient, LrsError, same_statement

logger = logging.getLogger(__name__)

#: Retry after 1, 2, 4 ... minutes, at most a day apart.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(days=1)

ClientFactory = Callable[[LrsConnection], LrsClient]
#: Outcome of a statement the LRS already held, identical to ours (delivered, not sent again).
ALREADY_THERE = "already there"


def client_for(connection: LrsConnection) -> LrsClient:
    return LrsClient(
        connection.endpoint, connection.key, secrets.decrypt(connection.secret_encrypted)
    )


def connect(
    district: District,
    *,
    endpoint: str,
    key: str,
    secret: str,
    home_page: str,
    batch_size: int = 50,
) -> LrsConnection:
    """Set (or replace) the district's LRS; the secret is stored encrypted."""
    if not endpoint.startswith(("http://", "https://")):
        raise ValueError(f"the LRS endpoint must be an http(s) URL, not {endpoint!r}")
    if not home_page.startswith(("http://", "https://")):
        raise ValueError(f"the home page must be an http(s) URL, not {home_page!r}")
    if not key or not secret:
        raise ValueError("both the LRS key and its secret are required")
    if not 1 <= batch_size <= 500:
        raise ValueError("the batch size must be 1 to 500")
    connection, _ = LrsConnection.objects.update_or_create(
        district=district,
        defaults={
            "endpoint": endpoint,
            "key": key,
            "secret_encrypted": secrets.encrypt(secret),
            "home_page": home_page.rstrip("/"),
            "batch_size": batch_size,
            "active": True,
        },
    )
    return connection


def connection_for_student(student_id: int) -> LrsConnection | None:
    # Most sites send no statements: a trivial query says so before the one that joins the
    # student's memberships (~0.5 ms of query building on every evidence submission). Both read
    # the database inside the caller's transaction, so a connection made a moment ago by another
    # process counts at once (a per-process cache could not promise that).
    if not LrsConnection.objects.filter(active=True).exists():
        return None
    districts = Membership.objects.filter(user_id=student_id, active=True).values("district")
    return LrsConnection.objects.filter(active=True, district__in=districts).first()


def enqueue(evidence: Evidence) -> OutboxEntry | None:
    """Queue one piece of evidence when the student's district sends to an LRS.

    Called from the post_save signal, so inside the transaction that records the evidence: the
    evidence and its outbox row are committed (or rolled back) together.
    """
    connection = connection_for_student(evidence.student_id)
    if connection is None:
        return None
    entry, _ = OutboxEntry.objects.get_or_create(
        evidence=evidence, defaults={"connection": connection}
    )
    return entry


def backfill(district: District, *, since: datetime | None = None) -> int:
    """Queue the district's students' earlier evidence (what was recorded before connecting)."""
    connection = LrsConnection.objects.filter(district=district, active=True).first()
    if connection is None:
        raise ValueError(f"{district} has no active LRS connection")
    students = Membership.objects.filter(district=district, active=True).values("user")
    evidence = Evidence.objects.filter(student__in=students, xapi_outbox__isnull=True)
    if since is not None:
        evidence = evidence.filter(occurred_at__gte=since)
    rows = [
        OutboxEntry(evidence_id=pk, connection=connection)
        for pk in evidence.values_list("pk", flat=True)
    ]
    OutboxEntry.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


@dataclass
class FlushReport:
    sent: int = 0
    already_there: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"sent {self.sent}, already in the LRS {self.already_there}, failed {self.failed}"]
        return out + [f"  {e}" for e in self.errors]


def _backoff(attempts: int) -> timedelta:
    delay: timedelta = FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 20)
    return min(delay, LONGEST_RETRY)


def _single(body: Any) -> dict[str, Any]:
    """A statement fetched by id (some LRSs wrap it in a StatementResult)."""
    if isinstance(body, dict) and isinstance(body.get("statements"), list) and body["statements"]:
        return dict(body["statements"][0])
    return body if isinstance(body, dict) else {}


def _one_by_one(client: LrsClient, statements: dict[str, dict[str, Any]]) -> dict[str, str | None]:
    """PUT each statement; a 409 is checked against what the LRS holds. id -> error or None."""
    outcome: dict[str, str | None] = {}
    for statement_id, statement in statements.items():
        reply = client.put_statement(statement)
        if reply.status in (200, 204):
            outcome[statement_id] = None
        elif reply.status == 409:
            held = client.get_statement(statement_id)
            if held.status == 200 and same_statement(_single(held.json()), statement):
                outcome[statement_id] = ALREADY_THERE
            else:
                outcome[statement_id] = "the LRS holds a different statement with this id (409)"
        else:
            outcome[statement_id] = f"LRS answered {reply.status}: {reply.body[:300]}"
    return outcome


def _deliver(client: LrsClient, statements: dict[str, dict[str, Any]]) -> dict[str, str | None]:
    reply = client.post_statements(list(statements.values()))
    if reply.status == 200:
        return dict.fromkeys(statements)
    if reply.status == 204:  # every statement was already there, the same (Ralph answers so)
        return dict.fromkeys(statements, ALREADY_THERE)
    if reply.status == 409 or (reply.status == 400 and len(statements) > 1):
        # Some ids are already there (or one statement is refused): settle them one by one.
        return _one_by_one(client, statements)
    error = f"LRS answered {reply.status}: {reply.body[:300]}"
    return dict.fromkeys(statements, error)


def flush(
    *,
    limit: int | None = None,
    now: datetime | None = None,
    client_factory: ClientFactory = client_for,
) -> FlushReport:
    """Send due statements, batch by batch, per connection; record every attempt's outcome."""
    report = FlushReport()
    now = now or timezone.now()
    done = 0
    for connection in LrsConnection.objects.filter(active=True).order_by("pk"):
        try:
            client = client_factory(connection)
        except ValueError as error:
            report.errors.append(f"{connection}: {error}")
            continue
        while limit is None or done < limit:
            size = (
                connection.batch_size if limit is None else min(connection.batch_size, limit - done)
            )
            batch = list(
                OutboxEntry.objects.filter(
                    connection=connection, sent_at__isnull=True, next_attempt_at__lte=now
                )
                .select_related(
                    "evidence__standard__framework", "evidence__item", "evidence__student"
                )
                .order_by("next_attempt_at", "enqueued_at")[:size]
            )
            if not batch:
                break
            done += len(batch)
            statements = {str(e.evidence_id): statement_for(e.evidence, connection) for e in batch}
            try:
                outcome = _deliver(client, statements)
            except LrsError as error:
                outcome = dict.fromkeys(statements, str(error))
            _record(batch, outcome, report)
            if all(e is not None and e != ALREADY_THERE for e in outcome.values()):
                break  # the LRS is failing: leave the rest for the next run
    return report


def _record(batch: list[OutboxEntry], outcome: dict[str, str | None], report: FlushReport) -> None:
    moment = timezone.now()
    with transaction.atomic():
        for entry in batch:
            error = outcome[str(entry.evidence_id)]
            entry.attempts += 1
            entry.last_attempt_at = moment
            if error is None or error == ALREADY_THERE:
                entry.sent_at = moment
                entry.last_error = ""
                if error is None:
                    report.sent += 1
                else:
                    report.already_there += 1
            else:
                entry.last_error = error[:2000]
                entry.next_attempt_at = moment + _backoff(entry.attempts)
                report.failed += 1
                if len(report.errors) < 20:
                    report.errors.append(f"{entry.evidence_id}: {error}")
            entry.save(
                update_fields=[
                    "attempts",
                    "last_attempt_at",
                    "sent_at",
                    "last_error",
                    "next_attempt_at",
                ]
            )
