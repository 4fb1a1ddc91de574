"""``pathways import`` and ``pathways export``: CASE standards and OneRoster rosters in and out,
QTI 3 items in.

Bad input exits with status 2 and every problem on standard error as ``file:line: column: reason``;
nothing is written then. Django starts inside each command, never when this module is imported.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pathways.cli.site import setup_django
from pathways.engines.errors import InputError, InputErrors

__all__ = ["export_group", "import_group"]

EXIT_BAD_INPUT = 2
F = TypeVar("F", bound=Callable[..., Any])


def _reports_input_errors(func: F) -> F:
    """Print every InputError (not only the first) on stderr and exit with status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as error:
            problems = error.errors if isinstance(error, InputErrors) else [error]
            click.echo(f"error: {len(problems)} problem(s); nothing was written", err=True)
            for problem in problems:
                click.echo(InputError.__str__(problem), err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def _say(message: str) -> None:
    click.echo(f"... {message}", err=True)


def _print_report(lines: list[str], dry_run: bool) -> None:
    for line in lines:
        click.echo(line)
    if dry_run:
        click.echo("dry run: validated only, nothing was written")


@click.group("import")
def import_group() -> None:
    """Import standards (CASE JSON), rosters (OneRoster CSV) and items (QTI 3)."""


@import_group.command("case")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@_reports_input_errors
def import_case_command(file: Path, dry_run: bool) -> None:
    """Import a CASE 1.0 CFPackage (re-importing updates, never duplicates)."""
    from pathways.interop.case import read_case

    package = read_case(file)
    setup_django()
    from pathways.apps.standards.importers import import_case

    report = import_case(package, source=str(file), dry_run=dry_run)
    _print_report(report.lines(), dry_run)


@import_group.command("oneroster")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate against the database; write nothing.")
@_reports_input_errors
def import_oneroster_command(path: Path, dry_run: bool) -> None:
    """Import a OneRoster 1.1/1.2 CSV set (bulk or delta) from a folder or a zip."""
    setup_django()
    from pathways.apps.roster.importers import import_oneroster, known_ids
    from pathways.interop.oneroster import read_oneroster

    _say(f"reading {path}")
    package = read_oneroster(path, known=known_ids())
    report = import_oneroster(package, dry_run=dry_run, progress=_say)
    _print_report(report.lines(), dry_run)


@import_group.command("qti")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--standard",
    "standard_code",
    default="",
    help="Standard code for items the package does not align (e.g. 4.NF.A.1).",
)
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@_reports_input_errors
def import_qti_command(path: Path, standard_code: str, dry_run: bool) -> None:
    """Import QTI 3 items (package folder, zip or one item file) into the item bank.

    Choice, text-entry and extended-text interactions are imported (re-importing updates by
    item identifier); every other interaction is reported by name and not imported.
    """
    from pathways.interop.qti import read_qti

    _say(f"reading {path}")
    package = read_qti(path)
    setup_django()
    from pathways.apps.activities.importers import import_qti
    from pathways.apps.standards.queries import standard_by_code

    default = None
    if standard_code:
        default = standard_by_code(standard_code)
        if default is None:
            raise InputError("--standard", f"no standard with code {standard_code!r}")
    report = import_qti(package, default=default, dry_run=dry_run)
    _print_report(report.lines(), dry_run)


@click.group("export")
def export_group() -> None:
    """Export standards (CASE JSON) and rosters (OneRoster 1.2 CSV)."""


@export_group.command("case")
@click.argument("framework")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, dir_okay=False))
@_reports_input_errors
def export_case_command(framework: str, out: Path) -> None:
    """Write FRAMEWORK (its CASE identifier or exact title) as a CASE 1.0 CFPackage."""
    setup_django()
    from django.db.models import Q

    from pathways.apps.standards.importers import export_case
    from pathways.apps.standards.models import Framework
    from pathways.interop.case import dump_case

    found = list(Framework.objects.filter(Q(identifier=framework) | Q(title=framework))[:2])
    if len(found) != 1:
        known = ", ".join(f"{f.title!r} ({f.identifier})" for f in Framework.objects.all()[:20])
        reason = "names several frameworks" if found else "is not a framework"
        raise InputError(framework, f"{reason}; known: {known or 'none'}")
    data = dump_case(export_case(found[0]))
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(
        f"wrote {out}: {len(data['CFItems'])} items, {len(data['CFAssociations'])} associations"
    )


@export_group.command("oneroster")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--district", "districts", multiple=True, help="sourcedId of a district (repeatable)."
)
@_reports_input_errors
def export_oneroster_command(folder: Path, districts: tuple[str, ...]) -> None:
    """Write the roster (all districts, or those named) as a OneRoster 1.2 bulk CSV set."""
    setup_django()
    from pathways.apps.roster.exporters import export_oneroster
    from pathways.apps.roster.models import District
    from pathways.interop.oneroster import write_oneroster

    chosen = None
    if districts:
        chosen = list(District.objects.filter(sourced_id__in=districts))
        missing = set(districts) - {d.sourced_id for d in chosen}
        if missing:
            raise InputError(
                "--district", f"unknown district sourcedId(s): {', '.join(sorted(missing))}"
            )
    package = export_oneroster(chosen)
    written = write_oneroster(package, folder)
    click.echo(
        f"wrote {len(written)} files to {folder}: {len(package.users)} users, "
        f"{len(package.classes)} classes, {len(package.enrollments)} enrollments"
    )
