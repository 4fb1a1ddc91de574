"""What a person may see, as querysets: one filter per kind of record (Kolibri's readable filter).

Lists and single records use the same filter, so they can never disagree: ``policy.can`` for one
record asks whether it is in the corresponding queryset.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from pathways.apps.accounts.models import User
from pathways.apps.roster.models import (
    Enrollment,
    Guardianship,
    Membership,
    Role,
    School,
    Section,
)

TEACHING_ROLES = [Enrollment.SectionRole.TEACHER, Enrollment.SectionRole.AIDE]


def _schools_led_by(actor: User, roles: list[Role]) -> QuerySet[Membership]:
    return Membership.objects.filter(user=actor, active=True, role__in=roles, school__active=True)


def _districts_administered_by(actor: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=actor, active=True, role=Role.DISTRICT_ADMIN, district__active=True
    )


def _sections_taught_by(actor: User) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(
        user=actor, active=True, role__in=TEACHING_ROLES, section__active=True
    )


def students() -> QuerySet[User]:
    """Every account with an active student membership."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(role=Role.STUDENT, active=True).values("user")
    )


def visible_students(actor: User) -> QuerySet[User]:
    """The students whose records ``actor`` may read; empty for anyone without a reason."""
    if not actor.is_authenticated or not actor.is_active:
        return User.objects.none()
    student_memberships = Membership.objects.filter(role=Role.STUDENT, active=True)
    reasons = (
        # A student sees themself.
        Q(pk=actor.pk)
        # A teacher (or aide) sees the students of the sections they teach.
        | Q(
            pk__in=Enrollment.objects.filter(
                active=True,
                role=Enrollment.SectionRole.STUDENT,
                section__in=_sections_taught_by(actor).values("section"),
            ).values("user")
        )
        # A principal or coach sees the students of their school.
        | Q(
            pk__in=student_memberships.filter(
                school__in=_schools_led_by(actor, [Role.PRINCIPAL, Role.COACH]).values("school")
            ).values("user")
        )
        # A district administrator sees the students of their district.
        | Q(
            pk__in=student_memberships.filter(
                district__in=_districts_administered_by(actor).values("district")
            ).values("user")
        )
        # A guardian sees their own children.
        | Q(pk__in=Guardianship.objects.filter(guardian=actor, active=True).values("student"))
    )
    return students().filter(reasons)


def staff_visible_students(actor: User) -> QuerySet[User]:
    """Students ``actor`` may read as staff (teacher, coach, principal, district administrator).

    Restricted fields (accommodations, language status) are shown only through this scope:
    never to the student themself or to guardians.
    """
    if not actor.is_authenticated or not actor.is_active:
        return User.objects.none()
    student_memberships = Membership.objects.filter(role=Role.STUDENT, active=True)
    return students().filter(
        Q(
            pk__in=Enrollment.objects.filter(
                active=True,
                role=Enrollment.SectionRole.STUDENT,
                section__in=_sections_taught_by(actor).values("section"),
            ).values("user")
        )
        | Q(
            pk__in=student_memberships.filter(
                school__in=_schools_led_by(actor, [Role.PRINCIPAL, Role.COACH]).values("school")
            ).values("user")
        )
        | Q(
            pk__in=student_memberships.filter(
                district__in=_districts_administered_by(actor).values("district")
            ).values("user")
        )
    )


def visible_sections(actor: User) -> QuerySet[Section]:
    """Sections ``actor`` may look at: taught, attended, led or administered (or a child's)."""
    if not actor.is_authenticated or not actor.is_active:
        return Section.objects.none()
    return Section.objects.filter(active=True).filter(
        Q(pk__in=_sections_taught_by(actor).values("section"))
        | Q(
            pk__in=Enrollment.objects.filter(
                user=actor, active=True, role=Enrollment.SectionRole.STUDENT
            ).values("section")
        )
        | Q(school__in=_schools_led_by(actor, [Role.PRINCIPAL, Role.COACH]).values("school"))
        | Q(school__district__in=_districts_administered_by(actor).values("district"))
        | Q(
            pk__in=Enrollment.objects.filter(
                active=True,
                role=Enrollment.SectionRole.STUDENT,
                user__in=Guardianship.objects.filter(guardian=actor, active=True).values("student"),
            ).values("section")
        )
    )


def staff_sections(actor: User) -> QuerySet[Section]:
    """Sections whose whole class ``actor`` may read as staff: taught, led or administered."""
    if not actor.is_authenticated or not actor.is_active:
        return Section.objects.none()
    return Section.objects.filter(active=True).filter(
        Q(pk__in=_sections_taught_by(actor).values("section"))
        | Q(school__in=_schools_led_by(actor, [Role.PRINCIPAL, Role.COACH]).values("school"))
        | Q(school__district__in=_districts_administered_by(actor).values("district"))
    )


def teachable_sections(actor: User) -> QuerySet[Section]:
    """Sections whose students' work ``actor`` may score and change (teachers and aides only)."""
    if not actor.is_authenticated or not actor.is_active:
        return Section.objects.none()
    return Section.objects.filter(pk__in=_sections_taught_by(actor).values("section"))


def led_schools(actor: User) -> QuerySet[School]:
    """Schools ``actor`` leads as principal or coach, or oversees as district administrator."""
    if not actor.is_authenticated or not actor.is_active:
        return School.objects.none()
    return School.objects.filter(
        Q(pk__in=_schools_led_by(actor, [Role.PRINCIPAL, Role.COACH]).values("school"))
        | Q(district__in=_districts_administered_by(actor).values("district"))
    )


def scheduling_schools(actor: User) -> QuerySet[School]:
    """Schools whose flexible day ``actor`` may build and adjust: principals and coaches of the
    school, and teachers of one of its active sections."""
    if not actor.is_authenticated or not actor.is_active:
        return School.objects.none()
    return School.objects.filter(active=True).filter(
        Q(pk__in=_schools_led_by(actor, [Role.PRINCIPAL, Role.COACH]).values("school"))
        | Q(pk__in=_sections_taught_by(actor).values("section__school"))
    )


def schedule_viewing_schools(actor: User) -> QuerySet[School]:
    """Schools whose schedules ``actor`` may read: those they schedule, and their district's."""
    if not actor.is_authenticated or not actor.is_active:
        return School.objects.none()
    return School.objects.filter(active=True).filter(
        Q(pk__in=scheduling_schools(actor).values("pk"))
        | Q(district__in=_districts_administered_by(actor).values("district"))
    )


def administered_districts(actor: User) -> QuerySet[Membership]:
    return _districts_administered_by(actor)
