"""Evidence submissions at a constant arrival rate against the production server.

An open-loop load generator: request i is due at ``start + i / rate`` whatever happened to the
requests before it, and its latency is measured from when it was due, not from when it was
sent, so a server that falls behind shows it in the percentiles instead of silently slowing the
generator down (coordinated omission). The generator is bounded: at most ``--max-in-flight``
requests at once (a request waiting for a slot still counts its wait), each with a timeout,
and the run stops ``--seconds`` after it starts.

1. A fresh database (SQLite in a temporary folder, or the PostgreSQL server in DATABASE_URL as
   set by scripts/with-postgres.sh, in a database of its own) with the demo district.
2. ``pathways serve`` (gunicorn, as in production and in the crash test) on loopback.
3. Every teacher of the demo district signs in through the API; submissions go to their
   students and their courses' standards (POST /api/v1/evidence, each with its own client id),
   spread over all of them. Once a second, teacher1 opens a class heatmap (the page-sized read a
   teacher makes while their class works), on the same open-loop clock.
4. A submission that got no answer in time (an error, or the timeout) is then sent again with
   the same id and content, as a real client would, until it is acknowledged (untimed).
5. Afterwards, from the database: every acknowledged submission is stored exactly once with its
   content, nothing unacknowledged was stored, and each student x standard estimate counts
   exactly the evidence added to it.

Also measured: CPU seconds the server (gunicorn master and workers, and on PostgreSQL the
database processes) spent per submission, which gives the capacity of one core.

Prints one JSON line; ``--out FILE`` appends it to FILE; ``--report FILE`` turns such lines into
BENCHMARKS.md's "Evidence load" section.
Usage: python bench/load/evidence_load.py [--rate 150] [--seconds 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil

from pathways.config import env as config  # the server's settings (no Django needed)

ROOT = Path(__file__).parents[2]
PASSWORD = "pathways-demo"
P99_TARGET_MS = 500.0
HEATMAP_TARGET_MS = 1000.0


# --- setting up -----------------------------------------------------------------------------


def _pathways(*args: str, env: dict[str, str]) -> str:
    return subprocess.run(
        [sys.executable, "-m", "pathways.cli.main", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _django(code: str, env: dict[str, str], *args: str) -> object:
    """Run ``code`` in a Django process on the benchmark's database; it prints one JSON line."""
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _own_postgres_database(env: dict[str, str], name: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    url = urlsplit(env["DATABASE_URL"])
    with psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))


TARGETS = r"""
import json
from pathways.apps.roster.models import Enrollment
from pathways.apps.standards.models import CourseStandard

teachers: dict[str, list[list[int]]] = {}
heatmap_section = None
for e in Enrollment.objects.filter(role="teacher").select_related("user", "section__course"):
    students = list(Enrollment.objects.filter(section=e.section, role="student")
        .values_list("user_id", flat=True))
    standards = list(
        CourseStandard.objects.filter(course=e.section.course).values_list("standard_id", flat=True)
    )
    pairs = teachers.setdefault(e.user.username, [])
    pairs.extend([s, t] for s in students for t in standards)
    if e.user.username == "teacher1" and heatmap_section is None:
        heatmap_section = e.section_id
print(json.dumps({"teachers": teachers, "heatmap_section": heatmap_section}))
"""

COUNTS = r"""
import json, sys
from pathways.apps.mastery.models import MasteryEstimate
print(json.dumps({f"{s}:{t}": n for s, t, n in
    MasteryEstimate.objects.values_list("student_id", "standard_id", "n_evidence")}))
"""

VERIFY = r"""
import json, sys
from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.models import MasteryEstimate

ids = json.load(open(sys.argv[1]))
stored = {}
for start in range(0, len(ids), 500):
    for pk, s, t, c in Evidence.objects.filter(pk__in=ids[start:start + 500]).values_list(
        "pk", "student_id", "standard_id", "correct"
    ):
        stored[str(pk)] = [s, t, c]
counts = {f"{s}:{t}": n for s, t, n in
    MasteryEstimate.objects.values_list("student_id", "standard_id", "n_evidence")}
print(json.dumps({"stored": stored, "counts": counts}))
"""


