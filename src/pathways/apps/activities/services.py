"""Writes to the activity library: staff add activities aligned to standards."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from pathways.apps.access import policy
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.activities.models import Activity, BloomLevel, Modality
from pathways.apps.roster.models import District
from pathways.apps.standards.models import Standard


@transaction.atomic
def create_activity(
    actor: User,
    district: District,
    *,
    title: str,
    description: str,
    modality: str,
    bloom_level: int,
    duration_minutes: int,
    materials: str = "",
    interest_tags: Sequence[str] = (),
    standards: Sequence[Standard],
) -> Activity:
    """Add an activity to the district's library, aligned to at least one standard."""
    policy.require(actor, Action.MANAGE_LIBRARY, district)
    problems = []
    if not title.strip():
        problems.append("a title is required")
    if modality not in Modality.values:
        problems.append(f"unknown modality {modality!r}")
    if bloom_level not in BloomLevel.values:
        problems.append("Bloom level must be 1 (remember) to 6 (create)")
    if not 1 <= duration_minutes <= 600:
        problems.append("duration must be 1 to 600 minutes")
    if not standards:
        problems.append("align the activity to at least one standard")
    if problems:
        raise ValueError("; ".join(problems))
    activity = Activity.objects.create(
        district=district,
        title=title.strip()[:200],
        description=description.strip(),
        modality=modality,
        bloom_level=bloom_level,
        duration_minutes=duration_minutes,
        materials=materials.strip(),
        interest_tags=[t.strip().lower() for t in interest_tags if t.strip()],
        created_by=actor,
    )
    activity.standards.set(standards)
    return activity
