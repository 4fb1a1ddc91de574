"""Crash test: kill the production server with SIGKILL mid-load; no acknowledged answer is lost.

1. A fresh database (SQLite under a temporary PATHWAYS_VAR_DIR, or DATABASE_URL as given, e.g.
   by scripts/with-postgres.sh) gets `pathways migrate` and `pathways demo load`.
2. `pathways serve` (gunicorn) starts on loopback; a bounded pool of client threads posts
   evidence (POST /api/v1/evidence, each with its own client UUID) as teacher1.
3. Every so often the whole server process group gets SIGKILL and is started again. A client
   whose request got no answer (connection refused or reset, 5xx, timeout) retries the same UUID
   and the same content until it gets 201 (recorded) or 200 (already recorded): acknowledged.
4. At the end: every acknowledged UUID is stored exactly once with its content, nothing else was
   stored, each student x standard estimate counts exactly the evidence added to it (evidence and
   mastery in one transaction), and the database passes its integrity check
   (SQLite `PRAGMA integrity_check`, PostgreSQL amcheck on the evidence indexes).

Prints one JSON summary; exits 1 when any promise is broken.
Usage: python scripts/crash_test.py [--kills 20] [--submissions 2000] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

PASSWORD = "pathways-demo"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pathways(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pathways.cli.main", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


class Server:
    def __init__(self, env: dict[str, str], port: int, workers: int) -> None:
        self.env, self.port, self.workers = env, port, workers
        self.process: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pathways.cli.main",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: SIGKILL reaches every worker
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start within 60 s")

    def kill(self) -> None:
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        # Orphaned workers (if any escaped the group) die with their master's socket; wait for
        # the port to be free before starting again.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                time.sleep(0.05)
            except OSError:
                return

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _request(
    port: int, method: str, path: str, body: object | None, token: str | None, timeout: float
) -> tuple[int, dict[str, object]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json", "Host": "127.0.0.1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        raw = response.read()
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {"raw": raw[:200].decode(errors="replace")}
        return response.status, payload if isinstance(payload, dict) else {"items": payload}
    finally:
        connection.close()


@dataclass
class Tally:
    acknowledged: dict[str, dict[str, object]] = field(default_factory=dict)
    created: int = 0
    replayed: int = 0
    retries: int = 0
    conflicts: int = 0
    other: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(
    port: int, token: str, work: list[dict[str, object]], tally: Tally, stop: float
) -> None:
    for body in work:
        while time.monotonic() < stop:
            try:
                status, payload = _request(port, "POST", "/api/v1/evidence", body, token, 10)
            except (OSError, http.client.HTTPException):
                status, payload = 0, {}
            with tally.lock:
                if status in (200, 201):
                    tally.acknowledged[str(body["id"])] = body
                    if status == 201:
                        tally.created += 1
                    else:
                        tally.replayed += 1
                    break
                if status == 409:
                    tally.conflicts += 1
                    break
                tally.retries += 1
                key = str(status)
                tally.other[key] = tally.other.get(key, 0) + 1
            time.sleep(0.05 + random.random() * 0.1)


SEED = r"""
from datetime import date
import django
django.setup()
from django.contrib.auth.hashers import make_password
from pathways.apps.accounts.models import User
from pathways.apps.roster.models import Course, District, Enrollment, Membership, School, Section, Term
from pathways.apps.standards.models import CourseStandard, Framework, Standard

district = District.objects.create(name="Crash Test Unified")
school = School.objects.create(district=district, name="Crash Test Elementary")
term = Term.objects.create(district=district, title="Year", kind="schoolYear",
    start_date=date(2026, 8, 1), end_date=date(2027, 6, 30), school_year=2027)
course = Course.objects.create(district=district, school=school, title="Math")
framework = Framework.objects.create(identifier="crash-fw", title="Crash framework")
for n in range(4):
    standard = Standard.objects.create(framework=framework, identifier=f"crash-{n}",
        code=f"C.{n}", statement=f"Standard {n}")
    CourseStandard.objects.create(course=course, standard=standard, position=n)