class Server:
    """``pathways serve`` in its own process group."""

    def __init__(self, env: dict[str, str], port: int, workers: int) -> None:
        self.env, self.port, self.workers = env, port, workers
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "pathways.cli.main", "serve"),
                *("--port", str(self.port), "--workers", str(self.workers)),
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes and their live children (and reaped ones)."""
    total = 0.0
    seen: set[int] = set()
    for pid in pids:
        try:
            root = psutil.Process(pid)
            family = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for process in family:
            if process.pid in seen:
                continue
            seen.add(process.pid)
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system + times.children_user + times.children_system
    return total


def _postmaster(env: dict[str, str]) -> int | None:
    """The PostgreSQL server's main process (the parent of a backend), to count its CPU."""
    if not env["DATABASE_URL"].startswith("postgres"):
        return None
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as db:
        row = db.execute("SELECT pg_backend_pid()").fetchone()
    assert row is not None
    try:
        return psutil.Process(int(row[0])).ppid()
    except psutil.NoSuchProcess:
        return None


# --- the load generator ---------------------------------------------------------------------


async def _http(
    port: int, method: str, path: str, body: bytes | None, token: str | None, timeout: float
) -> tuple[int, bytes]:
    status, _, payload = await _exchange(port, method, path, body, token, timeout)
    return status, payload


async def _exchange(
    port: int, method: str, path: str, body: bytes | None, token: str | None, timeout: float
) -> tuple[int, float, bytes]:
    """(status, Retry-After seconds or 0, body) of one request on its own connection."""

    async def exchange() -> tuple[int, float, bytes]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            head = [
                f"{method} {path} HTTP/1.1",
                "Host: 127.0.0.1",
                "Connection: close",
                "Content-Type: application/json",
                f"Content-Length: {len(body or b'')}",
            ]
            if token:
                head.append(f"Authorization: Bearer {token}")
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + (body or b""))
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
        status_line, _, rest = raw.partition(b"\r\n")
        headers, _, payload = rest.partition(b"\r\n\r\n")
        retry_after = 0.0
        for line in headers.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"retry-after":
                retry_after = float(value.strip() or 0)
        return int(status_line.split()[1]), retry_after, payload

    return await asyncio.wait_for(exchange(), timeout)


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)  # acknowledged at the first try
    # Refused with 429 at first, then acknowledged after waiting Retry-After: from when due.
    shed_latencies_ms: list[float] = field(default_factory=list)
    refusals: int = 0  # 429 answers, every attempt counted
    acknowledged: dict[str, dict[str, object]] = field(default_factory=dict)
    failed: dict[str, tuple[str, dict[str, object]]] = field(default_factory=dict)
    retried: dict[str, int] = field(default_factory=dict)  # id -> status of the retry
    retry_attempts: int = 0
    last_ack: float = 0.0  # seconds after the start of the last acknowledgement in time
    errors: dict[str, int] = field(default_factory=dict)
    heatmap_ms: list[float] = field(default_factory=list)
    heatmap_errors: int = 0
    heatmap_refusals: int = 0
    max_send_lag_ms: float = 0.0
    peak_in_flight: int = 0


