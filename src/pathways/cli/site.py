"""Commands that run the platform itself: configuration, database, demo district, web server.

Django is set up inside each command, never at import time, so `pathways --help` and the engine
commands stay fast and work without a database.
"""

from __future__ import annotations

import os
import sys

import click


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.config.settings")
    import django

    django.setup()


def _django_command(*args: str) -> None:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pathways manage", *args])


@click.group()
def config() -> None:
    """Show the configuration (every environment variable Pathways reads)."""


@config.command("show")
def config_show() -> None:
    """Print each variable with its current value, default and meaning."""
    from pathways.config import env

    for variable in env.VARIABLES:
        shown = env.raw(variable.name)
        if "SECRET" in variable.name or ("DATABASE_URL" in variable.name and "@" in shown):
            shown = "(set)" if shown else "(empty)"
        click.echo(f"{variable.name}={shown}")
        click.echo(f"    {variable.kind}, default {variable.default!r}: {variable.description}")


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `pathways manage createsuperuser`."""
    _django_command(*args)


@click.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    _django_command("migrate", "--no-input", "-v", "1")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="Processes: one per core.")
@click.option(
    "--threads",
    type=int,
    default=None,
    help="Threads per process (default PATHWAYS_THREADS); PATHWAYS_MAX_IN_FLIGHT of them work "
    "at once, the others wait for a slot or answer 429.",
)
def serve(host: str, port: int, workers: int, threads: int | None) -> None:
    """Serve with gunicorn, production-style: no debug pages, static files via WhiteNoise.

    gthread workers: each process takes connections as they come and works on a few requests
    at a time, so past capacity the load-shedding middleware answers 429 quickly instead of
    connections queueing unseen in the kernel (a sync worker takes one at a time).
    """
    from pathways.config import env

    setup_django()
    os.execvp(  # noqa: S606 - replaces this process with gunicorn, fixed arguments
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pathways.config.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "pathways.config.worker.Worker",
            "--threads",
            str(threads or env.number("PATHWAYS_THREADS")),
            "--access-logfile",
            "-",
        ],
    )


@click.group()
def demo() -> None:
    """The demo district: ~300 students in grades 4-6 with a history of work."""


@demo.command("load")
@click.option(
    "--reset/--keep",
    default=True,
    show_default=True,
    help="Replace an existing demo district (--keep leaves it if present).",
)
def demo_load(reset: bool) -> None:
    """Build the demo district (deterministic) and print the demo sign-ins."""
    setup_django()
    from pathways.demo.district import DEMO_PASSWORD, build_demo_district, demo_accounts

    summary = build_demo_district(reset=reset, progress=True)
    click.echo(summary.describe())
    click.echo(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
    for username, description in demo_accounts():
        click.echo(f"  {username:<12} {description}")


@click.command()
def openapi() -> None:
    """Print the API's OpenAPI document (committed as docs/api/openapi.json)."""
    import json

    setup_django()
    from pathways.api.urls import api

    click.echo(json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True))
