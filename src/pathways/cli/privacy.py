"""`pathways privacy export|delete|purge|retention`: one student's data out, or gone.

The registry of what is student data and how it leaves is ``pathways.apps.access.privacy``.
Only the server's operators run these commands (they read the database directly); each deletion
is written to the access log.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pathways.cli.site import setup_django


@click.group()
def privacy() -> None:
    """Export or delete one student's data; apply districts' retention policies."""


def _student(ref: str) -> object:
    from pathways.apps.access import privacy as registry

    student = registry.find_student(ref)
    if student is None:
        click.echo(f"error: no student {ref!r}", err=True)
        sys.exit(2)
    return student


@privacy.command("export")
@click.argument("student")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="File (default: stdout)"
)
def export(student: str, out: Path | None) -> None:
    """Write all of STUDENT's data (username or id), their own work included, as JSON."""
    setup_django()
    from django.core.serializers.json import DjangoJSONEncoder

    from pathways.apps.access import privacy as registry
    from pathways.apps.accounts.models import User

    person = _student(student)
    assert isinstance(person, User)
    text = json.dumps(registry.export_student(person), cls=DjangoJSONEncoder, indent=1)
    if out is None:
        click.echo(text)
    else:
        out.write_text(text + "\n")
        click.echo(f"wrote {out}", err=True)


@privacy.command("delete")
@click.argument("student")
@click.option("--reason", default="request", show_default=True, help="Recorded in the access log")
@click.option("--yes", is_flag=True, help="Do it (without it, only say what would go)")
def delete(student: str, reason: str, yes: bool) -> None:
    """Remove STUDENT's data everywhere (others untouched); the deletion is audited."""
    setup_django()
    from pathways.apps.access import privacy as registry
    from pathways.apps.accounts.models import User

    person = _student(student)
    assert isinstance(person, User)
    if not yes:
        counts = {k: len(v) for k, v in registry.export_student(person)["records"].items()}
        click.echo(json.dumps({"would_delete": counts, "student": person.pk}, indent=1))
        click.echo("nothing deleted: add --yes", err=True)
        return
    done = registry.delete_student(person, operator=None, reason=reason)
    click.echo(json.dumps({"deleted": done.counts, "student": done.student_id}, indent=1))


@privacy.command("purge")
def purge() -> None:
    """Delete what every district's retention policy says has expired."""
    setup_django()
    from pathways.apps.access import privacy as registry

    click.echo(json.dumps({"purged": registry.purge_expired()}, indent=1))


@privacy.command("retention")
@click.argument("district", type=int)
@click.option("--keep-days", type=click.IntRange(1), required=True, help="Evidence kept (days)")
@click.option(
    "--log-keep-days", type=click.IntRange(1), required=True, help="Access log kept (days)"
)
def retention(district: int, keep_days: int, log_keep_days: int) -> None:
    """Set DISTRICT's (id) retention policy."""
    setup_django()
    from pathways.apps.access import privacy as registry

    policy = registry.set_retention(district, keep_days=keep_days, log_keep_days=log_keep_days)
    click.echo(f"district {policy.district_id}: keep {keep_days} days, log {log_keep_days} days")