async def _generate(
    port: int,
    work: list[tuple[str, dict[str, object]]],
    heatmap: tuple[str, int] | None,
    args: argparse.Namespace,
) -> tuple[Outcome, float]:
    outcome = Outcome()
    slots = asyncio.Semaphore(args.max_in_flight)
    in_flight = 0
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2

    async def attempt(token: str, body: dict[str, object]) -> tuple[int, float, str]:
        nonlocal in_flight
        async with slots:
            in_flight += 1
            outcome.peak_in_flight = max(outcome.peak_in_flight, in_flight)
            try:
                status, retry_after, _ = await _exchange(
                    port, "POST", "/api/v1/evidence", json.dumps(body).encode(), token, args.timeout
                )
                return status, retry_after, str(status)
            except TimeoutError:
                return 0, 0.0, "timeout"
            except OSError as error:
                return 0, 0.0, type(error).__name__
            finally:
                in_flight -= 1

    async def submit(due: float, token: str, body: dict[str, object]) -> None:
        status, retry_after, kind = await attempt(token, body)
        shed = False
        # A 429 stored nothing: wait as the server asks and send the same request again, as a
        # real client would (a few times at most; what is left goes to the untimed retries).
        for _ in range(5):
            if status != 429:
                break
            shed = True
            outcome.refusals += 1
            await asyncio.sleep(retry_after or 1.0)
            status, retry_after, kind = await attempt(token, body)
        if status in (200, 201):
            latency = (loop.time() - due) * 1000
            (outcome.shed_latencies_ms if shed else outcome.latencies_ms).append(latency)
            outcome.last_ack = max(outcome.last_ack, loop.time() - start)
            outcome.acknowledged[str(body["id"])] = body
        else:
            outcome.errors[kind] = outcome.errors.get(kind, 0) + 1
            outcome.failed[str(body["id"])] = (token, body)

    async def look(due: float, token: str, section: int) -> None:
        ok = False
        for _ in range(3):  # a 429 is waited out (Retry-After) and counted in the latency
            try:
                status, retry_after, payload = await _exchange(
                    port, "GET", f"/api/v1/sections/{section}/heatmap", None, token, args.timeout
                )
            except (TimeoutError, OSError):
                break
            ok = status == 200 and b'"students"' in payload
            if status != 429:
                break
            outcome.heatmap_refusals += 1
            await asyncio.sleep(retry_after or 1.0)
        if ok:
            outcome.heatmap_ms.append((loop.time() - due) * 1000)
        else:
            outcome.heatmap_errors += 1

    tasks: list[asyncio.Task[None]] = []
    for i, (token, body) in enumerate(work):
        due = start + i / args.rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        outcome.max_send_lag_ms = max(outcome.max_send_lag_ms, (loop.time() - due) * 1000)
        tasks.append(asyncio.create_task(submit(due, token, body)))
        if heatmap is not None and i % int(args.rate) == 0:
            tasks.append(asyncio.create_task(look(due, *heatmap)))
    await asyncio.gather(*tasks)
    return outcome, loop.time() - start


async def _retry(port: int, outcome: Outcome, args: argparse.Namespace) -> None:
    """What a real client does with a request that got no answer: send it again, same id and
    same content, until it is acknowledged (201 stored now, 200 stored before). Not timed."""
    slots = asyncio.Semaphore(8)

    async def again(token: str, body: dict[str, object]) -> None:
        async with slots:
            for _ in range(20):
                outcome.retry_attempts += 1
                try:
                    status, _ = await _http(
                        port, "POST", "/api/v1/evidence", json.dumps(body).encode(), token, 30
                    )
                except (TimeoutError, OSError):
                    status = 0
                if status in (200, 201):
                    outcome.retried[str(body["id"])] = status
                    outcome.acknowledged[str(body["id"])] = body
                    return
                await asyncio.sleep(0.5)

    await asyncio.gather(*(again(token, body) for token, body in outcome.failed.values()))


# --- one run --------------------------------------------------------------------------------


