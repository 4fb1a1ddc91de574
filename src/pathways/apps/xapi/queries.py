"""Reads for the xAPI tools: districts by sourcedId or name, the outbox's state."""

from __future__ import annotations

from django.db.models import Count, Min, Q

from pathways.apps.roster.models import District
from pathways.apps.xapi.models import LrsConnection, OutboxEntry


def district_named(key: str) -> District | None:
    """A district by its sourcedId, else by its exact name (when only one has it)."""
    found = District.objects.filter(sourced_id=key).first()
    if found is not None:
        return found
    named = list(District.objects.filter(name=key)[:2])
    return named[0] if len(named) == 1 else None


def connection_of(district: District) -> LrsConnection | None:
    return LrsConnection.objects.filter(district=district).first()


def outbox_summary() -> list[dict[str, object]]:
    """Per connection: statements sent, waiting, failing (waiting with an error), oldest waiting."""
    rows = (
        OutboxEntry.objects.values("connection__district__name", "connection__endpoint")
        .annotate(
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
            waiting=Count("pk", filter=Q(sent_at__isnull=True)),
            failing=Count("pk", filter=Q(sent_at__isnull=True) & ~Q(last_error="")),
            oldest=Min("enqueued_at", filter=Q(sent_at__isnull=True)),
        )
        .order_by("connection__district__name")
    )
    return [dict(row) for row in rows]
