"""Write a synthetic district as a OneRoster 1.2 bulk CSV set.

Defaults: 30,000 students and 1,500 staff in 20 schools; every student takes 5 classes of about
25, each class has one teacher: 150,000 student enrollments plus 6,000 teacher enrollments.

    python bench/rostering/generate.py OUT_DIR [--students N] [--staff N] [--schools N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

from pathways.interop.oneroster import (
    AcademicSession,
    Course,
    Enrollment,
    Manifest,
    Org,
    RosterClass,
    RosterPackage,
    RosterRole,
    User,
    write_oneroster,
)

STAMP = dt.datetime(2025, 8, 1, tzinfo=dt.UTC)
SUBJECTS = ("Math", "English Language Arts", "Science", "Social Studies", "Art")


def build(
    students: int, staff: int, schools: int, per_student: int = 5, seed: int = 0
) -> RosterPackage:
    rng = random.Random(seed)
    orgs = [Org("d-1", "active", STAMP, "Synthetic Unified School District", "district", "", "")]
    orgs += [
        Org(f"s-{i}", "active", STAMP, f"School {i}", "school", f"SCH{i:03d}", "d-1")
        for i in range(schools)
    ]
    sessions = [
        AcademicSession(
            "y-2026",
            "active",
            STAMP,
            "2025-26",
            "schoolYear",
            dt.date(2025, 8, 18),
            dt.date(2026, 6, 5),
            "",
            2026,
        ),
    ]
    courses = [
        Course(
            f"c-{s}-{k}",
            "active",
            STAMP,
            "y-2026",
            f"{subject} {s}",
            f"{subject[:4].upper()}",
            (),
            f"s-{s}",
            (subject,),
            (),
        )
        for s in range(schools)
        for k, subject in enumerate(SUBJECTS)
    ]
    users: list[User] = []
    roles: list[RosterRole] = []
    enrollments: list[Enrollment] = []
    classes: list[RosterClass] = []
    staff_per_school = staff // schools
    students_per_school = students // schools
    for s in range(schools):
        teachers = []
        for t in range(staff_per_school):
            sid = f"t-{s}-{t}"
            users.append(
                User(
                    sid,
                    "active",
                    STAMP,
                    True,
                    f"teacher{s}.{t}",
                    (),
                    f"Teach{t}",
                    f"School{s}",
                    "",
                    sid,
                    f"{sid}@example.org",
                    "",
                    "",
                    (),
                    (),
                )
            )
            role = "principal" if t == 0 else "teacher"
            roles.append(
                RosterRole(
                    f"r-{sid}", "active", STAMP, sid, "primary", role, None, None, f"s-{s}", ""
                )
            )
            if t:
                teachers.append(sid)
        n_classes = students_per_school * per_student // 25
        for k in range(n_classes):
            cid = f"k-{s}-{k}"
            subject = k % len(SUBJECTS)
            classes.append(
                RosterClass(
                    cid,
                    "active",
                    STAMP,
                    f"{SUBJECTS[subject]} {k}",
                    (),
                    f"c-{s}-{subject}",
                    f"K{k}",
                    "scheduled",
                    f"Room {k % 40}",
                    f"s-{s}",
                    ("y-2026",),
                    (),
                    (),
                    (),
                )
            )
            teacher = teachers[k % len(teachers)]
            enrollments.append(
                Enrollment(
                    f"e-{cid}-{teacher}",
                    "active",
                    STAMP,
                    cid,
                    f"s-{s}",
                    teacher,
                    "teacher",
                    True,
                    None,
                    None,
                )
            )
        for p in range(students_per_school):
            sid = f"u-{s}-{p}"
            grade = f"{rng.randint(1, 12):02d}"
            users.append(
                User(
                    sid,
                    "active",
                    STAMP,
                    True,
                    f"student{s}.{p}",
                    (),
                    f"Given{p}",
                    f"Family{p % 997}",
                    "",
                    sid,
                    "",
                    "",
                    "",
                    (),
                    (grade,),
                )
            )
            roles.append(
                RosterRole(
                    f"r-{sid}", "active", STAMP, sid, "primary", "student", None, None, f"s-{s}", ""
                )
            )
            for j in range(per_student):
                # block j of the school's classes; 25 students share each class of a block
                cid = f"k-{s}-{j * (n_classes // per_student) + p // 25}"
                enrollments.append(
                    Enrollment(
                        f"e-{sid}-{j}",
                        "active",
                        STAMP,
                        cid,
                        f"s-{s}",
                        sid,
                        "student",
                        None,
                        None,
                        None,
                    )
                )
    return RosterPackage(
        manifest=Manifest(oneroster_version="1.2", files={}, source_system_name="bench"),
        academic_sessions=tuple(sessions),
        orgs=tuple(orgs),
        courses=tuple(courses),
        classes=tuple(classes),
        users=tuple(users),
        roles=tuple(roles),
        enrollments=tuple(enrollments),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--students", type=int, default=30_000)
    parser.add_argument("--staff", type=int, default=1_500)
    parser.add_argument("--schools", type=int, default=20)
    args = parser.parse_args()
    package = build(args.students, args.staff, args.schools)
    write_oneroster(package, args.out)
    print(
        f"{args.out}: {len(package.users)} users, {len(package.classes)} classes, "
        f"{len(package.enrollments)} enrollments"
    )


if __name__ == "__main__":
    main()
