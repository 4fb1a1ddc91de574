"""`pathways tomorrow`: run the daily loop (exit tickets -> mastery -> schedules) now."""

from __future__ import annotations

import datetime

import click


@click.command()
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pretend today is this date (default: today); schedules the next school day.",
)
@click.option(
    "--time-limit", type=float, default=10.0, show_default=True, help="Solver seconds per school."
)
def tomorrow(today: datetime.datetime | None, time_limit: float) -> None:
    """Build tomorrow's draft schedule for every school with blocks set up."""
    from pathways.cli.site import setup_django

    setup_django()
    from pathways.jobs.tomorrow import run

    results = run(
        today=today.date() if today else None,
        time_limit=time_limit,
        say=lambda text: click.echo(text, err=True),
    )
    failed = 0
    for r in results:
        if r.status == "built":
            gap = f", gap {100 * max(r.gap, 0.0):.2f}%" if r.gap is not None else ""
            click.echo(
                f"{r.school} {r.day}: {r.students} students, objective {r.objective:.1f}"
                f"{gap}, {r.seconds:.1f} s"
            )
        else:
            failed += r.status == "failed"
            click.echo(f"{r.school} {r.day}: {r.status}{': ' + r.reason if r.reason else ''}")
    if failed:
        raise SystemExit(1)
