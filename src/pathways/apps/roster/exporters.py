"""The organisation model as a OneRoster 1.2 package (written with ``write_oneroster``).

Records without a sourcedId get ``pathways:<kind>:<id>``. Deactivated records are written with
status ``tobedeleted``. Passwords are never exported. What the model does not keep (class type,
course school year, demographics) is left empty; ``homeroom`` classes come back as ``scheduled``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from pathways.apps.accounts.models import User
from pathways.apps.roster.models import (
    Course,
    District,
    Enrollment,
    Guardianship,
    Membership,
    Role,
    School,
    Section,
    Term,
)
from pathways.interop.oneroster import (
    AcademicSession,
    Manifest,
    Org,
    RosterClass,
    RosterPackage,
    RosterRole,
)
from pathways.interop.oneroster import Course as RosterCourse
from pathways.interop.oneroster import Enrollment as RosterEnrollment
from pathways.interop.oneroster import User as RosterUser

__all__ = ["export_oneroster"]

_ROLE_OUT = {
    Role.STUDENT: "student",
    Role.TEACHER: "teacher",
    Role.COACH: "counselor",
    Role.PRINCIPAL: "principal",
    Role.DISTRICT_ADMIN: "districtAdministrator",
}


def _sid(obj: object, kind: str) -> str:
    return getattr(obj, "sourced_id", None) or f"pathways:{kind}:{obj.pk}"  # type: ignore[attr-defined]


def _status(active: bool) -> str:
    return "active" if active else "tobedeleted"


def export_oneroster(districts: Iterable[District] | None = None) -> RosterPackage:
    """Every record of ``districts`` (default: all) as one bulk OneRoster 1.2 package."""
    district_list = list(districts) if districts is not None else list(District.objects.all())
    ids = [d.pk for d in district_list]
    district_sid = {d.pk: _sid(d, "district") for d in district_list}
    schools = list(School.objects.filter(district_id__in=ids).order_by("pk"))
    school_sid = {s.pk: _sid(s, "school") for s in schools}
    orgs = [
        Org(district_sid[d.pk], _status(d.active), d.date_last_modified, d.name, "district", "", "")
        for d in district_list
    ] + [
        Org(
            school_sid[s.pk],
            _status(s.active),
            s.date_last_modified,
            s.name,
            "school",
            s.identifier,
            district_sid[s.district_id],
        )
        for s in schools
    ]
    terms = list(Term.objects.filter(district_id__in=ids).order_by("pk"))
    term_sid = {t.pk: _sid(t, "term") for t in terms}
    sessions = [
        AcademicSession(
            term_sid[t.pk],
            _status(t.active),
            t.date_last_modified,
            t.title,
            t.kind,
            t.start_date,
            t.end_date,
            term_sid.get(t.parent_id, "") if t.parent_id else "",
            t.school_year,
        )
        for t in terms
    ]
    courses = list(Course.objects.filter(district_id__in=ids).order_by("pk"))
    course_sid = {c.pk: _sid(c, "course") for c in courses}
    roster_courses = [
        RosterCourse(
            course_sid[c.pk],
            _status(c.active),
            c.date_last_modified,
            "",
            c.title,
            c.code,
            tuple(c.grade_levels),
            school_sid[c.school_id] if c.school_id else district_sid[c.district_id],
            tuple(p.strip() for p in c.subject.split(",") if p.strip()),
            (),
        )
        for c in courses
    ]
    sections = list(Section.objects.filter(school__district_id__in=ids).order_by("pk"))
    section_sid = {s.pk: _sid(s, "class") for s in sections}
    classes = [
        RosterClass(
            section_sid[s.pk],
            _status(s.active),
            s.date_last_modified,
            s.title,
            (),
            course_sid[s.course_id],
            s.code,
            "scheduled",
            s.location,
            school_sid[s.school_id],
            (term_sid[s.term_id],),
            (),
            (),
            (),
        )
        for s in sections
    ]
    memberships = list(Membership.objects.filter(district_id__in=ids).order_by("user_id", "pk"))
    user_ids = {m.user_id for m in memberships} | set(
        Enrollment.objects.filter(section__in=sections).values_list("user_id", flat=True)
    )
    users = list(User.objects.filter(pk__in=user_ids).order_by("pk"))
    user_sid = {u.pk: _sid(u, "user") for u in users}
    links = list(
        Guardianship.objects.filter(Q(guardian_id__in=user_ids) & Q(student_id__in=user_ids))
    )
    agents: dict[int, list[str]] = defaultdict(list)
    relation_of: dict[int, str] = {}
    for link in sorted(links, key=lambda g: g.pk):
        if link.active:
            agents[link.guardian_id].append(user_sid[link.student_id])
            agents[link.student_id].append(user_sid[link.guardian_id])
        relation_of.setdefault(link.guardian_id, link.relation)
    roles: list[RosterRole] = []
    primary_org: dict[int, str] = {}
    for m in memberships:
        org = school_sid[m.school_id] if m.school_id else district_sid[m.district_id]
        name = (
            relation_of.get(m.user_id, "guardian")
            if m.role == Role.GUARDIAN
            else _ROLE_OUT[Role(m.role)]
        )
        first = m.user_id not in primary_org
        primary_org.setdefault(m.user_id, org)
        roles.append(
            RosterRole(
                f"{user_sid[m.user_id]}:{name}:{org}",
                _status(m.active),
                None,
                user_sid[m.user_id],
                "primary" if first else "secondary",
                name,
                None,
                None,
                org,
                "",
            )
        )
    roster_users = [
        RosterUser(
            sourced_id=user_sid[u.pk],
            status=_status(u.is_active),
            date_last_modified=None,
            enabled=u.is_active,
            username=u.username,
            user_ids=(),
            given_name=u.first_name,
            family_name=u.last_name,
            middle_name="",
            identifier="",
            email=u.email,
            sms="",
            phone="",
            agents=tuple(agents.get(u.pk, ())),
            grades=(u.grade_level,) if u.grade_level else (),
            preferred_given_name=u.preferred_name,
            primary_org=primary_org.get(u.pk, ""),
        )
        for u in users
    ]
    enrollments = [
        RosterEnrollment(
            e.sourced_id or f"pathways:enrollment:{e.pk}",
            _status(e.active),
            e.date_last_modified,
            section_sid[e.section_id],
            school_sid[e.section.school_id],
            user_sid[e.user_id],
            e.role,
            e.primary,
            e.begin_date,
            e.end_date,
        )
        for e in Enrollment.objects.filter(section__in=sections)
        .select_related("section")
        .order_by("pk")
    ]
    manifest = Manifest(oneroster_version="1.2", files={}, source_system_name="Pathways")
    return RosterPackage(
        manifest=manifest,
        academic_sessions=tuple(sessions),
        orgs=tuple(orgs),
        courses=tuple(roster_courses),
        classes=tuple(classes),
        users=tuple(roster_users),
        roles=tuple(roles),
        enrollments=tuple(enrollments),
    )
