"""Reads of the activity library."""

from __future__ import annotations

from django.db.models import Q, QuerySet

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
    district: District,
    *,
    code: str = "",
    modality: str = "",
    bloom: int | None = None,
    text: str = "",
    interest: str = "",
) -> QuerySet[Activity]:
    return library_of(
        [district], code=code, modality=modality, bloom=bloom, text=text, interest=interest
    )


def library_of(
    districts: list[District],
    *,
    code: str = "",
    modality: str = "",
    bloom: int | None = None,
    text: str = "",
    interest: str = "",
) -> QuerySet[Activity]:
    """The libraries of ``districts``, filtered: a standard's code (its ending, as people type
    it), modality, Bloom level, words in the title or description, and an interest tag."""
    activities = Activity.objects.filter(district__in=districts).prefetch_related("standards")
    if code:
        activities = activities.filter(
            pk__in=Activity.objects.filter(standards__code__iendswith=code).values("pk")
        )
    if modality:
        activities = activities.filter(modality=modality)
    if bloom:
        activities = activities.filter(bloom_level=bloom)
    if text:
        activities = activities.filter(Q(title__icontains=text) | Q(description__icontains=text))
    if interest:
        # Tags are a JSON list; matching in Python keeps SQLite and PostgreSQL alike.
        tag = interest.strip().lower()
        tagged = [pk for pk, tags in activities.values_list("pk", "interest_tags") if tag in tags]
        activities = activities.filter(pk__in=tagged)
    return activities.order_by("title", "pk")


def activity_by_id(pk: int) -> Activity | None:
    return (
        Activity.objects.select_related("district")
        .prefetch_related("standards")
        .filter(pk=pk)
        .first()
    )


def standards_by_codes(codes: list[str]) -> list[Standard]:
    """Standards by the codes people type ('4.NF.A.1' or the full published code)."""
    found = [standard_by_code(code) for code in codes]
    return [standard for standard in found if standard is not None]
