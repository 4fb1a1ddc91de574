"""`pathways mastery recalibrate`: refit parameters from the platform's own evidence."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

import click

from pathways.cli._progress import progress

T = TypeVar("T")


@click.command("recalibrate")
@click.option(
    "--dask-scheduler",
    "scheduler",
    default=None,
    metavar="ADDRESS",
    help="Fit on a Dask cluster (e.g. tcp://10.0.0.5:8786) instead of this process.",
)
@click.option(
    "--min-responses", default=30, show_default=True, help="Per standard, to be refitted."
)
@click.option("--seed", default=0, show_default=True, type=int)
def recalibrate(scheduler: str | None, min_responses: int, seed: int) -> None:
    """Refit every standard's parameters from the district's evidence, then replay mastery."""
    from pathways.cli.site import setup_django

    setup_django()
    from pathways.jobs.executors import DaskExecutor, Executor, LocalExecutor
    from pathways.jobs.recalibrate import recalibrate as run

    executor: Executor = DaskExecutor(scheduler) if scheduler else LocalExecutor()

    def bar(results: Iterable[T], total: int) -> Iterator[T]:
        return progress(results, label="Fitting standards", length=total)

    report = run(executor=executor, min_responses=min_responses, progress=bar, seed=seed)
    auc = f"{report.auc:.3f}" if report.auc is not None else "n/a"
    click.echo(
        f"Recalibrated {report.n_skills} standards from {report.n_responses} responses of "
        f"{report.n_students} students on {report.executor}: in-sample AUC {auc}."
    )
