"""One evidence submission in-process: milliseconds, SQL queries, and where the time goes.

Two callers: a teacher recording for a student of their section (the load benchmark's request)
and a student answering an item for themself. Each goes through the whole Django stack
(middleware, token auth, the API, ``record_evidence``) with the test client, without the network.

Run on a database holding the demo district, e.g.::

    export PATHWAYS_VAR_DIR=$(mktemp -d) DATABASE_URL= PATHWAYS_ALLOWED_HOSTS=testserver
    .venv/bin/pathways migrate && .venv/bin/pathways demo load
    .venv/bin/python bench/load/profile_submission.py [--profile teacher|student] [--runs 200]

Prints one JSON line: median wall and CPU ms and queries per submission for each caller; with
``--profile`` also the top of a cProfile of that caller (cumulative time); ``--sql`` lists the
queries of one submission.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
import uuid
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.config.settings")
import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from pathways.apps.accounts.models import User  # noqa: E402
from pathways.apps.activities.models import Item  # noqa: E402
from pathways.apps.roster.models import Enrollment  # noqa: E402
from pathways.apps.standards.models import CourseStandard  # noqa: E402

PASSWORD = "pathways-demo"


def _token(client: Client, username: str) -> str:
    reply = client.post(
        "/api/v1/auth/login",
        json.dumps({"username": username, "password": PASSWORD}),
        content_type="application/json",
    )
    assert reply.status_code == 200, reply.content
    return str(reply.json()["token"])


def _submitter(username: str) -> Callable[[], None]:
    """A function that posts one new piece of evidence as ``username``."""
    client = Client()
    token = _token(client, username)
    user = User.objects.get(username=username)
    if username.startswith("teacher"):
        section = Enrollment.objects.filter(user=user, role="teacher").first().section  # type: ignore[union-attr]
        student_id = (
            Enrollment.objects.filter(section=section, role="student")
            .values_list("user_id", flat=True)
            .first()
        )
        standard_id = (
            CourseStandard.objects.filter(course=section.course)
            .values_list("standard_id", flat=True)
            .first()
        )

        def body() -> dict[str, object]:
            return {
                "id": str(uuid.uuid4()),
                "student": student_id,
                "standard": standard_id,
                "correct": True,
            }

    else:
        item = Item.objects.filter(
            standard__courses__course__sections__enrollments__user=user
        ).first()
        assert item is not None

        def body() -> dict[str, object]:
            return {"id": str(uuid.uuid4()), "student": user.pk, "item": item.pk, "response": "7"}

    def submit() -> None:
        reply = client.post(
            "/api/v1/evidence",
            json.dumps(body()),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert reply.status_code == 201, reply.content

    return submit


def measure(submit: Callable[[], None], runs: int) -> dict[str, object]:
    for _ in range(5):  # warm caches (URL resolver, schema, token last-used stamp)
        submit()
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        submit()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        submit()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p90_ms": round(statistics.quantiles(samples, n=10)[-1], 2),
        # CPU time of this process: what other work on a shared machine changes least.
        "median_cpu_ms": round(statistics.median(cpu), 2),
        "queries": len(queries.captured_queries),
        "sql": [q["sql"][:200] for q in queries.captured_queries],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--profile", choices=["teacher", "student"])
    parser.add_argument("--sql", action="store_true", help="print each caller's queries")
    args = parser.parse_args()
    callers = {"teacher": _submitter("teacher1"), "student": _submitter("student1")}
    results = {name: measure(submit, args.runs) for name, submit in callers.items()}
    for name, result in results.items():
        sql = result.pop("sql")
        if args.sql:
            print(f"--- {name}: {len(sql)} queries", file=sys.stderr)
            for line in sql:  # type: ignore[attr-defined]
                print("  " + line, file=sys.stderr)
    print(json.dumps({**results, "database": connection.vendor}))
    if args.profile:
        submit = callers[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            submit()
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
