"""`pathways xapi ...`: connect a district's learning record store, test it, send the outbox.

``pathways xapi flush`` is meant for cron or a systemd timer (every few minutes): it sends what
is due, retries failures later with backoff, and exits 1 when something failed, so the timer's
log shows it.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click


def _district(key: str):  # type: ignore[no-untyped-def]
    from pathways.apps.xapi.queries import district_named

    district = district_named(key)
    if district is None:
        raise click.BadParameter(
            f"no district with sourcedId or name {key!r}", param_hint="DISTRICT"
        )
    return district


@click.group()
def xapi() -> None:
    """xAPI: send evidence to a learning record store (LRS)."""


@xapi.command("connect")
@click.argument("district")
@click.option("--endpoint", required=True, help="The LRS's xAPI endpoint, e.g. https://lrs/xAPI/")
@click.option("--key", required=True, help="Basic-auth key (user) the LRS issued")
@click.option(
    "--secret-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="File holding the secret (instead of the PATHWAYS_LRS_SECRET environment variable)",
)
@click.option(
    "--home-page",
    required=True,
    help="This Pathways site's address, e.g. https://pathways.district.org",
)
@click.option("--batch-size", default=50, show_default=True, help="Statements per request")
def connect(
    district: str,
    endpoint: str,
    key: str,
    secret_file: Path | None,
    home_page: str,
    batch_size: int,
) -> None:
    """Connect DISTRICT (sourcedId or name) to an LRS; the secret is stored encrypted."""
    from pathways.cli.site import setup_django

    setup_django()
    from pathways.apps.xapi import services
    from pathways.config import env

    secret = (secret_file.read_text() if secret_file else env.text("PATHWAYS_LRS_SECRET")).strip()
    if not secret:
        raise click.UsageError("no secret: set PATHWAYS_LRS_SECRET or pass --secret-file")
    try:
        connection = services.connect(
            _district(district),
            endpoint=endpoint,
            key=key,
            secret=secret,
            home_page=home_page,
            batch_size=batch_size,
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"connected: {connection}")
    click.echo("next: `pathways xapi test DISTRICT`, then schedule `pathways xapi flush`")


@xapi.command("test")
@click.argument("district")
def test(district: str) -> None:
    """Check that the LRS answers and accepts our credentials (GET /about, then /statements)."""
    from pathways.cli.site import setup_django

    setup_django()
    from pathways.apps.xapi import queries, services
    from pathways.interop.xapi import LrsError

    connection = queries.connection_of(_district(district))
    if connection is None:
        raise click.UsageError("this district has no LRS; run `pathways xapi connect` first")
    client = services.client_for(connection)
    try:
        about = client.about()
        probe = client.get_statement("00000000-0000-4000-8000-000000000000")
    except LrsError as error:
        click.echo(f"cannot reach the LRS: {error}", err=True)
        sys.exit(1)
    click.echo(f"GET about: {about.status} {about.body[:200]}")
    if probe.status in (401, 403):
        click.echo(f"the LRS refused the key and secret (HTTP {probe.status})", err=True)
        sys.exit(1)
    click.echo(f"credentials accepted (a lookup of an unknown statement answered {probe.status})")


@xapi.command("flush")
@click.option("--limit", type=int, default=None, help="Send at most this many statements")
def flush(limit: int | None) -> None:
    """Send due statements to every connected LRS (batches, retries with backoff)."""
    from pathways.cli.site import setup_django

    setup_django()
    from pathways.apps.xapi import services

    report = services.flush(limit=limit)
    for line in report.lines():
        click.echo(line)
    if report.failed:
        sys.exit(1)


@xapi.command("backfill")
@click.argument("district")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="YYYY-MM-DD")
def backfill(district: str, since: datetime | None) -> None:
    """Queue DISTRICT's evidence recorded before it was connected (or since a date)."""
    from pathways.cli.site import setup_django

    setup_django()
    from django.utils import timezone

    from pathways.apps.xapi import services

    moment = timezone.make_aware(since) if since else None
    try:
        queued = services.backfill(_district(district), since=moment)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"queued {queued} statements; `pathways xapi flush` sends them")


@xapi.command("status")
def status() -> None:
    """What the outbox holds per LRS: sent, waiting, failing, oldest waiting."""
    from pathways.cli.site import setup_django

    setup_django()
    from pathways.apps.xapi.queries import outbox_summary

    rows = outbox_summary()
    if not rows:
        click.echo("the outbox is empty")
    for row in rows:
        click.echo(
            f"{row['connection__district__name']} -> {row['connection__endpoint']}: "
            f"{row['sent']} sent, {row['waiting']} waiting ({row['failing']} failing), "
            f"oldest waiting since {row['oldest'] or '-'}"
        )
