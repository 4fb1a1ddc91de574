"""OneRoster 1.1/1.2 rostering records (CSV binding), one frozen dataclass per file row.

Passwords are never part of a record: the reader drops the ``password`` columns on the floor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "CLASS_TYPES",
    "ENROLLMENT_ROLES",
    "GRADES",
    "MANIFEST_TABLES",
    "ORG_TYPES",
    "ROLE_TYPES",
    "SESSION_TYPES",
    "SEXES",
    "STATUSES",
    "USER_ROLES",
    "AcademicSession",
    "Course",
    "Demographic",
    "Enrollment",
    "Manifest",
    "Org",
    "RosterClass",
    "RosterPackage",
    "RosterRole",
    "User",
    "UserProfile",
]

#: Record status (1.1 also has ``inactive``; 1.2 only ``active`` and ``tobedeleted``).
STATUSES = frozenset({"active", "tobedeleted", "inactive"})
SESSION_TYPES = frozenset({"gradingPeriod", "semester", "schoolYear", "term"})
ORG_TYPES = frozenset({"department", "school", "district", "local", "state", "national"})
CLASS_TYPES = frozenset({"homeroom", "scheduled"})
#: Roles in enrollments.csv (union of 1.1 and 1.2).
ENROLLMENT_ROLES = frozenset(
    {"administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"}
)
#: Roles in users.csv (1.1) and roles.csv (1.2).
USER_ROLES = frozenset(
    {
        "administrator",
        "aide",
        "counselor",
        "districtAdministrator",
        "guardian",
        "parent",
        "principal",
        "proctor",
        "relative",
        "siteAdministrator",
        "student",
        "systemAdministrator",
        "teacher",
    }
)
ROLE_TYPES = frozenset({"primary", "secondary"})
SEXES = frozenset({"male", "female", "unspecified", "other"})
#: CEDS grade levels used by OneRoster.
GRADES = frozenset(
    {"IT", "PR", "PK", "TK", "KG", *(f"{g:02d}" for g in range(1, 14)), "PS", "UG", "Other"}
)
#: The manifest's ``file.<table>`` names, in manifest order (rostering and gradebook files).
MANIFEST_TABLES: tuple[str, ...] = (
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItemLearningObjectiveIds",
    "lineItems",
    "lineItemScoreScales",
    "orgs",
    "resources",
    "resultLearningObjectiveIds",
    "results",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "userResources",
    "users",
)


@dataclass(frozen=True)
class Manifest:
    """manifest.csv: the OneRoster version and, per table, ``bulk``, ``delta`` or ``absent``."""

    oneroster_version: str
    files: dict[str, str] = field(hash=False)
    manifest_version: str = "1.0"
    source_system_name: str = ""
    source_system_code: str = ""

    def mode(self, table: str) -> str:
        return self.files.get(table, "absent")


@dataclass(frozen=True)
class AcademicSession:
    sourced_id: str
    status: str
    date_last_modified: dt.datetime | None
    title: str
    type: str
    start_date: dt.date | None
    end_date: dt.date | None
    parent: str
    school_year: int | None
    #: Line of the row in its file (0 when built in code); not part of equality.
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Org:
    sourced_id: str
    status: str
    date_last_modified: dt.datetime | None
    name: str
    type: str
    identifier: str
    parent: str
    #: Line of the row in its file (0 when built in code); not part of equality.
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Course:
    sourced_id: str
    status: str
    date_last_modified: dt.datetime | None
    school_year: str
    title: str
    course_code: str
    grades: tuple[str, ...]
    org: str
    subjects: tuple[str, ...]
    subject_codes: tuple[str, ...]
    #: Line of the row in its file (0 when built in code); not part of equality.
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class RosterClass:
    """A OneRoster class (a section of a course taught in one or more terms)."""

    sourced_id: str
    status: str
    date_last_modified: dt.datetime | None
    title: str
    grades: tuple[str, ...]
    course: str
    class_code: str
    class_type: str
    location: str
    school: str
    terms: tuple[str, ...]
    subjects: tuple[str, ...]
    subject_codes: tuple[str, ...]
    periods: tuple[str, ...]
    #: Line of the row in its file (0 when built in code); not part of equality.
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class User:
    """A person. 1.1 files carry ``role`` and ``orgs`` here; 1.2 files put them in roles.csv."""

    sourced_id: str
    status: str
    date_last_modified: dt.datetime | None
    enabled: bool | None
    username: str
    user_ids: tuple[str, ...]
    given_name: str
    family_name: str
    middle_name: str
    identifier: str
    email: str
    sms: str
    phone: str
    agents: tuple[str, ...]
    grades: tuple[str, ...]
    master_identifier: str = ""
    preferred_given_name: str = ""
    preferred_middle_name: str = ""
    preferred_family_name: str = ""
    primary_org: str = ""
    pronouns: str = ""
    role: str = ""
    orgs: tuple[str, ...] = ()
    #: Line of the row in its file (0 when built in code); not part of equality.
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class RosterRole:
    """roles.csv (1.2): a user's role at an org; 1.1 users get one per org from users.csv."""

    sourced_id: str
    status: str
    date_last_modified: dt.datetime | None
    user: str
    role_type: str
    role: str
    begin_date: dt.date | None
    end_date: dt.date | None
    org: str
    user_profile: str
    #: Line of the row in its file (0 when built in code); not part of equality.
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class UserProfile:
    """userProfiles.csv (1.2) without its password."""

    sourced_id: str
    status: str
    date_last_modified: dt.datetime | None
    user: str
    profile_type: str
    vendor_id: str
    application_id: str
    description: str
    credential_type: str
    username: str
    #: Line of the row in its file (0 when built in code); not part of equality.
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Enrollment:
    sourced_id: str
    status: str
    date_last_modified: dt.datetime | None
    class_: str
    school: str
    user: str
    role: str
    primary: bool | None
    begin_date: dt.date | None
    end_date: dt.date | None
    #: Line of the row in its file (0 when built in code); not part of equality.
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Demographic:
    """demographics.csv: ``sourced_id`` is the user's. Race flags are ``None`` when blank."""

    sourced_id: str
    status: str
    date_last_modified: dt.datetime | None
    birth_date: dt.date | None
    sex: str
    american_indian_or_alaska_native: bool | None
    asian: bool | None
    black_or_african_american: bool | None
    native_hawaiian_or_other_pacific_islander: bool | None
    white: bool | None
    two_or_more_races: bool | None
    hispanic_or_latino: bool | None
    country_of_birth: str
    state_of_birth: str
    city_of_birth: str
    public_school_residence_status: str
    #: Line of the row in its file (0 when built in code); not part of equality.
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class RosterPackage:
    """Everything read from one OneRoster CSV set, in file order."""

    manifest: Manifest
    academic_sessions: tuple[AcademicSession, ...] = ()
    orgs: tuple[Org, ...] = ()
    courses: tuple[Course, ...] = ()
    classes: tuple[RosterClass, ...] = ()
    users: tuple[User, ...] = ()
    roles: tuple[RosterRole, ...] = ()
    enrollments: tuple[Enrollment, ...] = ()
    demographics: tuple[Demographic, ...] = ()
    user_profiles: tuple[UserProfile, ...] = ()
    #: Files the manifest lists that Pathways does not read (gradebook and resources).
    skipped: tuple[str, ...] = ()

    @property
    def is_delta(self) -> bool:
        return "delta" in self.manifest.files.values()
