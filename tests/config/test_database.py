"""DATABASE_URL picks the database; the default SQLite file runs in WAL mode."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection


@pytest.mark.django_db
def test_tests_run_on_the_database_that_database_url_names() -> None:
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_default_database_is_a_sqlite_file_in_wal_mode(tmp_path: Path) -> None:
    env = {**os.environ, "PATHWAYS_VAR_DIR": str(tmp_path), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "pathways.cli.main", "migrate"],
        env=env,
        check=True,
        capture_output=True,
    )
    database = tmp_path / "pathways.sqlite3"
    assert database.exists()
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
