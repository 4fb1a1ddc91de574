"""Which roles a person holds, derived from their memberships, enrollments and guardianships."""

from __future__ import annotations

from pathways.apps.accounts.models import User
from pathways.apps.roster.models import Enrollment, Guardianship, Membership, Role

# When a person holds several roles, their home page is the first of these they hold.
HOME_ORDER = (
    Role.DISTRICT_ADMIN,
    Role.PRINCIPAL,
    Role.COACH,
    Role.TEACHER,
    Role.GUARDIAN,
    Role.STUDENT,
)


def roles_of(user: User) -> set[Role]:
    """Every role the person holds anywhere (empty for an anonymous or unaffiliated account)."""
    if not user.is_authenticated:
        return set()
    roles = {
        Role(role)
        for role in Membership.objects.filter(user=user, active=True).values_list("role", flat=True)
    }
    if Enrollment.objects.filter(
        user=user,
        active=True,
        role__in=[Enrollment.SectionRole.TEACHER, Enrollment.SectionRole.AIDE],
    ).exists():
        roles.add(Role.TEACHER)
    if Guardianship.objects.filter(guardian=user, active=True).exists():
        roles.add(Role.GUARDIAN)
    return roles


def home_role(user: User) -> Role | None:
    held = roles_of(user)
    return next((role for role in HOME_ORDER if role in held), None)
