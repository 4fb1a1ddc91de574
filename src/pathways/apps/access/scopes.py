"""What a person may see, as querysets: one filter per kind of record (Kolibri's readable filter).

Lists and single records use the same filter, so they can never disagree: ``policy.can`` for one
record asks whether it is in the corresponding queryset.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from pathways.apps.accounts.models import User
from pathways.apps.innovation.models import Cycle
from pathways.apps.roster.models import (
    District,
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
    # A correlated EXISTS probes the membership index per account: looking up one student
    # (every evidence submission does) costs the same in a district of 300 or of 30,000.
    # ``pk IN (subquery)`` made SQLite list every student membership on each lookup.
    return User.objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), role=Role.STUDENT, active=True))
    )


def _as_staff(actor: User) -> Q:
    """The students ``actor`` reaches through a staff role, one reason per line."""
    student_memberships = Membership.objects.filter(role=Role.STUDENT, active=True)
    return (
        # A teacher (or aide) sees the students of the sections they teach.
        Q(
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
    )


def visible_students(actor: User) -> QuerySet[User]:
    """The students whose records ``actor`` may read; empty for anyone without a reason."""
    if not actor.is_authenticated or not actor.is_active:
        return User.objects.none()
    return students().filter(
        # A student sees themself.
        Q(pk=actor.pk)
        | _as_staff(actor)
        # A guardian sees their own children.
        | Q(pk__in=Guardianship.objects.filter(guardian=actor, active=True).values("student"))
    )


def staff_visible_students(actor: User) -> QuerySet[User]:
    """Students ``actor`` may read as staff (teacher, coach, principal, district administrator).

    Restricted fields (accommodations, language status) are shown only through this scope:
    never to the student themself or to guardians.
    """
    if not actor.is_authenticated or not actor.is_active:
        return User.objects.none()
    return students().filter(_as_staff(actor))


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


def _student_of(actor: User) -> Exists:
    """Whether the account (``OuterRef("pk")``) is an active student of an active class that
    ``actor`` actively teaches (teacher or aide): one flat EXISTS, no nested lists."""
    return Exists(
        Enrollment.objects.filter(
            user=OuterRef("pk"),
            active=True,
            role=Enrollment.SectionRole.STUDENT,
            section__active=True,
            section__enrollments__user=actor,
            section__enrollments__active=True,
            section__enrollments__role__in=TEACHING_ROLES,
        )
    )


def recordable_students(actor: User) -> QuerySet[User]:
    """Students whose work ``actor`` may score and record: those of the classes they teach."""
    if not actor.is_authenticated or not actor.is_active:
        return User.objects.none()
    return students().filter(_student_of(actor))


def student_marked_recordable(actor: User, student_id: int) -> User | None:
    """The student with this id (None for anyone else), with ``recordable``: whether they are in
    ``recordable_students(actor)``.

    The evidence API asks this on every submission, the busiest request of the platform. Built
    with the ORM, the two EXISTS of ``students()`` and ``recordable_students`` cost ~1.5 ms of
    query compilation for a 0.1 ms query, so it is written out here: the same rules, table by
    table (tests/apps/access/test_recording_permit.py checks it against ``policy.can``).
    """
    user, membership = User._meta.db_table, Membership._meta.db_table
    enrollment, section = Enrollment._meta.db_table, Section._meta.db_table
    sql = f"""
        SELECT u.*, EXISTS (
            SELECT 1 FROM {enrollment} se
            JOIN {section} s ON s.id = se.section_id
            JOIN {enrollment} te ON te.section_id = se.section_id
            WHERE se.user_id = u.id AND se.active = %s AND se.role = %s AND s.active = %s
              AND te.user_id = %s AND te.active = %s AND te.role IN (%s, %s)
        ) AS recordable
        FROM {user} u
        WHERE u.id = %s AND EXISTS (
            SELECT 1 FROM {membership} m WHERE m.user_id = u.id AND m.role = %s AND m.active = %s
        )
    """  # noqa: S608 - table names from the models' metadata; every value is a parameter
    params = [
        *(True, Enrollment.SectionRole.STUDENT.value, True),
        *(actor.pk, True, *(role.value for role in TEACHING_ROLES)),
        *(student_id, Role.STUDENT.value, True),
    ]
    found = list(User.objects.raw(sql, params))
    if not found:
        return None
    student = found[0]
    student.recordable = bool(student.recordable)  # type: ignore[attr-defined]  # SQLite: 0 or 1
    return student


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


def resource_editing_schools(actor: User) -> QuerySet[School]:
    """Schools whose rooms, stations, devices, licences, teachers' availability and blocks
    ``actor`` may change: the school's principal and the district's administrators (teachers
    and coaches read them with the schedule; a change reshapes everyone's day)."""
    if not actor.is_authenticated or not actor.is_active:
        return School.objects.none()
    return School.objects.filter(active=True).filter(
        Q(pk__in=_schools_led_by(actor, [Role.PRINCIPAL]).values("school"))
        | Q(district__in=_districts_administered_by(actor).values("district"))
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


def innovation_districts(actor: User) -> QuerySet[District]:
    """Districts whose goals, problems and practice library ``actor`` joins in: their staff."""
    if not actor.is_authenticated or not actor.is_active:
        return District.objects.none()
    return District.objects.filter(active=True).filter(
        pk__in=Membership.objects.filter(
            user=actor,
            active=True,
            role__in=[Role.TEACHER, Role.COACH, Role.PRINCIPAL, Role.DISTRICT_ADMIN],
        ).values("district")
    )


def comparison_sections(actor: User) -> QuerySet[Section]:
    """Classes ``actor`` may use as a PDSA comparison group (only their totals are shown)."""
    if not actor.is_authenticated or not actor.is_active:
        return Section.objects.none()
    return Section.objects.filter(active=True).filter(
        # Any class of a school where the actor teaches a class.
        Q(school__in=_sections_taught_by(actor).values("section__school"))
        # Any class the actor may read as staff (school leaders, district administrators).
        | Q(pk__in=staff_sections(actor).values("pk"))
    )


def visible_cycles(actor: User) -> QuerySet[Cycle]:
    """PDSA cycles ``actor`` may read: their own classes', their school's, their district's."""
    if not actor.is_authenticated or not actor.is_active:
        return Cycle.objects.none()
    return Cycle.objects.filter(
        # The person who planned it.
        Q(owner=actor)
        # A teacher of one of the classes trying the change.
        | Q(trying_sections__in=_sections_taught_by(actor).values("section"))
        # A principal or coach of its school.
        | Q(school__in=_schools_led_by(actor, [Role.PRINCIPAL, Role.COACH]).values("school"))
        # A district administrator of its district.
        | Q(school__district__in=_districts_administered_by(actor).values("district"))
    ).distinct()


def editable_cycles(actor: User) -> QuerySet[Cycle]:
    """PDSA cycles ``actor`` may carry on (notes, study, decision): the team, not the district."""
    if not actor.is_authenticated or not actor.is_active:
        return Cycle.objects.none()
    return Cycle.objects.filter(
        Q(owner=actor)
        | Q(trying_sections__in=_sections_taught_by(actor).values("section"))
        | Q(school__in=_schools_led_by(actor, [Role.PRINCIPAL, Role.COACH]).values("school"))
    ).distinct()


def guarded_students(actor: User) -> QuerySet[User]:
    """The students ``actor`` is an active guardian of."""
    if not actor.is_authenticated or not actor.is_active:
        return User.objects.none()
    return students().filter(
        pk__in=Guardianship.objects.filter(guardian=actor, active=True).values("student")
    )
