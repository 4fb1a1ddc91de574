"""Columns of each OneRoster rostering file (1.1 and 1.2 CSV bindings), and row -> record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pathways.interop.oneroster._records import (
    CLASS_TYPES,
    ENROLLMENT_ROLES,
    GRADES,
    ORG_TYPES,
    ROLE_TYPES,
    SESSION_TYPES,
    SEXES,
    USER_ROLES,
    AcademicSession,
    Course,
    Demographic,
    Enrollment,
    Org,
    RosterClass,
    RosterRole,
    User,
    UserProfile,
)
from pathways.interop.oneroster._rows import Row

__all__ = ["TABLES", "Table"]

_HEAD = ("sourcedId", "status", "dateLastModified")


@dataclass(frozen=True)
class Table:
    """One rostering file: its name, its columns per version, and how a row becomes a record."""

    name: str
    columns_v11: tuple[str, ...]
    columns_v12: tuple[str, ...]
    build: Callable[[Row], object]
    #: Columns that must be in the header (those whose values are required).
    required: tuple[str, ...]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    def columns(self, version: str) -> tuple[str, ...]:
        return self.columns_v11 if version == "1.1" else self.columns_v12


def _head(row: Row) -> tuple[str, str, dt.datetime | None]:
    statuses = (
        ("active", "tobedeleted", "inactive") if row.version == "1.1" else ("active", "tobedeleted")
    )
    sourced_id = row.raw("sourcedId")
    if not sourced_id:
        row.error("sourcedId", "a value is required")
    status = row.enum("status", statuses, required=row.delta)
    changed = row.datetime("dateLastModified", required=row.delta)
    return sourced_id, status, changed


def _dates_ordered(row: Row, start: dt.date | None, end: dt.date | None, column: str) -> None:
    if start and end and end < start:
        row.error(column, f"{end} is before the start date {start}")


def _session(row: Row) -> AcademicSession:
    sourced_id, status, changed = _head(row)
    start = row.date("startDate", required=True)
    end = row.date("endDate", required=True)
    _dates_ordered(row, start, end, "endDate")
    return AcademicSession(
        line=row.line,
        sourced_id=sourced_id,
        status=status,
        date_last_modified=changed,
        title=row.text("title", required=True),
        type=row.enum("type", SESSION_TYPES, required=True),
        start_date=start,
        end_date=end,
        parent=row.text("parentSourcedId"),
        school_year=row.year("schoolYear", required=True),
    )


def _org(row: Row) -> Org:
    sourced_id, status, changed = _head(row)
    return Org(
        line=row.line,
        sourced_id=sourced_id,
        status=status,
        date_last_modified=changed,
        name=row.text("name", required=True),
        type=row.enum("type", ORG_TYPES, required=True),
        identifier=row.text("identifier"),
        parent=row.text("parentSourcedId"),
    )


def _course(row: Row) -> Course:
    sourced_id, status, changed = _head(row)
    return Course(
        line=row.line,
        sourced_id=sourced_id,
        status=status,
        date_last_modified=changed,
        school_year=row.text("schoolYearSourcedId"),
        title=row.text("title", required=True),
        course_code=row.text("courseCode"),
        grades=row.grades("grades", GRADES),
        org=row.text("orgSourcedId", required=True),
        subjects=row.ids("subjects"),
        subject_codes=row.ids("subjectCodes"),
    )


def _class(row: Row) -> RosterClass:
    sourced_id, status, changed = _head(row)
    return RosterClass(
        line=row.line,
        sourced_id=sourced_id,
        status=status,
        date_last_modified=changed,
        title=row.text("title", required=True),
        grades=row.grades("grades", GRADES),
        course=row.text("courseSourcedId", required=True),
        class_code=row.text("classCode"),
        class_type=row.enum("classType", CLASS_TYPES, required=True),
        location=row.text("location"),
        school=row.text("schoolSourcedId", required=True),
        terms=row.ids("termSourcedIds", required=True),
        subjects=row.ids("subjects"),
        subject_codes=row.ids("subjectCodes"),
        periods=row.ids("periods"),
    )


def _user(row: Row) -> User:
    sourced_id, status, changed = _head(row)
    v11 = row.version == "1.1"
    # The password column is read past on purpose: Pathways never stores imported passwords.
    return User(
        line=row.line,
        sourced_id=sourced_id,
        status=status,
        date_last_modified=changed,
        enabled=row.boolean("enabledUser", required=True),
        username=row.text("username", required=True),
        user_ids=row.user_ids("userIds"),
        given_name=row.text("givenName", required=True),
        family_name=row.text("familyName", required=True),
        middle_name=row.text("middleName"),
        identifier=row.text("identifier"),
        email=row.text("email"),
        sms=row.text("sms"),
        phone=row.text("phone"),
        agents=row.ids("agentSourcedIds"),
        grades=row.grades("grades", GRADES),
        master_identifier=row.text("userMasterIdentifier"),
        preferred_given_name=row.text("preferredGivenName"),
        preferred_middle_name=row.text("preferredMiddleName"),
        preferred_family_name=row.text("preferredFamilyName"),
        primary_org=row.text("primaryOrgSourcedId"),
        pronouns=row.text("pronouns"),
        role=row.enum("role", USER_ROLES, required=True) if v11 else "",
        orgs=row.ids("orgSourcedIds", required=True) if v11 else (),
    )


def _role(row: Row) -> RosterRole:
    sourced_id, status, changed = _head(row)
    begin = row.date("beginDate")
    end = row.date("endDate")
    _dates_ordered(row, begin, end, "endDate")
    return RosterRole(
        line=row.line,
        sourced_id=sourced_id,
        status=status,
        date_last_modified=changed,
        user=row.text("userSourcedId", required=True),
        role_type=row.enum("roleType", ROLE_TYPES, required=True),
        role=row.enum("role", USER_ROLES, required=True),
        begin_date=begin,
        end_date=end,
        org=row.text("orgSourcedId", required=True),
        user_profile=row.text("userProfileSourcedId"),
    )


def _profile(row: Row) -> UserProfile:
    sourced_id, status, changed = _head(row)
    return UserProfile(
        line=row.line,
        sourced_id=sourced_id,
        status=status,
        date_last_modified=changed,
        user=row.text("userSourcedId", required=True),
        profile_type=row.text("profileType", required=True),
        vendor_id=row.text("vendorId", required=True),
        application_id=row.text("applicationId"),
        description=row.text("description"),
        credential_type=row.text("credentialType", required=True),
        username=row.text("username", required=True),
    )


def _enrollment(row: Row) -> Enrollment:
    sourced_id, status, changed = _head(row)
    begin = row.date("beginDate")
    end = row.date("endDate")
    _dates_ordered(row, begin, end, "endDate")
    return Enrollment(
        line=row.line,
        sourced_id=sourced_id,
        status=status,
        date_last_modified=changed,
        class_=row.text("classSourcedId", required=True),
        school=row.text("schoolSourcedId", required=True),
        user=row.text("userSourcedId", required=True),
        role=row.enum("role", ENROLLMENT_ROLES, required=True),
        primary=row.boolean("primary"),
        begin_date=begin,
        end_date=end,
    )


def _demographic(row: Row) -> Demographic:
    sourced_id, status, changed = _head(row)
    return Demographic(
        line=row.line,
        sourced_id=sourced_id,
        status=status,
        date_last_modified=changed,
        birth_date=row.date("birthDate"),
        sex=row.enum("sex", SEXES),
        american_indian_or_alaska_native=row.boolean("americanIndianOrAlaskaNative"),
        asian=row.boolean("asian"),
        black_or_african_american=row.boolean("blackOrAfricanAmerican"),
        native_hawaiian_or_other_pacific_islander=row.boolean(
            "nativeHawaiianOrOtherPacificIslander"
        ),
        white=row.boolean("white"),
        two_or_more_races=row.boolean("demographicRaceTwoOrMoreRaces"),
        hispanic_or_latino=row.boolean("hispanicOrLatinoEthnicity"),
        country_of_birth=row.text("countryOfBirthCode"),
        state_of_birth=row.text("stateOfBirthAbbreviation"),
        city_of_birth=row.text("cityOfBirth"),
        public_school_residence_status=row.text("publicSchoolResidenceStatus"),
    )


_USERS_V11 = (
    *_HEAD,
    "enabledUser",
    "orgSourcedIds",
    "role",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
)
_USERS_V12 = (
    *_HEAD,
    "enabledUser",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "userMasterIdentifier",
    "preferredGivenName",
    "preferredMiddleName",
    "preferredFamilyName",
    "primaryOrgSourcedId",
    "pronouns",
)
_SESSIONS = (*_HEAD, "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear")
_ORGS = (*_HEAD, "name", "type", "identifier", "parentSourcedId")
_COURSES = (
    *_HEAD,
    "schoolYearSourcedId",
    "title",
    "courseCode",
    "grades",
    "orgSourcedId",
    "subjects",
    "subjectCodes",
)
_CLASSES = (
    *_HEAD,
    "title",
    "grades",
    "courseSourcedId",
    "classCode",
    "classType",
    "location",
    "schoolSourcedId",
    "termSourcedIds",
    "subjects",
    "subjectCodes",
    "periods",
)
_ENROLLMENTS = (
    *_HEAD,
    "classSourcedId",
    "schoolSourcedId",
    "userSourcedId",
    "role",
    "primary",
    "beginDate",
    "endDate",
)
_DEMOGRAPHICS = (
    *_HEAD,
    "birthDate",
    "sex",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "countryOfBirthCode",
    "stateOfBirthAbbreviation",
    "cityOfBirth",
    "publicSchoolResidenceStatus",
)
_ROLES = (
    *_HEAD,
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
    "userProfileSourcedId",
)
_PROFILES = (
    *_HEAD,
    "userSourcedId",
    "profileType",
    "vendorId",
    "applicationId",
    "description",
    "credentialType",
    "username",
    "password",
)

#: The rostering files Pathways reads, in dependency order (referenced files first).
TABLES: tuple[Table, ...] = (
    Table("academicSessions", _SESSIONS, _SESSIONS, _session,
          ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear")),
    Table("orgs", _ORGS, _ORGS, _org, ("sourcedId", "name", "type")),
    Table("courses", _COURSES, _COURSES, _course, ("sourcedId", "title", "orgSourcedId")),
    Table("classes", _CLASSES, _CLASSES, _class,
          ("sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId",
           "termSourcedIds")),
    Table("users", _USERS_V11, _USERS_V12, _user,
          ("sourcedId", "enabledUser", "username", "givenName", "familyName")),
    Table("userProfiles", (), _PROFILES, _profile,
          ("sourcedId", "userSourcedId", "profileType", "vendorId", "credentialType", "username")),
    Table("roles", (), _ROLES, _role,
          ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId")),
    Table("enrollments", _ENROLLMENTS, _ENROLLMENTS, _enrollment,
          ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role")),
    Table("demographics", _DEMOGRAPHICS, _DEMOGRAPHICS, _demographic, ("sourcedId",)),
)  # fmt: skip
