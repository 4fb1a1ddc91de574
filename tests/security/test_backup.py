"""`pathways backup` then `pathways restore`: a round trip brings back exactly what was saved.

Runs the real commands against a scratch database (SQLite in a temporary folder; on the
PostgreSQL run, the cluster DATABASE_URL points at, through pg_dump/pg_restore).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("crash")

COUNT = (
    "import django; django.setup(); from pathways.apps.accounts.models import User; "
    "print(User.objects.filter(username__startswith='backup-probe').count())"
)


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pathways.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _python(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _own_postgres_database(env: dict[str, str], name: str) -> None:
    """A fresh database on the test run's PostgreSQL server, so the restore touches nothing else."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    url = urlsplit(env["DATABASE_URL"])
    with psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATHWAYS_VAR_DIR": str(tmp_path),
        "PATHWAYS_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_SETTINGS_MODULE": "pathways.config.settings",
    }
    env.setdefault("DATABASE_URL", "")
    if env["DATABASE_URL"].startswith("postgres"):
        _own_postgres_database(env, "pathways_backup")
    _run(env, "migrate")
    make = (
        "import django; django.setup(); from pathways.apps.accounts.models import User; "
        "User.objects.filter(username__startswith='backup-probe').delete(); "
        "[User.objects.create(username=f'backup-probe-{i}') for i in range(3)]"
    )
    _python(env, make)
    assert _python(env, COUNT) == "3"
    archive = tmp_path / "pathways.backup"
    assert "backed up" in _run(env, "backup", str(archive))
    assert archive.stat().st_size > 0
    _python(
        env,
        "import django; django.setup(); from pathways.apps.accounts.models import User; "
        "User.objects.filter(username__startswith='backup-probe').delete(); "
        "User.objects.create(username='backup-probe-after')",
    )
    assert _python(env, COUNT) == "1"
    refused = subprocess.run(
        [sys.executable, "-m", "pathways.cli.main", "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2  # without --yes nothing is replaced
    _run(env, "restore", str(archive), "--yes")
    assert _python(env, COUNT) == "3"
    names = _python(
        env,
        "import django; django.setup(); from pathways.apps.accounts.models import User; "
        "print(sorted(User.objects.filter(username__startswith='backup-probe')"
        ".values_list('username', flat=True)))",
    )
    assert "backup-probe-after" not in names
