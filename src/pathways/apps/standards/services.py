"""Editing the prerequisite graph: published frameworks rarely carry complete prerequisites."""

from __future__ import annotations

import uuid

from django.db import transaction

from pathways.apps.access import policy
from pathways.apps.accounts.models import User
from pathways.apps.roster.models import Membership, Role
from pathways.apps.standards.models import Association, Standard

_NAMESPACE = uuid.UUID("8d2c4a57-2f0e-4b6b-9a55-3c2c1f6f0b11")


def _require_district_admin(actor: User) -> None:
    if not Membership.objects.filter(user=actor, active=True, role=Role.DISTRICT_ADMIN).exists():
        raise policy.NotFound("not found")


def _reaches(start: Standard, goal: Standard) -> bool:
    """Whether ``goal`` is reachable from ``start`` along existing ``precedes`` edges."""
    edges: dict[int, list[int]] = {}
    for origin, destination in Association.objects.filter(
        kind=Association.Kind.PRECEDES, framework_id=start.framework_id
    ).values_list("origin_id", "destination_id"):
        edges.setdefault(origin, []).append(destination)
    seen, frontier = {start.pk}, [start.pk]
    while frontier:
        node = frontier.pop()
        if node == goal.pk:
            return True
        for following in edges.get(node, []):
            if following not in seen:
                seen.add(following)
                frontier.append(following)
    return False


@transaction.atomic
def add_prerequisite(actor: User, prerequisite: Standard, standard: Standard) -> Association:
    """``prerequisite`` precedes ``standard``; refused when it would close a cycle."""
    _require_district_admin(actor)
    if prerequisite.framework_id != standard.framework_id:
        raise ValueError("both standards must belong to the same framework")
    if prerequisite.pk == standard.pk:
        raise ValueError("a standard cannot be its own prerequisite")
    if _reaches(standard, prerequisite):
        raise ValueError(
            f"{prerequisite.short_code} already depends on {standard.short_code}: "
            "this edge would make a cycle"
        )
    association, _ = Association.objects.get_or_create(
        kind=Association.Kind.PRECEDES,
        origin=prerequisite,
        destination=standard,
        defaults={
            "framework_id": standard.framework_id,
            "identifier": str(
                uuid.uuid5(_NAMESPACE, f"{prerequisite.identifier}>{standard.identifier}")
            ),
        },
    )
    return association


@transaction.atomic
def remove_prerequisite(actor: User, prerequisite: Standard, standard: Standard) -> bool:
    _require_district_admin(actor)
    deleted, _ = Association.objects.filter(
        kind=Association.Kind.PRECEDES, origin=prerequisite, destination=standard
    ).delete()
    return deleted > 0
