"""Breach-scoping queries over a large access log: who saw student X, what did account Y touch.

A district of 30,000 students and 1,500 staff; the log gets ``--rows`` entries (default one
million) spread over a school year, staff reading students at random (a few busy accounts read
many more). Times each query through ``pathways.apps.access.audit`` (the code the page and the API
use) as a district administrator, median and worst of ``--runs`` different students/accounts.
Prints one JSON line and, with ``--write``, a row in BENCHMARKS.md's "Access log" section.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

if sys.argv[1:] == ["--create-database"]:  # the throwaway PostgreSQL cluster has none yet
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    with psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')
    sys.exit(0)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.config.settings")
import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from pathways.apps.access import audit  # noqa: E402
from pathways.apps.access.models import AccessLog  # noqa: E402
from pathways.apps.accounts.models import User  # noqa: E402
from pathways.apps.roster.models import District, Membership, Role, School  # noqa: E402

STUDENTS = 30_000
STAFF = 1_500


def build(rows: int) -> tuple[User, list[int], list[int]]:
    rng = random.Random(7)
    district = District.objects.create(name="Bench Unified")
    school = School.objects.create(district=district, name="Bench School")
    admin = User.objects.create(username="bench-admin")
    Membership.objects.create(user=admin, role=Role.DISTRICT_ADMIN, district=district)
    User.objects.bulk_create(
        [User(username=f"s{i}") for i in range(STUDENTS)]
        + [User(username=f"t{i}") for i in range(STAFF)],
        batch_size=5000,
    )
    students = list(
        User.objects.filter(username__startswith="s").order_by("pk").values_list("pk", flat=True)
    )
    staff = list(
        User.objects.filter(username__startswith="t").order_by("pk").values_list("pk", flat=True)
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=s, role=Role.STUDENT, district=district, school=school)
            for s in students
        ]
        + [
            Membership(user_id=t, role=Role.TEACHER, district=district, school=school)
            for t in staff
        ],
        batch_size=5000,
    )
    start = datetime(2026, 8, 17, tzinfo=UTC)
    busy = staff[:15]  # a few accounts (say, counsellors) read far more than others
    table = AccessLog._meta.db_table
    sql = (
        f"INSERT INTO {table} (actor_id, action, object_type, object_id, student_id, scope,"
        " channel, at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    batch: list[tuple[object, ...]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for n in range(rows):
            actor = rng.choice(busy) if rng.random() < 0.2 else rng.choice(staff)
            student = rng.choice(students)
            at = start + timedelta(seconds=n * (300 * 86400 / rows))
            batch.append(
                (actor, "view_student", "user", str(student), student, "section", "web", at)
            )
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return admin, students, staff


def timed(calls: list[Callable[[], object]]) -> dict[str, float]:
    calls[0]()  # warm
    seconds = []
    for call in calls:
        t0 = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - t0)
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--label", default=connection.vendor)
    args = parser.parse_args()
    t0 = time.perf_counter()
    admin, students, staff = build(args.rows)
    built = time.perf_counter() - t0
    rng = random.Random(11)
    some_students = rng.sample(students, args.runs)
    some_staff = staff[:5] + rng.sample(staff[15:], args.runs - 5)
    results = {
        "who_saw_student": timed(
            [lambda s=s: audit.search(admin, student_id=s, limit=100) for s in some_students]
        ),
        "account_entries": timed(
            [lambda a=a: audit.search(admin, actor_id=a, limit=100) for a in some_staff]
        ),
        "account_touched_students": timed(
            [lambda a=a: audit.touched_students(admin, a) for a in some_staff]
        ),
        "district_latest_page": timed([lambda: audit.search(admin, limit=100)] * args.runs),
    }
    print(
        json.dumps(
            {
                "database": args.label,
                "rows": AccessLog.objects.count(),
                "build_s": round(built, 1),
                "queries": results,
            }
        )
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
