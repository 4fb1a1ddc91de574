"""`pathways backup FILE` and `pathways restore FILE`: the whole database, consistent, online.

SQLite: the online backup API (a consistent copy while the server keeps writing), checked with
``PRAGMA integrity_check`` before it is kept and before it is restored. PostgreSQL: ``pg_dump``
in the custom format and ``pg_restore --clean``. Restoring replaces every table's content: stop
the server first.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click

from pathways.cli.site import setup_django


def _database() -> dict[str, object]:
    setup_django()
    from django.conf import settings

    database: dict[str, object] = dict(settings.DATABASES["default"])
    return database


def _check_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        click.echo(f"error: {path} fails its integrity check: {result}", err=True)
        sys.exit(1)


def _pg_url(database: dict[str, object]) -> str:
    from django.db import connection

    params = connection.get_connection_params()
    host = params.get("host") or ""
    parts = [f"dbname={params.get('dbname') or database['NAME']}"]
    for key in ("user", "password", "port"):
        if params.get(key):
            parts.append(f"{key}={params[key]}")
    if host:
        parts.append(f"host={host}")
    return " ".join(parts)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        click.echo(f"error: {name} not found (install the PostgreSQL client)", err=True)
        sys.exit(1)
    return str(candidates[-1])


@click.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup(target: Path) -> None:
    """Write a consistent copy of the database to TARGET (works while the server runs)."""
    database = _database()
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        partial = target.with_name(target.name + ".partial")
        with sqlite3.connect(str(database["NAME"])) as source, sqlite3.connect(partial) as copy:
            source.backup(copy)
        _check_sqlite(partial)
        partial.replace(target)
    else:
        subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(target),
                _pg_url(database),
            ],
            check=True,
        )
    click.echo(f"backed up to {target} ({target.stat().st_size} bytes)")


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the current database (stop the server first)")
def restore(source: Path, yes: bool) -> None:
    """Replace the database's content with the backup SOURCE.

    Stop `pathways serve` first: its processes keep database connections open between requests,
    and a request served during the restore could write into the half-restored database.
    """
    if not yes:
        click.echo("error: restoring replaces every record: add --yes", err=True)
        sys.exit(2)
    database = _database()
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        _check_sqlite(source)
        with sqlite3.connect(source) as backup_copy, sqlite3.connect(str(database["NAME"])) as live:
            backup_copy.backup(live)
        _check_sqlite(Path(str(database["NAME"])))
    else:
        subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _pg_url(database),
                str(source),
            ],
            check=True,
        )
    click.echo(f"restored from {source}")
