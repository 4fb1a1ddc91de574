"""OneRoster CSV sets into the organisation model, all or nothing.

``import_oneroster`` checks the package against the database first (usernames taken by other
accounts, classes placed in a district instead of a school, values too long for their column...);
any problem raises ``InputErrors`` and nothing is written. Then one transaction writes everything,
matching on sourcedIds, so importing the same files again changes nothing.

* orgs: ``district`` -> District, ``school`` -> School, ``department`` -> its school (not stored);
  ``local``/``state``/``national`` are not modelled and are skipped.
* academicSessions -> Term (in the package's district); courses -> Course; classes -> Section (in
  its first term); users -> User (passwords never: new accounts get an unusable password and sign
  in by SSO or a set-password link); roles (1.2) or users.role (1.1) -> Membership; agents ->
  Guardianship; enrollments -> Enrollment. Demographics are validated but not stored.
* delta: ``tobedeleted`` (and 1.1 ``inactive``) deactivates; records not mentioned are untouched.
* bulk: records of a bulk table that carry a sourcedId, belong to the package's districts and are
  missing from the file are deactivated. Nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

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
from pathways.apps.standards.importers import ImportReport
from pathways.engines.errors import InputError, InputErrors
from pathways.interop.oneroster import RosterPackage, all_roles
from pathways.interop.oneroster import User as RosterUser

__all__ = ["ImportReport", "import_oneroster", "known_ids", "map_role"]

_GONE = frozenset({"tobedeleted", "inactive"})
_GUARDIAN_ROLES = {
    "parent": Guardianship.Relation.PARENT,
    "guardian": Guardianship.Relation.GUARDIAN,
    "relative": Guardianship.Relation.RELATIVE,
}
_ENROLLMENT_ROLES = {
    "student": Enrollment.SectionRole.STUDENT,
    "teacher": Enrollment.SectionRole.TEACHER,
    "aide": Enrollment.SectionRole.AIDE,
    "proctor": Enrollment.SectionRole.AIDE,
    "administrator": Enrollment.SectionRole.AIDE,
}
_BATCH = 1000
#: Largest IN (...) list per query (SQLite and PostgreSQL both cap bound parameters).
_IN_CHUNK = 5000


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(values)
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]


def map_role(oneroster_role: str, *, at_district: bool) -> Role | None:
    """Our role for a OneRoster role held at a school or (``at_district``) at a district."""
    if oneroster_role in _GUARDIAN_ROLES:
        return Role.GUARDIAN
    if oneroster_role in ("districtAdministrator", "systemAdministrator"):
        return Role.DISTRICT_ADMIN
    if oneroster_role == "administrator":
        return Role.DISTRICT_ADMIN if at_district else Role.PRINCIPAL
    if at_district:
        return None  # students and school staff need a school
    return {
        "student": Role.STUDENT,
        "teacher": Role.TEACHER,
        "aide": Role.TEACHER,
        "proctor": Role.TEACHER,
        "counselor": Role.COACH,
        "principal": Role.PRINCIPAL,
        "siteAdministrator": Role.PRINCIPAL,
    }.get(oneroster_role)


def known_ids() -> dict[str, Set[str]]:
    """sourcedIds the database already holds, per OneRoster table (for delta references)."""

    def ids(model: type[models.Model]) -> set[str]:
        return set(
            model._default_manager.exclude(sourced_id=None).values_list("sourced_id", flat=True)
        )

    return {
        "orgs": ids(District) | ids(School),
        "academicSessions": ids(Term),
        "courses": ids(Course),
        "classes": ids(Section),
        "users": ids(User),
    }


@dataclass
class _Plan:
    """Where each org sits, decided before anything is written."""

    package: RosterPackage
    home_district: str
    district_of: dict[str, str] = field(default_factory=dict)  # school/department -> district
    school_of: dict[str, str] = field(default_factory=dict)  # school/department -> school
    org_kind: dict[str, str] = field(default_factory=dict)  # org -> "district" | "school"


def _home_district(package: RosterPackage, plan: _Plan) -> str:
    """The package's district: its district org, else the district of the schools it names,
    else one named after the source system (created on first import)."""
    districts = [o.sourced_id for o in package.orgs if o.type == "district"]
    if districts:
        return districts[0]
    named = {o.sourced_id for o in package.orgs} | {c.school for c in package.classes}
    named |= {r.org for r in package.roles} | {e.school for e in package.enrollments}
    found = sorted({plan.district_of[o] for o in named if plan.district_of.get(o)})
    if len(found) == 1:
        return found[0]
    system = package.manifest.source_system_code or package.manifest.source_system_name
    return f"oneroster:{system or 'default'}"


def _plan(package: RosterPackage, errors: list[InputError]) -> _Plan:
    plan = _Plan(package, "")
    orgs = {o.sourced_id: o for o in package.orgs}
    db_schools: dict[str, str] = {
        sid: district or ""
        for sid, district in School.objects.exclude(sourced_id=None).values_list(
            "sourced_id", "district__sourced_id"
        )
        if sid
    }
    db_districts = {
        sid
        for sid in District.objects.exclude(sourced_id=None).values_list("sourced_id", flat=True)
        if sid
    }
    for sid in db_districts:
        plan.org_kind[sid] = "district"
    for sid, district in db_schools.items():
        plan.org_kind[sid] = "school"
        plan.school_of[sid] = sid
        plan.district_of[sid] = district or plan.home_district
    for org in package.orgs:
        if org.type == "district":
            plan.org_kind[org.sourced_id] = "district"
    for org in package.orgs:
        if org.type not in ("school", "department"):
            continue
        school = org.sourced_id if org.type == "school" else ""
        district = ""
        node, seen = org.parent, {org.sourced_id}
        while node and node not in seen:
            seen.add(node)
            parent = orgs.get(node)
            kind = parent.type if parent else plan.org_kind.get(node, "")
            if kind == "school" and not school:
                school = node
            if kind == "district":
                district = node
                break
            if parent is None:
                district = district or plan.district_of.get(node, "")
                break
            node = parent.parent
        if not school:
            errors.append(
                InputError(
                    "orgs.csv", "a department needs a school above it", org.line, "parentSourcedId"
                )
            )
            continue
        plan.org_kind[org.sourced_id] = "school"
        plan.school_of[org.sourced_id] = school
        plan.district_of[org.sourced_id] = district or plan.district_of.get(school, "")
    plan.home_district = _home_district(package, plan)
    for sid, district in plan.district_of.items():
        if not district:
            plan.district_of[sid] = plan.home_district
    return plan


def _length(
    errors: list[InputError],
    model: type[models.Model],
    name: str,
    value: str,
    where: tuple[str, int, str],
) -> None:
    limit = getattr(model._meta.get_field(name), "max_length", None)
    if limit and len(value) > limit:
        errors.append(
            InputError(
                where[0], f"{len(value)} characters; at most {limit} fit", where[1], where[2]
            )
        )


def _validate(package: RosterPackage, plan: _Plan, errors: list[InputError]) -> None:
    for org in package.orgs:
        where = ("orgs.csv", org.line)
        _length(errors, School, "name", org.name, (*where, "name"))
        _length(errors, School, "identifier", org.identifier, (*where, "identifier"))
    for session in package.academic_sessions:
        _length(
            errors, Term, "title", session.title, ("academicSessions.csv", session.line, "title")
        )
    for course in package.courses:
        where = ("courses.csv", course.line)
        _length(errors, Course, "title", course.title, (*where, "title"))
        _length(errors, Course, "code", course.course_code, (*where, "courseCode"))
        _length(errors, Course, "subject", ", ".join(course.subjects), (*where, "subjects"))
        if course.status not in _GONE and course.org and course.org not in plan.org_kind:
            errors.append(
                InputError(
                    "courses.csv", "org is not a district or school", course.line, "orgSourcedId"
                )
            )
    for cls in package.classes:
        where = ("classes.csv", cls.line)
        _length(errors, Section, "title", cls.title, (*where, "title"))
        _length(errors, Section, "code", cls.class_code, (*where, "classCode"))
        _length(errors, Section, "location", cls.location, (*where, "location"))
        if cls.status not in _GONE and plan.org_kind.get(cls.school) != "school":
            errors.append(
                InputError(
                    "classes.csv",
                    f"{cls.school!r} is not a school or department",
                    cls.line,
                    "schoolSourcedId",
                )
            )
    usernames: dict[str, int] = {}
    for user in package.users:
        where = ("users.csv", user.line)
        for name, column, value in (
            ("username", "username", user.username),
            ("first_name", "givenName", user.given_name),
            ("last_name", "familyName", user.family_name),
            ("email", "email", user.email),
            ("preferred_name", "preferredGivenName", user.preferred_given_name),
        ):
            _length(errors, User, name, value, (*where, column))
        if user.username and user.status not in _GONE:
            if user.username in usernames:
                errors.append(
                    InputError(
                        "users.csv",
                        f"username {user.username!r} is also on line {usernames[user.username]}",
                        user.line,
                        "username",
                    )
                )
            usernames[user.username] = user.line
    taken: dict[str, str | None] = {}
    for chunk in _chunks(usernames):
        taken.update(User.objects.filter(username__in=chunk).values_list("username", "sourced_id"))
    for user in package.users:
        if user.username in taken and taken[user.username] != user.sourced_id:
            errors.append(
                InputError(
                    "users.csv",
                    f"username {user.username!r} belongs to another account",
                    user.line,
                    "username",
                )
            )


def import_oneroster(
    package: RosterPackage, *, dry_run: bool = False, progress: Any = None
) -> ImportReport:
    """Validate ``package`` against the database, then write it in one transaction.

    Raises ``InputErrors`` (nothing written) when the package cannot be applied. ``dry_run``
    validates and computes the report, then rolls back.
    """
    errors: list[InputError] = []
    plan = _plan(package, errors)
    _validate(package, plan, errors)
    if errors:
        raise InputErrors(errors)
    report = ImportReport()
    with transaction.atomic():
        _Writer(plan, report, progress).run()
        if dry_run:
            transaction.set_rollback(True)
    return report


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


class _Writer:
    """Writes one package, table by table, in dependency order."""

    def __init__(self, plan: _Plan, report: ImportReport, progress: Any) -> None:
        self.plan = plan
        self.package = plan.package
        self.report = report
        self.progress = progress or (lambda message: None)
        self.bulk = {t for t, m in self.package.manifest.files.items() if m == "bulk"}

    def run(self) -> None:
        self.progress("orgs")
        self.districts = self._districts()
        named = {self.plan.home_district} | {
            o.sourced_id for o in self.package.orgs if o.type == "district"
        }
        named |= {
            self.plan.district_of[o.sourced_id]
            for o in self.package.orgs
            if o.sourced_id in self.plan.district_of
        }
        # Bulk files replace what this package's districts hold, never other districts.
        self.scope = {self.districts[d] for d in named if d in self.districts}
        self.schools = self._schools()
        self.progress("academic sessions")
        self.terms = self._terms()
        self.progress("courses")
        self.courses = self._courses()
        self.progress("classes")
        self.sections = self._sections()
        self.progress("users")
        self.users = self._users()
        self.progress("roles")
        self._memberships()
        self._guardianships()
        self.progress("enrollments")
        self._enrollments()

    # -- generic upsert by sourcedId ---------------------------------------------------------

    def _stale(self, name: str, obj: Any, changed_at: dt.datetime | None) -> bool:
        """A row older than what the database already holds is skipped (late delta files)."""
        held = getattr(obj, "date_last_modified", None) if obj is not None else None
        if held and changed_at and changed_at < held:
            self.report.skipped[f"{name} rows older than the database"] += 1
            return True
        return False

    def _upsert(
        self,
        model: type[models.Model],
        name: str,
        rows: Iterable[tuple[str, str, dt.datetime | None, dict[str, Any]]],
        *,
        active_field: str = "active",
    ) -> dict[str, int]:
        """rows: (sourcedId, status, dateLastModified, values) -> {sourcedId: pk} of all known."""
        manager = model._default_manager
        existing = {o.sourced_id: o for o in manager.exclude(sourced_id=None)}  # type: ignore[attr-defined]
        new: list[models.Model] = []
        changed: list[models.Model] = []
        fields: set[str] = set()
        for sourced_id, status, changed_at, values in rows:
            obj = existing.get(sourced_id)
            if self._stale(name, obj, changed_at):
                continue
            stamp = {"date_last_modified": changed_at} if changed_at else {}
            if status in _GONE:
                if obj is not None and _apply(obj, {active_field: False, **stamp}):
                    changed.append(obj)
                    fields.update((active_field, *stamp))
                    self.report.deactivated[name] += 1
                elif obj is None:
                    self.report.skipped[f"{name} marked deleted but never imported"] += 1
                continue
            values = {**values, active_field: True, **stamp}
            if obj is None:
                obj = model(sourced_id=sourced_id, **values)
                new.append(obj)
                existing[sourced_id] = obj
            elif _apply(obj, values):
                changed.append(obj)
                fields.update(values)
                self.report.updated[name] += 1
            else:
                self.report.unchanged[name] += 1
        manager.bulk_create(new, batch_size=_BATCH)
        self.report.created[name] += len(new)
        if changed:
            manager.bulk_update(changed, sorted(fields), batch_size=_BATCH)
        return {sid: o.pk for sid, o in existing.items()}

    def _deactivate_missing(
        self, name: str, queryset: models.QuerySet[Any], seen: Set[str], field_name: str = "active"
    ) -> None:
        stale = [
            pk
            for pk, sid in queryset.exclude(sourced_id=None)
            .filter(**{field_name: True})
            .values_list("pk", "sourced_id")
            if sid not in seen
        ]
        for start in range(0, len(stale), _BATCH):
            queryset.model._default_manager.filter(pk__in=stale[start : start + _BATCH]).update(
                **{field_name: False}
            )
        self.report.deactivated[name] += len(stale)

    # -- tables -------------------------------------------------------------------------------

    def _districts(self) -> dict[str, int]:
        rows = [
            (o.sourced_id, o.status, o.date_last_modified, {"name": o.name})
            for o in self.package.orgs
            if o.type == "district"
        ]
        home = self.plan.home_district
        needed = bool(self.package.academic_sessions) or home in self.plan.district_of.values()
        if (
            needed
            and home not in {r[0] for r in rows}
            and not District.objects.filter(sourced_id=home).exists()
        ):
            system = self.package.manifest.source_system_name or "Imported"
            rows.append((home, "active", None, {"name": f"{system} district"}))
            self.report.notes.append(f"no district org in the files: using district {home!r}")
        return self._upsert(District, "District", rows)

    def _schools(self) -> dict[str, int]:
        rows = [
            (
                o.sourced_id,
                o.status,
                o.date_last_modified,
                {
                    "name": o.name,
                    "identifier": o.identifier,
                    "district_id": self.districts[self.plan.district_of[o.sourced_id]],
                },
            )
            for o in self.package.orgs
            if o.type == "school"
        ]
        skipped = sum(1 for o in self.package.orgs if o.type not in ("district", "school"))
        if skipped:
            self.report.skipped["orgs that are not districts or schools"] += skipped
        pks = self._upsert(School, "School", rows)
        if "orgs" in self.bulk:
            seen = {o.sourced_id for o in self.package.orgs}
            self._deactivate_missing(
                "School", School.objects.filter(district_id__in=self.scope), seen
            )
        return pks

    def _school_pk(self, org: str) -> int:
        return self.schools[self.plan.school_of[org]]

    def _district_pk(self, org: str) -> int:
        if self.plan.org_kind.get(org) == "district":
            return self.districts[org]
        return self.districts[self.plan.district_of[org]]

    def _terms(self) -> dict[str, int]:
        home = self.districts[self.plan.home_district]
        rows = [
            (
                s.sourced_id,
                s.status,
                s.date_last_modified,
                {
                    "district_id": home,
                    "title": s.title,
                    "kind": s.type,
                    "start_date": s.start_date,
                    "end_date": s.end_date,
                    "school_year": s.school_year,
                },
            )
            for s in self.package.academic_sessions
        ]
        pks = self._upsert(Term, "Term", rows)
        parents = [
            (s.sourced_id, pks.get(s.parent) if s.parent else None)
            for s in self.package.academic_sessions
            if s.status not in _GONE
        ]
        terms: dict[int, Term] = {}
        for chunk in _chunks(pks[sid] for sid, _ in parents):
            terms.update(Term.objects.in_bulk(chunk))
        changed = []
        for sid, parent in parents:
            term = terms[pks[sid]]
            if term.parent_id != parent:
                term.parent_id = parent
                changed.append(term)
        Term.objects.bulk_update(changed, ["parent"], batch_size=_BATCH)
        if "academicSessions" in self.bulk:
            seen = {s.sourced_id for s in self.package.academic_sessions}
            self._deactivate_missing("Term", Term.objects.filter(district_id__in=self.scope), seen)
        return pks

    def _courses(self) -> dict[str, int]:
        rows = []
        for c in self.package.courses:
            values: dict[str, Any] = {}
            if c.status not in _GONE:
                at_school = self.plan.org_kind.get(c.org) == "school"
                values = {
                    "district_id": self._district_pk(c.org),
                    "school_id": self._school_pk(c.org) if at_school else None,
                    "title": c.title,
                    "code": c.course_code,
                    "subject": ", ".join(c.subjects),
                    "grade_levels": list(c.grades),
                }
            rows.append((c.sourced_id, c.status, c.date_last_modified, values))
        pks = self._upsert(Course, "Course", rows)
        if "courses" in self.bulk:
            seen = {c.sourced_id for c in self.package.courses}
            self._deactivate_missing(
                "Course", Course.objects.filter(district_id__in=self.scope), seen
            )
        return pks

    def _sections(self) -> dict[str, int]:
        rows = []
        for c in self.package.classes:
            values: dict[str, Any] = {}
            if c.status not in _GONE:
                if c.course not in self.courses or c.terms[0] not in self.terms:
                    self.report.skipped["classes whose course or term was never imported"] += 1
                    continue
                values = {
                    "course_id": self.courses[c.course],
                    "school_id": self._school_pk(c.school),
                    "term_id": self.terms[c.terms[0]],
                    "title": c.title,
                    "code": c.class_code,
                    "location": c.location,
                }
            rows.append((c.sourced_id, c.status, c.date_last_modified, values))
        pks = self._upsert(Section, "Section", rows)
        if "classes" in self.bulk:
            seen = {c.sourced_id for c in self.package.classes}
            self._deactivate_missing(
                "Section", Section.objects.filter(school__district_id__in=self.scope), seen
            )
        return pks

    def _users(self) -> dict[str, int]:
        def values(u: RosterUser) -> dict[str, Any]:
            return {
                "username": u.username,
                "first_name": u.given_name,
                "last_name": u.family_name,
                "email": u.email,
                "preferred_name": u.preferred_given_name,
                "grade_level": u.grades[0] if u.grades else "",
            }

        existing: dict[str, User] = {
            u.sourced_id: u for u in User.objects.exclude(sourced_id=None) if u.sourced_id
        }
        new: list[User] = []
        changed: list[User] = []
        unusable = make_password(None)
        for u in self.package.users:
            user = existing.get(u.sourced_id)
            active = u.status not in _GONE and u.enabled is not False
            if u.status in _GONE:
                if user is not None and user.is_active:
                    user.is_active = False
                    changed.append(user)
                    self.report.deactivated["User"] += 1
                continue
            fields = {**values(u), "is_active": active}
            if user is None:
                # Never an imported password: SSO, or a set-password link sent later.
                user = User(sourced_id=u.sourced_id, password=unusable, **fields)
                new.append(user)
                existing[u.sourced_id] = user
            elif _apply(user, fields):
                changed.append(user)
                self.report.updated["User"] += 1
            else:
                self.report.unchanged["User"] += 1
        User.objects.bulk_create(new, batch_size=_BATCH)
        self.report.created["User"] += len(new)
        names = [
            "username",
            "first_name",
            "last_name",
            "email",
            "preferred_name",
            "grade_level",
            "is_active",
        ]
        User.objects.bulk_update(changed, names, batch_size=_BATCH)
        if "users" in self.bulk:
            seen = {u.sourced_id for u in self.package.users}
            in_scope = User.objects.filter(memberships__district_id__in=self.scope).distinct()
            self._deactivate_missing("User", in_scope, seen, "is_active")
        return {sid: u.pk for sid, u in existing.items() if sid}

    def _memberships(self) -> None:
        wanted: dict[tuple[int, str, int, int | None], bool] = {}
        self.roles_of: dict[str, set[str]] = {}
        for role in all_roles(self.package):
            self.roles_of.setdefault(role.user, set()).add(role.role)
            at_district = self.plan.org_kind.get(role.org) == "district"
            ours = map_role(role.role, at_district=at_district)
            if ours is None or role.user not in self.users:
                self.report.skipped[f"{role.role} roles held at a district"] += 1
                continue
            school = None if at_district else self._school_pk(role.org)
            key = (self.users[role.user], ours.value, self._district_pk(role.org), school)
            wanted[key] = wanted.get(key, False) or role.status not in _GONE
        existing = {
            (m.user_id, m.role, m.district_id, m.school_id): m
            for m in Membership.objects.filter(district_id__in=self.scope)
        }
        new, changed = [], []
        for key, active in wanted.items():
            membership = existing.get(key)
            if membership is None:
                if active:
                    new.append(
                        Membership(
                            user_id=key[0], role=key[1], district_id=key[2], school_id=key[3]
                        )
                    )
            elif membership.active != active:
                membership.active = active
                changed.append(membership)
                (self.report.updated if active else self.report.deactivated)["Membership"] += 1
            else:
                self.report.unchanged["Membership"] += 1
        if "roles" in self.bulk or (
            "users" in self.bulk and self.package.manifest.oneroster_version == "1.1"
        ):
            mentioned = {self.users[sid] for sid in self.roles_of if sid in self.users}
            for key, membership in existing.items():
                if key[0] in mentioned and key not in wanted and membership.active:
                    membership.active = False
                    changed.append(membership)
                    self.report.deactivated["Membership"] += 1
        Membership.objects.bulk_create(new, batch_size=_BATCH)
        Membership.objects.bulk_update(changed, ["active"], batch_size=_BATCH)
        self.report.created["Membership"] += len(new)

    def _guardianships(self) -> None:
        db_roles: dict[int, set[str]] = {}
        linked = [
            self.users[u.sourced_id]
            for u in self.package.users
            if u.agents and u.sourced_id in self.users
        ]
        linked += [self.users[a] for u in self.package.users for a in u.agents if a in self.users]
        for chunk in _chunks(set(linked)):
            for user_id, role in Membership.objects.filter(user_id__in=chunk).values_list(
                "user_id", "role"
            ):
                db_roles.setdefault(user_id, set()).add(role)

        def relation(sid: str) -> str | None:
            for role in sorted(self.roles_of.get(sid, ())):
                if role in _GUARDIAN_ROLES:
                    return _GUARDIAN_ROLES[role].value
            if Role.GUARDIAN.value in db_roles.get(self.users.get(sid, 0), set()):
                return Guardianship.Relation.GUARDIAN.value
            return None

        def is_student(sid: str) -> bool:
            return "student" in self.roles_of.get(sid, ()) or Role.STUDENT.value in db_roles.get(
                self.users.get(sid, 0), set()
            )

        wanted: dict[tuple[int, int], tuple[str, bool]] = {}
        for user in self.package.users:
            for agent in user.agents:
                if user.sourced_id not in self.users or agent not in self.users:
                    continue
                active = user.status not in _GONE
                pair: tuple[str, str] | None = None
                if relation(user.sourced_id) and is_student(agent):
                    pair = (user.sourced_id, agent)
                elif relation(agent) and is_student(user.sourced_id):
                    pair = (agent, user.sourced_id)
                if pair is None:
                    self.report.skipped["agent links that are not guardian -> student"] += 1
                    continue
                key = (self.users[pair[0]], self.users[pair[1]])
                kind = relation(pair[0]) or Guardianship.Relation.GUARDIAN.value
                previous = wanted.get(key)
                wanted[key] = (kind, active or bool(previous and previous[1]))
        people = {pk for key in wanted for pk in key}
        existing = {
            (g.guardian_id, g.student_id): g
            for chunk in _chunks(people)
            for g in Guardianship.objects.filter(guardian_id__in=chunk)
        }
        new, changed = [], []
        for key, (kind, active) in wanted.items():
            link = existing.get(key)
            if link is None:
                if active:
                    new.append(Guardianship(guardian_id=key[0], student_id=key[1], relation=kind))
            elif _apply(link, {"relation": kind, "active": active}):
                changed.append(link)
                (self.report.updated if active else self.report.deactivated)["Guardianship"] += 1
            else:
                self.report.unchanged["Guardianship"] += 1
        Guardianship.objects.bulk_create(new, batch_size=_BATCH)
        Guardianship.objects.bulk_update(changed, ["relation", "active"], batch_size=_BATCH)
        self.report.created["Guardianship"] += len(new)

    def _enrollments(self) -> None:
        existing = {e.sourced_id: e for e in Enrollment.objects.exclude(sourced_id=None)}
        named = {
            self.sections[e.class_] for e in self.package.enrollments if e.class_ in self.sections
        }
        triples = {
            (e.section_id, e.user_id, e.role): e
            for chunk in _chunks(named)
            for e in Enrollment.objects.filter(section_id__in=chunk)
        }
        new: list[Enrollment] = []
        changed: list[Enrollment] = []
        for e in self.package.enrollments:
            row = existing.get(e.sourced_id)
            if self._stale("Enrollment", row, e.date_last_modified):
                continue
            stamp = {"date_last_modified": e.date_last_modified} if e.date_last_modified else {}
            if e.status in _GONE:
                if row is not None and _apply(row, {"active": False, **stamp}):
                    changed.append(row)
                    self.report.deactivated["Enrollment"] += 1
                continue
            role = _ENROLLMENT_ROLES.get(e.role)
            if role is None:
                self.report.skipped[f"{e.role} enrollments"] += 1
                continue
            if e.class_ not in self.sections or e.user not in self.users:
                self.report.skipped["enrollments whose class or user was never imported"] += 1
                continue
            values: dict[str, Any] = {
                "section_id": self.sections[e.class_],
                "user_id": self.users[e.user],
                "role": role.value,
                "primary": bool(e.primary),
                "begin_date": e.begin_date,
                "end_date": e.end_date,
                "active": True,
                **stamp,
            }
            key: tuple[int, int, str] = (values["section_id"], values["user_id"], role.value)
            if row is None and key in triples:
                row = triples[key]
                if row.sourced_id not in (None, e.sourced_id):
                    self.report.skipped["enrollments that repeat one already imported"] += 1
                    continue
                if e.sourced_id != f"pathways:enrollment:{row.pk}":  # our own export's stand-in
                    values["sourced_id"] = e.sourced_id
            if row is None:
                row = Enrollment(sourced_id=e.sourced_id, **values)
                new.append(row)
                triples[key] = row
                existing[e.sourced_id] = row
            elif _apply(row, values):
                changed.append(row)
                self.report.updated["Enrollment"] += 1
            else:
                self.report.unchanged["Enrollment"] += 1
        Enrollment.objects.bulk_create(new, batch_size=_BATCH)
        self.report.created["Enrollment"] += len(new)
        Enrollment.objects.bulk_update(
            changed,
            [
                "section",
                "user",
                "role",
                "primary",
                "begin_date",
                "end_date",
                "active",
                "sourced_id",
            ],
            batch_size=_BATCH,
        )
        if "enrollments" in self.bulk:
            seen = {e.sourced_id for e in self.package.enrollments}
            self._deactivate_missing(
                "Enrollment",
                Enrollment.objects.filter(section__school__district_id__in=self.scope),
                seen,
            )
