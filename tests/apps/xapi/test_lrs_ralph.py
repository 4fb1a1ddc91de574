"""A real LRS: Ralph (ralph-malph from PyPI, file backend) on loopback, in its own .venv-lrs.

The outbox is flushed to it over HTTP with basic auth; every statement read back by id is the
statement sent (ids, verbs, results, actors); sending again is harmless (Ralph answers 204 for
statements it already holds, and the outbox counts them delivered).

Ralph 5.1's file backend writes its statements file once (a second write of new statements
fails with 500 "bulk indexation failed"), so each test writes once, with its own LRS user
whose statements go to their own file; batching is tested against a scripted LRS in
test_outbox.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pathways.apps.evidence.models import Evidence
from pathways.apps.evidence.services import record_evidence
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.roster.models import Membership
from pathways.apps.xapi import services
from pathways.apps.xapi.models import OutboxEntry
from pathways.apps.xapi.statements import statement_for
from pathways.interop.xapi import LrsClient, LrsError, same_statement

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("ralph")]

REPO = Path(__file__).resolve().parents[3]
RALPH = REPO / ".venv-lrs" / "bin" / "ralph"
KEY, SECRET = "pathways-test", "a-long-test-secret"
CLI_KEY = "pathways-cli"
HOME = "https://pathways.riverbend.example"


def _ralph() -> Path:
    """The Ralph executable, installing .venv-lrs first when it is missing."""
    if not RALPH.exists():
        setup = subprocess.run(
            [str(REPO / "scripts/ensure-lrs-venv.sh")], capture_output=True, text=True, check=False
        )
        if not RALPH.exists():
            pytest.skip(
                "the Ralph LRS virtualenv could not be created by scripts/ensure-lrs-venv.sh "
                f"(needs PyPI): {setup.stderr.strip()[-400:]}"
            )
    return RALPH


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ralph = _ralph()
    home = tmp_path_factory.mktemp("ralph")
    env = {
        **os.environ,
        "RALPH_AUTH_FILE": str(home / "auth.json"),
        "RALPH_APP_DIR": str(home / "app"),
        "RALPH_RUNSERVER_BACKEND": "fs",
    }
    (home / "cli").mkdir()
    for user, target in ((KEY, []), (CLI_KEY, ["-t", str(home / "cli")])):  # a file each
        subprocess.run(
            [str(ralph), "auth", "-u", user, "-p", SECRET, "-s", "all",
             "-A", user, "https://pathways.test", "-w", *target],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
    port = _free_port()
    log = (home / "server.log").open("w")
    (home / "cwd").mkdir()  # runserver reloads on file changes under its working directory
    server = subprocess.Popen(
        [str(ralph), "runserver", "-b", "fs", "-h", "127.0.0.1", "-p", str(port),
         "--fs-default-directory-path", str(home / "data")],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=home / "cwd",
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}/xAPI/"
    client = LrsClient(endpoint, KEY, SECRET, timeout=5)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if client.get_statement(str(uuid.uuid4())).status in (200, 404):
                    break
            except LrsError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Ralph did not start: {(home / 'server.log').read_text()[-2000:]}")
            time.sleep(0.5)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _fetch(client: LrsClient, statement_id: str) -> dict:
    reply = client.get_statement(statement_id)
    assert reply.status == 200, reply.body
    body = reply.json()
    return body["statements"][0] if "statements" in body else body


def test_flushed_statements_read_back_identical_from_ralph(person, lrs: str) -> None:
    teacher, student = person("teacher1"), person("student1")
    district = Membership.objects.filter(user=student, active=True).first().district
    connection = services.connect(
        district, endpoint=lrs, key=KEY, secret=SECRET, home_page=HOME, batch_size=50
    )
    standards = student_course_standards(student)
    recorded = [
        record_evidence(teacher, evidence_id=uuid.uuid4(), student=student, standard=standards[0],
                        kind=Evidence.Kind.EXIT_TICKET, correct=True),
        record_evidence(teacher, evidence_id=uuid.uuid4(), student=student, standard=standards[1],
                        kind=Evidence.Kind.EXIT_TICKET, correct=False),
        record_evidence(teacher, evidence_id=uuid.uuid4(), student=student, standard=standards[2],
                        kind=Evidence.Kind.RUBRIC, rubric_level=4),
    ]  # fmt: skip
    evidence = [r.evidence for r in recorded]
    report = services.flush()
    assert report.failed == 0, report.errors
    assert report.sent == 3
    client = LrsClient(lrs, KEY, SECRET)
    for row in evidence:
        sent = statement_for(row, connection)
        held = _fetch(client, str(row.pk))
        assert held["id"] == str(row.pk)
        assert held["verb"] == sent["verb"]
        assert held["result"] == sent["result"]
        assert held["actor"] == sent["actor"]
        assert held["object"] == sent["object"]
        assert same_statement(held, sent), (held, sent)
    assert _fetch(client, str(evidence[2].pk))["result"]["score"]["raw"] == 4
    assert _fetch(client, str(evidence[1].pk))["result"]["success"] is False

    # A retry after a lost reply sends the same statements again: harmless, counted delivered.
    OutboxEntry.objects.filter(evidence__in=evidence).update(sent_at=None)
    again = services.flush()
    assert (again.sent, again.already_there, again.failed) == (0, 3, 0)


def test_wrong_credentials_are_recorded_as_a_failure(person, lrs: str) -> None:
    teacher, student = person("teacher1"), person("student1")
    district = Membership.objects.filter(user=student, active=True).first().district
    services.connect(district, endpoint=lrs, key=KEY, secret="wrong", home_page=HOME)
    result = record_evidence(
        teacher,
        evidence_id=uuid.uuid4(),
        student=student,
        standard=student_course_standards(student)[0],
        kind=Evidence.Kind.EXIT_TICKET,
        correct=True,
    )
    report = services.flush()
    assert report.failed == 1
    entry = OutboxEntry.objects.get(evidence=result.evidence)
    assert entry.sent_at is None
    assert entry.last_error.startswith("LRS answered 401")


def test_the_documented_cli_steps_against_ralph(person, lrs: str, tmp_path: Path) -> None:
    """connect (secret from a file) -> test -> backfill -> flush -> status, as in
    docs/integrations.md."""
    from click.testing import CliRunner

    from pathways.cli.main import cli

    teacher, student = person("teacher1"), person("student1")
    district = Membership.objects.filter(user=student, active=True).first().district
    earlier = record_evidence(
        teacher,
        evidence_id=uuid.uuid4(),
        student=student,
        standard=student_course_standards(student)[0],
        kind=Evidence.Kind.EXIT_TICKET,
        correct=True,
    ).evidence
    secret = tmp_path / "lrs-secret"
    secret.write_text(SECRET + "\n")
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli, ["xapi", *args])
        return result.exit_code, result.output

    code, out = run("connect", district.name, "--endpoint", lrs, "--key", CLI_KEY,
                    "--secret-file", str(secret), "--home-page", HOME,
                    "--batch-size", "500")  # fmt: skip
    assert code == 0, out
    assert "connected" in out
    code, out = run("test", district.name)
    assert code == 0, out
    assert "credentials accepted" in out
    # Only today's evidence (the demo's history is older), so Ralph gets one batch.
    code, out = run("backfill", district.name, "--since", f"{earlier.occurred_at:%Y-%m-%d}")
    assert code == 0, out
    assert out.startswith("queued ")
    assert OutboxEntry.objects.filter(evidence=earlier).exists()
    code, out = run("flush")
    assert code == 0, out
    assert "failed 0" in out
    assert OutboxEntry.objects.filter(sent_at__isnull=True).count() == 0
    assert _fetch(LrsClient(lrs, CLI_KEY, SECRET), str(earlier.pk))["id"] == str(earlier.pk)
    code, out = run("status")
    assert code == 0
    assert "0 waiting (0 failing)" in out

    secret.write_text("not the secret")
    assert run("connect", district.name, "--endpoint", lrs, "--key", CLI_KEY,
               "--secret-file", str(secret), "--home-page", HOME)[0] == 0  # fmt: skip
    code, out = run("test", district.name)
    assert code == 1
    assert "refused the key and secret (HTTP 401)" in out