teacher = User.objects.create(username="teacher1", password=make_password("pathways-demo"))
Membership.objects.create(user=teacher, role="teacher", district=district, school=school)
for k in range(2):
    section = Section.objects.create(course=course, school=school, term=term, title=f"Room {k}")
    Enrollment.objects.create(section=section, user=teacher, role="teacher")
    for i in range(6):
        student = User.objects.create(username=f"s{k}{i}", first_name="S", last_name=f"{k}{i}")
        Membership.objects.create(user=student, role="student", district=district, school=school)
        Enrollment.objects.create(section=section, user=student, role="student")
"""


def _own_postgres_database(env: dict[str, str], name: str) -> None:
    """Point DATABASE_URL at a fresh database ``name`` on the same PostgreSQL server."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    url = urlsplit(env["DATABASE_URL"])
    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))


def _setup(env: dict[str, str]) -> None:
    """Migrate and seed a small district: teacher1, two classes of six, four standards."""
    if env["DATABASE_URL"].startswith("postgres"):
        _own_postgres_database(env, f"pathways_crash_{os.getpid()}")  # runs may overlap
    _pathways("migrate", env=env)
    subprocess.run([sys.executable, "-c", SEED], env=env, check=True, capture_output=True)


def _targets(port: int, token: str) -> list[tuple[int, int]]:
    """(student, standard) pairs teacher1 may score: their students x their course's standards."""
    _, sections = _request(port, "GET", "/api/v1/sections", None, token, 30)
    pairs: list[tuple[int, int]] = []
    for section in sections["items"][:2]:  # type: ignore[index]
        sid = section["id"]  # type: ignore[index]
        _, students = _request(port, "GET", f"/api/v1/sections/{sid}/students", None, token, 30)
        for student in students["items"][:6]:  # type: ignore[index]
            _, mastery = _request(
                port, "GET", f"/api/v1/students/{student['id']}/mastery", None, token, 30
            )
            for row in mastery["standards"][:4]:  # type: ignore[index]
                pairs.append((int(student["id"]), int(row["standard_id"])))
    return pairs


CHECK = r"""
import json, sys
import django
django.setup()
from django.db import connection
from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.models import MasteryEstimate

wanted = json.load(open(sys.argv[1]))
ids = list(wanted["submitted"])
stored = {str(e.pk): e for e in Evidence.objects.filter(pk__in=ids)}
estimates = {
    f"{m.student_id}:{m.standard_id}": m.n_evidence
    for m in MasteryEstimate.objects.filter(student_id__in={b["student"] for b in wanted["submitted"].values()})
}
integrity = "skipped"
with connection.cursor() as cursor:
    if connection.vendor == "sqlite":
        cursor.execute("PRAGMA integrity_check")
        integrity = ";".join(r[0] for r in cursor.fetchall())
    elif connection.vendor == "postgresql":
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            cursor.execute(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am a ON a.oid = c.relam "
                "WHERE t.relname IN ('evidence_evidence', 'mastery_masteryestimate', "
                "'access_accesslog') AND a.amname = 'btree'"
            )
            names = [r[0] for r in cursor.fetchall()]
            for name in names:
                cursor.execute("SELECT bt_index_check(%s::regclass, true)", [name])
            integrity = f"ok (amcheck on {len(names)} indexes)"
        except Exception as error:  # amcheck not installed: say so, do not pretend
            integrity = f"amcheck unavailable: {error}"
print(json.dumps({
    "stored": {k: [e.student_id, e.standard_id, e.correct] for k, e in stored.items()},
    "estimates": estimates,
    "integrity": integrity,
}))
"""