def _percentile(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def run(args: argparse.Namespace) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="pathways-load-"))
    env = {
        **os.environ,
        "PATHWAYS_VAR_DIR": str(folder),
        "PATHWAYS_DEBUG": "false",
        "PATHWAYS_SECRET_KEY": uuid.uuid4().hex * 2,
        "PATHWAYS_ALLOWED_HOSTS": "127.0.0.1",
        "PATHWAYS_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "pathways.config.settings",
    }
    env.setdefault("DATABASE_URL", "")
    database = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    if database == "postgresql":
        _own_postgres_database(env, f"pathways_load_{os.getpid()}")  # runs may overlap
    _pathways("migrate", env=env)
    _pathways("demo", "load", env=env)
    targets = _django(TARGETS, env)
    assert isinstance(targets, dict)
    before = _django(COUNTS, env)
    assert isinstance(before, dict)

    port = _free_port()
    server = Server(env, port, args.workers)
    server.start()
    try:
        tokens = {name: _login(port, name) for name in sorted(targets["teachers"])}
        rng = random.Random(args.seed)
        pairs = [
            (tokens[name], pair) for name, some in targets["teachers"].items() for pair in some
        ]
        n = int(args.rate * args.seconds)
        work = []
        for _ in range(n):
            token, (student, standard) = rng.choice(pairs)
            body = {
                "id": str(uuid.uuid4()),
                "student": student,
                "standard": standard,
                "correct": rng.random() < 0.6,
            }
            work.append((token, body))
        heatmap = (tokens["teacher1"], int(targets["heatmap_section"]))
        assert server.process is not None
        postmaster = _postmaster(env)
        watched = [server.process.pid] + ([postmaster] if postmaster else [])
        cpu_before = _cpu_seconds(watched)
        outcome, elapsed = asyncio.run(_generate(port, work, heatmap, args))
        in_time = len(outcome.acknowledged)
        asyncio.run(_retry(port, outcome, args))
        # The server may still be working through a backlog when the generator stops, so its
        # CPU is counted over the retries too, and shared by every request it answered.
        cpu = _cpu_seconds(watched) - cpu_before
    finally:
        server.stop()

    ids_file = folder / "ids.json"
    ids_file.write_text(json.dumps([str(body["id"]) for _, body in work]))
    found = _django(VERIFY, env, str(ids_file))
    assert isinstance(found, dict)
    in_process = _in_process(env, args.in_process_runs)
    stored: dict[str, list[object]] = found["stored"]
    lost = [k for k in outcome.acknowledged if k not in stored]
    wrong = [
        k
        for k, b in outcome.acknowledged.items()
        if k in stored and stored[k] != [b["student"], b["standard"], b["correct"]]
    ]
    unacknowledged = [k for k in stored if k not in outcome.acknowledged]
    added: dict[str, int] = {}
    for student, standard, _ in stored.values():
        added[f"{student}:{standard}"] = added.get(f"{student}:{standard}", 0) + 1
    miscounted = [
        key for key, m in added.items() if found["counts"].get(key, 0) - before.get(key, 0) != m
    ]
    latencies = outcome.latencies_ms
    errors_other_than_429 = sum(v for k, v in outcome.errors.items() if k != "429")
    p99 = _percentile(latencies, 99)
    # Acknowledgements per second over the run (or until the last one came, if later).
    achieved = in_time / max(args.seconds, outcome.last_ack)
    per_request_cpu = cpu / max(1, n + outcome.retry_attempts)
    summary: dict[str, object] = {
        "database": database,
        "workers": args.workers,
        "threads": config.number("PATHWAYS_THREADS"),
        "max_in_flight": config.number("PATHWAYS_MAX_IN_FLIGHT"),
        "queue_wait_ms": config.number("PATHWAYS_QUEUE_WAIT_MS"),
        "target_rate": args.rate,
        "seconds": args.seconds,
        "submitted": n,
        "acknowledged_in_time": in_time,
        "retried": len(outcome.failed),
        "retry_attempts": outcome.retry_attempts,
        "answered_or_timed_out_after_s": round(elapsed, 1),
        "replayed_on_retry": sum(1 for status in outcome.retried.values() if status == 200),
        "acknowledged": len(outcome.acknowledged),
        "achieved_rate": round(achieved, 1),
        "p50_ms": round(_percentile(latencies, 50), 1),
        "p95_ms": round(_percentile(latencies, 95), 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(max(latencies, default=float("nan")), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "errors": outcome.errors,
        "refused_429": outcome.refusals,
        "shed_then_acknowledged": len(outcome.shed_latencies_ms),
        "shed_p50_ms": round(_percentile(outcome.shed_latencies_ms, 50), 1),
        "shed_max_ms": round(max(outcome.shed_latencies_ms, default=float("nan")), 1),
        "p99_all_ms": round(_percentile(latencies + outcome.shed_latencies_ms, 99), 1),
        "peak_in_flight": outcome.peak_in_flight,
        "max_send_lag_ms": round(outcome.max_send_lag_ms, 1),
        "heatmaps": len(outcome.heatmap_ms),
        "heatmap_errors": outcome.heatmap_errors,
        "heatmap_refused_429": outcome.heatmap_refusals,
        "heatmap_p50_ms": round(_percentile(outcome.heatmap_ms, 50), 1),
        "heatmap_max_ms": round(max(outcome.heatmap_ms, default=float("nan")), 1),
        "server_cpu_s": round(cpu, 1),
        "server_cpu_ms_per_submission": round(per_request_cpu * 1000, 2),
        "per_core_capacity": round(1 / per_request_cpu) if per_request_cpu else None,
        "stored": len(stored),
        "lost": len(lost),
        "wrong_content": len(wrong),
        "stored_but_unacknowledged": len(unacknowledged),
        "estimates_miscounted": len(miscounted),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "in_process": in_process,
    }
    summary["data_ok"] = len(outcome.acknowledged) == n and not (
        lost or wrong or unacknowledged or miscounted
    )
    summary["target_met"] = (
        summary["data_ok"]
        and errors_other_than_429 == 0
        and achieved >= 0.98 * args.rate
        and p99 < P99_TARGET_MS
        and not outcome.heatmap_errors
        and max(outcome.heatmap_ms, default=0.0) < HEATMAP_TARGET_MS
    )
    if summary["data_ok"]:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    else:
        summary["folder"] = str(folder)
    return summary


def _in_process(env: dict[str, str], runs: int) -> dict[str, object]:
    """One submission through the whole Django stack without the network, on this database:
    CPU ms and SQL queries, as a teacher for a student and as a student (profile_submission)."""
    if runs <= 0:
        return {}
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load" / "profile_submission.py"),
            "--runs",
            str(runs),
        ],
        env={**env, "PATHWAYS_ALLOWED_HOSTS": "testserver"},
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert isinstance(result, dict)
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _login(port: int, username: str) -> str:
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    status, payload = asyncio.run(_http(port, "POST", "/api/v1/auth/login", body, None, 30))
    assert status == 200, payload
    return str(json.loads(payload)["token"])


# --- the BENCHMARKS.md section --------------------------------------------------------------

# A 30,000-student district at its busiest: a third of its students in a class that works on
# the platform at the same moment, each answering one question every 30 seconds.
DISTRICT_STUDENTS = 30_000
PEAK_SHARE_WORKING = 1 / 3
SECONDS_PER_ANSWER = 30


def report(results: Path, command: str) -> str:
    runs = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    peak = DISTRICT_STUDENTS * PEAK_SHARE_WORKING / SECONDS_PER_ANSWER
    first = runs[0]
    lines = [
        "## Evidence load",
        "",
        f"Command: `{command}`; {first['at']}, {platform.machine()}, {os.cpu_count()} CPUs "
        f"shared with other work, Python {platform.python_version()}. The production server "
        f"(`pathways serve`: gunicorn, {first['workers']} gthread worker processes x "
        f"{first.get('threads', '?')} threads; requests in progress per process at most "
        + ", ".join(f"{r.get('max_in_flight', '?')} on {r['database']}" for r in runs)
        + "; an API write that cannot start within "
        f"{first.get('queue_wait_ms', '?')} ms of arriving, a read or page within 4 times "
        "that, is refused with 429 and Retry-After: 1) on loopback with the demo district. "
        "An open-loop generator posts evidence at a constant arrival rate (latency counted "
        "from when each request was due, so a slow server cannot hide behind a slowed "
        "generator), for every teacher's students and standards, while teacher1 opens a class "
        "heatmap once a second. A 429 is waited out and the same request sent again, as a real "
        "client would. The generator runs on the same 2 cores. Short runs "
        f"({first['seconds']} s) because the machine is shared; the target is "
        f"{first['target_rate']}/s with p99 < {P99_TARGET_MS:.0f} ms, no errors but "
        f"429, heatmap < {HEATMAP_TARGET_MS:.0f} ms.",
        "",
        "| database | rate asked | achieved | p50 | p95 | p99 | max | 429 answers "
        "(acknowledged after Retry-After: median / max) | other errors "
        "| heatmap median / max | server CPU per submission | load average | met |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        others = {k: v for k, v in r["errors"].items() if k != "429"}
        errors = ", ".join(f"{k}: {v}" for k, v in others.items()) or "none"
        refused = r.get("refused_429", 0)
        shed = (
            f"{refused} ({r['shed_then_acknowledged']}: {r['shed_p50_ms']} / {r['shed_max_ms']} ms)"
            if refused
            else "0"
        )
        lines.append(
            f"| {r['database']} | {r['target_rate']}/s | {r['achieved_rate']}/s "
            f"| {r['p50_ms']} ms | {r['p95_ms']} ms | {r['p99_ms']} ms | {r['max_ms']} ms "
            f"| {shed} | {errors} | {r['heatmap_p50_ms']} / {r['heatmap_max_ms']} ms "
            f"({r['heatmaps']} of {r['heatmaps'] + r['heatmap_errors']} answered, "
            f"{r.get('heatmap_refused_429', 0)} refused first) "
            f"| {r['server_cpu_ms_per_submission']} ms | {r['load_average'][0]} "
            f"| {'yes' if r['target_met'] else 'no'} |"
        )
    lines += [
        "",
        "p50-max count the submissions acknowledged at their first try; one refused with 429 is "
        "counted in its own column with its latency from when it was due, Retry-After wait "
        "included. Achieved: acknowledgements within the run per second.",
    ]
    for r in runs:
        if not r["target_met"]:
            need = r["target_rate"] * r["server_cpu_ms_per_submission"] / 1000
            lines += [
                "",
                f"Not met on {r['database']}: the rate needs about {need:.1f} cores of server CPU "
                f"({r['server_cpu_ms_per_submission']} ms per submission, 429 answers and "
                "retries included) besides the generator's own, on 2 cores shared with other "
                f"work (1-minute load average {r['load_average'][0]} at the end of the run). "
                "Past capacity the server answers 429 within the queue bound instead of letting "
                "a queue grow; refused submissions are sent again after Retry-After and nothing "
                "is lost or doubled.",
            ]
    profiled = [r for r in runs if r.get("in_process")]
    if profiled:
        lines += [
            "",
            "One submission in-process on the same database afterwards (Django test client, "
            "whole stack but no network; `bench/load/profile_submission.py`), median CPU: "
            + "; ".join(
                f"{r['database']}: teacher for a student {t['median_cpu_ms']} ms, "
                f"{t['queries']} queries; student for themself {m['median_cpu_ms']} ms, "
                f"{m['queries']} queries"
                for r in profiled
                for t, m in [(r["in_process"]["teacher"], r["in_process"]["student"])]
            )
            + ".",
        ]
    lines += ["", "Afterwards, from the database:", ""]
    for r in runs:
        lines.append(
            f"- {r['database']}: {r['acknowledged_in_time']} of {r['submitted']} acknowledged "
            f"in time, {r['retried']} sent again after the run ({r['replayed_on_retry']} of "
            f"them had been stored: 200), {r['acknowledged']} acknowledged in all, "
            f"{r['stored']} stored, {r['lost']} lost, {r['wrong_content']} with other content, "
            f"{r['stored_but_unacknowledged']} stored without an acknowledgement, "
            f"{r['estimates_miscounted']} mastery estimates miscounted "
            f"({'exactly once' if r['data_ok'] else 'BROKEN'})."
        )
    lines += [
        "",
        "Capacity: one core serves about "
        + ", ".join(f"{r['per_core_capacity']} submissions/s on {r['database']}" for r in runs)
        + " (1 / the server's CPU seconds per submission, database processes included on "
        "PostgreSQL; this does not depend on how busy the machine is, as latency does). A "
        f"{DISTRICT_STUDENTS:,}-student district at its busiest, a third of its students "
        f"working at once and each answering every {SECONDS_PER_ANSWER} s, sends about "
        f"{peak:.0f} submissions/s: "
        + ", ".join(
            f"{peak / r['per_core_capacity']:.1f} cores on {r['database']}"
            for r in runs
            if r["per_core_capacity"]
        )
        + " at full use, so twice that with headroom (one `pathways serve` process per core; "
        "PostgreSQL beyond one machine's cores, since SQLite takes one writer at a time).",
        "",
    ]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Replace (or append) this benchmark's '## ' section, leaving the others as they are."""
    text = path.read_text()
    heading = section.splitlines()[0]
    start = text.find(heading + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + ("" if end < 0 else text[end + 1 :])
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=150.0, help="submissions per second")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--max-in-flight", type=int, default=256)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--in-process-runs", type=int, default=200, help="submissions timed without the network"
    )
    parser.add_argument("--out", type=Path, help="append the JSON summary to this file")
    parser.add_argument("--report", type=Path, help="write BENCHMARKS.md from these summaries")
    parser.add_argument("--command", default="scripts/run-benchmarks.sh load")
    args = parser.parse_args()
    if args.report:
        write_section(ROOT / "BENCHMARKS.md", report(args.report, args.command))
        return
    summary = run(args)
    print(json.dumps(summary))
    if args.out:
        with args.out.open("a") as handle:
            handle.write(json.dumps(summary) + "\n")
    sys.exit(0 if summary["data_ok"] else 1)


if __name__ == "__main__":
    main()
