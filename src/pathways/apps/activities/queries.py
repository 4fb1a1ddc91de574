"""Reads of the activity library."""

from __future__ import annotations

from django.db.models import QuerySet

from pathways.apps.accounts.models import User
from pathways.apps.activities.models import Activity
from pathways.apps.roster.models import STAFF_ROLES, District, Membership
from pathways.apps.standards.models import Standard
from pathways.apps.standards.queries import standard_by_code


def library_districts(user: User) -> list[District]:
    """Districts whose library ``user`` works with (as staff)."""
    return list(
        District.objects.filter(
            pk__in=Membership.objects.filter(
                user=user, active=True, role__in=sorted(STAFF_ROLES)
            ).values("district")
        )
    )


def library(
    district: District, *, code: str = "", modality: str = "", bloom: int | None = None
) -> QuerySet[Activity]:
    activities = Activity.objects.filter(district=district).prefetch_related("standards")
    if code:
        activities = activities.filter(standards__code__iendswith=code).distinct()
    if modality:
        activities = activities.filter(modality=modality)
    if bloom:
        activities = activities.filter(bloom_level=bloom)
    return activities.order_by("title")


def standards_by_codes(codes: list[str]) -> list[Standard]:
    """Standards by the codes people type ('4.NF.A.1' or the full published code)."""
    found = [standard_by_code(code) for code in codes]
    return [standard for standard in found if standard is not None]
