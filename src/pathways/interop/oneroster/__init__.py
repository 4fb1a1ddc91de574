"""OneRoster 1.1 and 1.2 rostering CSV sets in and out (folder or zip), without Django."""

from pathways.interop.oneroster._reader import parse_oneroster, read_oneroster
from pathways.interop.oneroster._records import (
    AcademicSession,
    Course,
    Demographic,
    Enrollment,
    Manifest,
    Org,
    RosterClass,
    RosterPackage,
    RosterRole,
    User,
    UserProfile,
)
from pathways.interop.oneroster._source import Limits, open_csv_set
from pathways.interop.oneroster._writer import all_roles, dump_oneroster, write_oneroster

__all__ = [
    "AcademicSession",
    "Course",
    "Demographic",
    "Enrollment",
    "Limits",
    "Manifest",
    "Org",
    "RosterClass",
    "RosterPackage",
    "RosterRole",
    "User",
    "UserProfile",
    "all_roles",
    "dump_oneroster",
    "open_csv_set",
    "parse_oneroster",
    "read_oneroster",
    "write_oneroster",
]