def _n_evidence(env: dict[str, str], pairs: list[tuple[int, int]], folder: Path) -> dict[str, int]:
    spec = folder / "before.json"
    spec.write_text(
        json.dumps({"submitted": {str(uuid.uuid4()): {"student": s} for s, _ in pairs}})
    )
    out = subprocess.run(
        [sys.executable, "-c", CHECK, str(spec)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    estimates: dict[str, int] = json.loads(out.stdout.strip().splitlines()[-1])["estimates"]
    return estimates


def run(args: argparse.Namespace) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="pathways-crash-"))
    env = {
        **os.environ,
        "PATHWAYS_VAR_DIR": str(folder),
        "PATHWAYS_DEBUG": "false",
        "PATHWAYS_SECRET_KEY": uuid.uuid4().hex * 2,
        "PATHWAYS_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "pathways.config.settings",
    }
    env.setdefault("DATABASE_URL", "")
    database = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    started = time.monotonic()
    _setup(env)
    port = _free_port()
    server = Server(env, port, args.workers)
    server.start()
    status, login = _request(
        port, "POST", "/api/v1/auth/login", {"username": "teacher1", "password": PASSWORD}, None, 30
    )
    assert status == 200, login
    token = str(login["token"])
    pairs = _targets(port, token)
    before = _n_evidence(env, pairs, folder)
    rng = random.Random(args.seed)
    submissions = [
        {"id": str(uuid.uuid4()), "student": s, "standard": t, "correct": rng.random() < 0.6}
        for s, t in (rng.choice(pairs) for _ in range(args.submissions))
    ]
    tally = Tally()
    stop = time.monotonic() + args.max_seconds
    shards = [submissions[i :: args.clients] for i in range(args.clients)]
    threads = [
        threading.Thread(target=_client, args=(port, token, shard, tally, stop), daemon=True)
        for shard in shards
    ]
    for thread in threads:
        thread.start()
    kills = 0
    while kills < args.kills and any(t.is_alive() for t in threads):
        time.sleep(rng.uniform(args.min_gap, args.max_gap))
        if not any(t.is_alive() for t in threads):
            break
        server.kill()
        kills += 1
        server.start()
    for thread in threads:
        thread.join(timeout=max(1.0, stop - time.monotonic()))
    server.stop()
    # Verify, from the database itself.
    spec = folder / "submitted.json"
    spec.write_text(json.dumps({"submitted": {b["id"]: b for b in submissions}}))
    out = subprocess.run(
        [sys.executable, "-c", CHECK, str(spec)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(out.stdout.strip().splitlines()[-1])
    stored: dict[str, list[object]] = found["stored"]
    lost = [k for k in tally.acknowledged if k not in stored]
    wrong = [
        k
        for k, body in tally.acknowledged.items()
        if k in stored and stored[k] != [body["student"], body["standard"], body["correct"]]
    ]
    unacknowledged_stored = [k for k in stored if k not in tally.acknowledged]
    added: dict[str, int] = {}
    for k in stored:
        body = next(b for b in submissions if b["id"] == k)
        key = f"{body['student']}:{body['standard']}"
        added[key] = added.get(key, 0) + 1
    miscounted = [
        key for key, n in added.items() if found["estimates"].get(key, 0) - before.get(key, 0) != n
    ]
    integrity_ok = str(found["integrity"]).startswith("ok")
    summary: dict[str, object] = {
        "database": database,
        "kills": kills,
        "clients": args.clients,
        "submitted": len(submissions),
        "acknowledged": len(tally.acknowledged),
        "created_201": tally.created,
        "replayed_200": tally.replayed,
        "conflicts_409": tally.conflicts,
        "retries": tally.retries,
        "failed_attempts_by_status": tally.other,
        "stored": len(stored),
        "lost": len(lost),
        "wrong_content": len(wrong),
        "stored_but_unacknowledged": len(unacknowledged_stored),
        "estimates_miscounted": len(miscounted),
        "integrity": found["integrity"],
        "seconds": round(time.monotonic() - started, 1),
    }
    summary["ok"] = (
        len(tally.acknowledged) == len(submissions)
        and not lost
        and not wrong
        and not unacknowledged_stored
        and not miscounted
        and tally.conflicts == 0
        and integrity_ok
        and kills == args.kills
    )
    if summary["ok"] and not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    else:
        summary["folder"] = str(folder)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--min-gap", type=float, default=0.5, help="seconds between kills")
    parser.add_argument("--max-gap", type=float, default=1.5)
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database folder")
    summary = run(parser.parse_args())
    print(json.dumps(summary))
    sys.exit(0 if summary["ok"] else 1)


if __name__ == "__main__":
    main()
