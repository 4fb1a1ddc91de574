"""Reads of the organisation model for pages and the API (callers check access first)."""

from __future__ import annotations

from pathways.apps.accounts.models import User
from pathways.apps.roster.models import (
    District,
    Enrollment,
    Guardianship,
    Membership,
    Role,
    School,
    Section,
)


def section_by_id(pk: int) -> Section | None:
    return Section.objects.select_related("course", "school", "term").filter(pk=pk).first()


def sections_of(school: School) -> list[Section]:
    return list(Section.objects.filter(school=school).select_related("course", "school", "term"))


def schools_of(district: District) -> list[School]:
    return list(School.objects.filter(district=district))


def schools_where(user: User, roles: list[Role]) -> list[School]:
    """Schools where ``user`` holds one of ``roles`` (e.g. the principal's or coach's own)."""
    return list(
        School.objects.filter(
            pk__in=Membership.objects.filter(user=user, active=True, role__in=roles).values(
                "school"
            )
        )
    )


def districts_administered_by(user: User) -> list[District]:
    return list(
        District.objects.filter(
            pk__in=Membership.objects.filter(
                user=user, active=True, role=Role.DISTRICT_ADMIN
            ).values("district")
        )
    )


def children_of(guardian: User) -> list[User]:
    return [
        link.student
        for link in Guardianship.objects.filter(guardian=guardian, active=True).select_related(
            "student"
        )
    ]


def memberships_of(user: User) -> list[Membership]:
    return list(Membership.objects.filter(user=user, active=True).select_related("school"))


def students_by_section(section_ids: list[int]) -> dict[int, list[int]]:
    """Student ids of each section's active enrollments."""
    members: dict[int, list[int]] = {sid: [] for sid in section_ids}
    for section_id, user_id in Enrollment.objects.filter(
        section_id__in=section_ids, role="student", active=True
    ).values_list("section_id", "user_id"):
        members[section_id].append(user_id)
    return members
