"""Median latency of the class heatmap (35 students x 60 standards) and of an evidence submission.

Run through `bench/platform/run.sh` (a fresh SQLite database with the demo district). Measures
in-process with Django's test client, so the figures are server time without the network.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.config.settings")
import django

django.setup()

from django.test import Client  # noqa: E402

from pathways.apps.accounts.models import User  # noqa: E402
from pathways.apps.activities.models import Item  # noqa: E402
from pathways.apps.roster.models import Course, Enrollment, Section  # noqa: E402
from pathways.apps.standards.models import CourseStandard  # noqa: E402

ROOT = Path(__file__).parents[2]
RUNS = 40


def big_section() -> Section:
    """A 35-student section whose course has 60 standards (grades 4 and 5 plus early grade 6)."""
    teacher = User.objects.get(username="teacher1")
    base = Enrollment.objects.filter(user=teacher, role="teacher").first().section
    course = Course.objects.create(
        district=base.course.district, school=base.school, title="Bench Math"
    )
    standards = [cs.standard for cs in CourseStandard.objects.order_by("course_id", "position")][
        :60
    ]
    CourseStandard.objects.bulk_create(
        CourseStandard(course=course, standard=s, position=i) for i, s in enumerate(standards)
    )
    section = Section.objects.create(
        course=course, school=base.school, term=base.term, title="Bench class"
    )
    students = User.objects.filter(enrollments__role="student", grade_level__in=["04", "05"])[:35]
    Enrollment.objects.bulk_create(
        [Enrollment(section=section, user=s, role="student") for s in students]
        + [Enrollment(section=section, user=teacher, role="teacher")]
    )
    return section


def timed(call, runs: int = RUNS) -> list[float]:
    call()  # warm caches and templates
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    section = big_section()
    web = Client()
    web.post("/signin/", {"username": "teacher1", "password": "pathways-demo"})

    def heatmap() -> None:
        response = web.get(f"/sections/{section.pk}/")
        assert response.status_code == 200
        assert (
            response.content.split(b'id="heatmap"')[1]
            .split(b"</table>")[0]
            .count(b'<th scope="row">')
            == 35
        )

    api = Client()
    token = api.post(
        "/api/v1/auth/login",
        json.dumps({"username": "student1", "password": "pathways-demo"}),
        content_type="application/json",
    ).json()["token"]
    student = User.objects.get(username="student1")
    item = Item.objects.filter(
        standard__courses__course__sections__enrollments__user=student
    ).first()

    def submit() -> None:
        body = {"id": str(uuid.uuid4()), "student": student.pk, "item": item.pk, "response": "7"}
        response = api.post(
            "/api/v1/evidence",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 201, response.content

    results = {"heatmap_35x60_ms": timed(heatmap), "evidence_submit_ms": timed(submit, 100)}
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    lines = [
        "## Platform pages",
        "",
        f"Command: `make bench` (or `scripts/run-benchmarks.sh platform`); {when}, {machine},",
        "SQLite (WAL), demo district, Django test client (server time, no network).",
        "",
        "| measure | target | median | p90 | runs |",
        "|---|---|---|---|---|",
    ]
    targets = {"heatmap_35x60_ms": 150, "evidence_submit_ms": 50}
    for name, samples in results.items():
        p90 = statistics.quantiles(samples, n=10)[-1]
        median = statistics.median(samples)
        verdict = "met" if median < targets[name] else "NOT met"
        cells = [name, f"< {targets[name]} ms", f"{median:.1f} ms ({verdict})", f"{p90:.1f} ms"]
        lines.append(f"| {' | '.join(cells)} | {len(samples)} |")
        print(f"{name}: median {median:.1f} ms, p90 {p90:.1f} ms", file=sys.stderr)
    write_section(ROOT / "BENCHMARKS.md", "## Platform pages", "\n".join(lines) + "\n")


def write_section(path: Path, heading: str, body: str) -> None:
    """Replace (or append) one '## ' section of BENCHMARKS.md, leaving the others as they are."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    start = text.find(heading)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + body + (text[end + 1 :] if end != -1 else "")
    path.write_text(text)


if __name__ == "__main__":
    main()
