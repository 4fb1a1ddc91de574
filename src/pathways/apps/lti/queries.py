"""Reads for LTI: registrations, the activities a teacher may place, the score outbox."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from pathways.apps.accounts.models import User
from pathways.apps.activities.models import Activity
from pathways.apps.activities.queries import library_districts
from pathways.apps.lti.models import Platform, ScoreOutbox
from pathways.apps.roster.models import District


def platform_for(issuer: str, client_id: str = "") -> Platform | None:
    """The active registration of ``issuer`` (and ``client_id`` when the platform sends it).

    Without a client id, an issuer registered more than once is ambiguous, so nothing matches.
    """
    found = Platform.objects.filter(issuer=issuer, active=True)
    if client_id:
        found = found.filter(client_id=client_id)
    rows = list(found[:2])
    return rows[0] if len(rows) == 1 else None


def platform_by_id(pk: int) -> Platform | None:
    return Platform.objects.filter(pk=pk, active=True).select_related("district").first()


def pickable_activities(teacher: User, platform: Platform) -> list[Activity]:
    """Activities of the platform's district library, if the teacher works in that district."""
    if platform.district not in library_districts(teacher):
        return []
    return list(
        Activity.objects.filter(district=platform.district)
        .prefetch_related("standards")
        .order_by("title")
    )


def due_scores(limit: int) -> list[ScoreOutbox]:
    rows = ScoreOutbox.objects.filter(
        Q(state=ScoreOutbox.State.PENDING) & Q(next_attempt_at__lte=timezone.now())
    ).select_related("target__account", "target__line_item__link__platform")
    return list(rows.order_by("next_attempt_at", "pk")[:limit])


def outbox_counts() -> dict[str, int]:
    return {state: ScoreOutbox.objects.filter(state=state).count() for state in ScoreOutbox.State}


def district_by_sourced_id(sourced_id: str) -> District | None:
    return District.objects.filter(sourced_id=sourced_id).first()
