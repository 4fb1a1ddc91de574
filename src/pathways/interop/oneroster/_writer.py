"""Write records as a OneRoster 1.2 CSV set (1.1 users' roles become roles.csv rows)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from pathways.interop.oneroster._records import (
    MANIFEST_TABLES,
    AcademicSession,
    Course,
    Demographic,
    Enrollment,
    Org,
    RosterClass,
    RosterPackage,
    RosterRole,
    User,
    UserProfile,
)
from pathways.interop.oneroster._tables import TABLES

__all__ = ["all_roles", "dump_oneroster", "write_oneroster"]


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    value = value.astimezone(dt.UTC)
    if value.microsecond % 1000 == 0:
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _many(values: Iterable[str]) -> str:
    return ",".join(values)


def _status(value: str) -> str:
    # 1.2 has no "inactive"; an inactive 1.1 record is one to be deleted.
    return "tobedeleted" if value == "inactive" else value


def _head(record: Any) -> dict[str, str]:
    return {
        "sourcedId": record.sourced_id,
        "status": _status(record.status),
        "dateLastModified": _when(record.date_last_modified),
    }


def _session(r: AcademicSession) -> dict[str, str]:
    return {
        **_head(r),
        "title": r.title,
        "type": r.type,
        "startDate": _day(r.start_date),
        "endDate": _day(r.end_date),
        "parentSourcedId": r.parent,
        "schoolYear": "" if r.school_year is None else f"{r.school_year:04d}",
    }


def _org(r: Org) -> dict[str, str]:
    return {
        **_head(r),
        "name": r.name,
        "type": r.type,
        "identifier": r.identifier,
        "parentSourcedId": r.parent,
    }


def _course(r: Course) -> dict[str, str]:
    return {
        **_head(r),
        "schoolYearSourcedId": r.school_year,
        "title": r.title,
        "courseCode": r.course_code,
        "grades": _many(r.grades),
        "orgSourcedId": r.org,
        "subjects": _many(r.subjects),
        "subjectCodes": _many(r.subject_codes),
    }


def _class(r: RosterClass) -> dict[str, str]:
    return {
        **_head(r),
        "title": r.title,
        "grades": _many(r.grades),
        "courseSourcedId": r.course,
        "classCode": r.class_code,
        "classType": r.class_type,
        "location": r.location,
        "schoolSourcedId": r.school,
        "termSourcedIds": _many(r.terms),
        "subjects": _many(r.subjects),
        "subjectCodes": _many(r.subject_codes),
        "periods": _many(r.periods),
    }


def _user(r: User) -> dict[str, str]:
    return {
        **_head(r),
        "enabledUser": _flag(r.enabled),
        "username": r.username,
        "userIds": _many(r.user_ids),
        "givenName": r.given_name,
        "familyName": r.family_name,
        "middleName": r.middle_name,
        "identifier": r.identifier,
        "email": r.email,
        "sms": r.sms,
        "phone": r.phone,
        "agentSourcedIds": _many(r.agents),
        "grades": _many(r.grades),
        "password": "",
        "userMasterIdentifier": r.master_identifier,
        "preferredGivenName": r.preferred_given_name,
        "preferredMiddleName": r.preferred_middle_name,
        "preferredFamilyName": r.preferred_family_name,
        "primaryOrgSourcedId": r.primary_org,
        "pronouns": r.pronouns,
    }


def _profile(r: UserProfile) -> dict[str, str]:
    return {
        **_head(r),
        "userSourcedId": r.user,
        "profileType": r.profile_type,
        "vendorId": r.vendor_id,
        "applicationId": r.application_id,
        "description": r.description,
        "credentialType": r.credential_type,
        "username": r.username,
        "password": "",
    }


def _role(r: RosterRole) -> dict[str, str]:
    return {
        **_head(r),
        "userSourcedId": r.user,
        "roleType": r.role_type,
        "role": r.role,
        "beginDate": _day(r.begin_date),
        "endDate": _day(r.end_date),
        "orgSourcedId": r.org,
        "userProfileSourcedId": r.user_profile,
    }


def _enrollment(r: Enrollment) -> dict[str, str]:
    return {
        **_head(r),
        "classSourcedId": r.class_,
        "schoolSourcedId": r.school,
        "userSourcedId": r.user,
        "role": r.role,
        "primary": _flag(r.primary),
        "beginDate": _day(r.begin_date),
        "endDate": _day(r.end_date),
    }


def _demographic(r: Demographic) -> dict[str, str]:
    return {
        **_head(r),
        "birthDate": _day(r.birth_date),
        "sex": r.sex,
        "americanIndianOrAlaskaNative": _flag(r.american_indian_or_alaska_native),
        "asian": _flag(r.asian),
        "blackOrAfricanAmerican": _flag(r.black_or_african_american),
        "nativeHawaiianOrOtherPacificIslander": _flag(r.native_hawaiian_or_other_pacific_islander),
        "white": _flag(r.white),
        "demographicRaceTwoOrMoreRaces": _flag(r.two_or_more_races),
        "hispanicOrLatinoEthnicity": _flag(r.hispanic_or_latino),
        "countryOfBirthCode": r.country_of_birth,
        "stateOfBirthAbbreviation": r.state_of_birth,
        "cityOfBirth": r.city_of_birth,
        "publicSchoolResidenceStatus": r.public_school_residence_status,
    }


def all_roles(package: RosterPackage) -> tuple[RosterRole, ...]:
    """roles.csv rows, plus one per (user, org) for 1.1 users, whose role lives in users.csv."""
    synthesised = tuple(
        RosterRole(
            sourced_id=f"{user.sourced_id}:{user.role}:{org}",
            status=user.status,
            date_last_modified=user.date_last_modified,
            user=user.sourced_id,
            role_type="primary" if index == 0 else "secondary",
            role=user.role,
            begin_date=None,
            end_date=None,
            org=org,
            user_profile="",
        )
        for user in package.users
        if user.role
        for index, org in enumerate(user.orgs)
    )
    return package.roles + synthesised


def _csv(columns: tuple[str, ...], rows: Iterable[Mapping[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


_WRITERS: dict[
    str, tuple[Callable[[RosterPackage], tuple[Any, ...]], Callable[[Any], dict[str, str]]]
] = {
    "academicSessions": (lambda p: p.academic_sessions, _session),
    "orgs": (lambda p: p.orgs, _org),
    "courses": (lambda p: p.courses, _course),
    "classes": (lambda p: p.classes, _class),
    "users": (lambda p: p.users, _user),
    "userProfiles": (lambda p: p.user_profiles, _profile),
    "roles": (all_roles, _role),
    "enrollments": (lambda p: p.enrollments, _enrollment),
    "demographics": (lambda p: p.demographics, _demographic),
}


def dump_oneroster(package: RosterPackage, *, mode: str | None = None) -> dict[str, bytes]:
    """The package as OneRoster 1.2 CSV files ``{file name: bytes}``, manifest included.

    Each non-empty table is written in ``mode`` (default: the mode the package was read in, else
    ``bulk``); every other table is ``absent``. Password columns are always empty.
    """
    files: dict[str, bytes] = {}
    modes: dict[str, str] = {}
    for table in TABLES:
        records_of, to_row = _WRITERS[table.name]
        records = records_of(package)
        if not records:
            continue
        modes[table.name] = mode or (
            package.manifest.mode(table.name)
            if package.manifest.mode(table.name) in ("bulk", "delta")
            else "bulk"
        )
        files[table.file_name] = _csv(table.columns_v12, (to_row(r) for r in records))
    manifest = [
        {"propertyName": "manifest.version", "value": "1.0"},
        {"propertyName": "oneroster.version", "value": "1.2"},
        *(
            {"propertyName": f"file.{name}", "value": modes.get(name, "absent")}
            for name in MANIFEST_TABLES
        ),
        {"propertyName": "source.systemName", "value": package.manifest.source_system_name},
        {"propertyName": "source.systemCode", "value": package.manifest.source_system_code},
    ]
    files["manifest.csv"] = _csv(("propertyName", "value"), manifest)
    return files


def write_oneroster(package: RosterPackage, folder: Path, *, mode: str | None = None) -> list[Path]:
    """Write ``dump_oneroster(package)`` into ``folder`` (created if needed); return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in dump_oneroster(package, mode=mode).items():
        target = folder / name
        target.write_bytes(data)
        written.append(target)
    return written
