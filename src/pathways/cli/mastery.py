"""`pathways mastery fit|predict|evaluate`: the mastery engine on response files, no database.

The contract is ``specs/mastery-cli.md``. Bad input exits with status 2 and ``file:line: reason``
on standard error, and nothing is written; progress goes to standard error.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
import numpy as np

from pathways.cli._progress import progress
from pathways.cli.recalibrate import recalibrate
from pathways.engines.errors import InputError
from pathways.engines.tracing import (
    DEFAULT_MODEL,
    FORMATS,
    MODELS,
    ResponseLog,
    crossvalidate,
    load_model,
    make_model,
    read_log,
    save_model,
)

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BAD_INPUT = 2


def _reports_input_errors(func: F) -> F:
    """Turn an InputError into ``file:line: reason`` on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def _stages(names: list[str]) -> Iterator[str]:
    yield from progress(names, label="mastery")


def _read(path: str, fmt: str, columns: str | None) -> ResponseLog:
    return read_log(path, format=fmt, columns=columns, source=path)


def _write_atomically(path: Path, write: Callable[[io.TextIOBase], None]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


responses_option = click.option(
    "--responses",
    "responses",
    required=True,
    type=click.Path(dir_okay=False),
    help="Responses file (canonical CSV unless --format says otherwise).",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="csv",
    show_default=True,
    help="csv (canonical), dkt (3-line), akt (4-line with problem ids) or pykt (sequence CSV).",
)
map_option = click.option(
    "--map",
    "columns",
    default=None,
    metavar="NAME=COLUMN,...",
    help="Rename columns, e.g. student_id=user_id,skill_id=skill_name,order=order_id.",
)
seed_option = click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
model_choice = click.Choice(list(MODELS))


@click.group()
def mastery() -> None:
    """Fit, apply and evaluate knowledge-tracing models on response logs."""


@mastery.command()
@responses_option
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Model JSON to write.")
@click.option("--model", "model_name", type=model_choice, default=DEFAULT_MODEL, show_default=True)
@seed_option
@format_option
@map_option
@_reports_input_errors
def fit(
    responses: str, out: str, model_name: str, seed: int, fmt: str, columns: str | None
) -> None:
    """Fit a model on RESPONSES and write its parameters as JSON."""
    model = make_model(model_name, random_state=seed)
    log: ResponseLog | None = None
    for stage in _stages(["read", "fit", "write"]):
        if stage == "read":
            log = _read(responses, fmt, columns)
        elif stage == "fit" and log is not None:
            model.fit(log)
        elif stage == "write":
            save_model(model, out)
    assert log is not None
    click.echo(
        f"fitted {model_name} on {len(log)} responses, {log.n_students} students, "
        f"{log.n_skills} skills -> {out}",
        err=True,
    )


@mastery.command()
@click.option(
    "--model", "model_path", required=True, type=click.Path(dir_okay=False), help="Model JSON."
)
@responses_option
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False), help="Predictions CSV to write."
)
@format_option
@map_option
@_reports_input_errors
def predict(model_path: str, responses: str, out: str, fmt: str, columns: str | None) -> None:
    """Write RESPONSES with p_correct and p_mastery added, one row per input row, in input order.

    p_correct uses only the same student's earlier rows; p_mastery is after the row.
    """
    model = load_model(model_path)
    log = _read(responses, fmt, columns)
    trace = model.trace(log)
    n = len(log)
    p_correct = np.empty(n)
    p_mastery = np.empty(n)
    p_correct[log.source_row] = trace.p_correct
    p_mastery[log.source_row] = trace.p_mastery
    if fmt == "csv":
        header, rows = _input_rows(responses)
    else:
        header, rows = _canonical_rows(log)
    if len(rows) != n:  # pragma: no cover - the reader and this re-read skip the same lines
        raise InputError(responses, f"read {n} responses but {len(rows)} rows")

    def write(handle: io.TextIOBase) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*header, "p_correct", "p_mastery"])
        for i in progress(range(n), label="writing", length=n):
            writer.writerow([*rows[i], f"{p_correct[i]:.6f}", f"{p_mastery[i]:.6f}"])

    _write_atomically(Path(out), write)


def _input_rows(path: str) -> tuple[list[str], list[list[str]]]:
    """The CSV's header and data rows, skipping blank lines as the reader does."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [r for r in reader if r and not (len(r) == 1 and not r[0].strip())]
    return header, rows


def _canonical_rows(log: ResponseLog) -> tuple[list[str], list[list[str]]]:
    """Research formats have no columns to copy: write the canonical ones, in input order."""
    header = ["student_id", "skill_id", "correct", "order"]
    if log.has_items:
        header.append("item_id")
    rows: list[list[str]] = [[] for _ in range(len(log))]
    for i in range(len(log)):
        row = [
            log.student_ids[log.student[i]],
            log.skill_ids[log.skill[i]],
            str(int(log.correct[i])),
            str(int(log.source_row[i])),
        ]
        if log.has_items:
            row.append(log.item_ids[log.item[i]] if log.item[i] >= 0 else "")
        rows[int(log.source_row[i])] = row
    return header, rows


@mastery.command()
@responses_option
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@seed_option
@click.option("--model", "model_name", type=model_choice, default=DEFAULT_MODEL, show_default=True)
@format_option
@map_option
@_reports_input_errors
def evaluate(
    responses: str, folds: int, seed: int, model_name: str, fmt: str, columns: str | None
) -> None:
    """Student-level cross-validation: AUC, RMSE, log loss, calibration error, fit/predict time."""
    log = _read(responses, fmt, columns)
    if log.n_students < folds:
        raise InputError(responses, f"{log.n_students} students cannot fill {folds} folds")
    model = make_model(model_name, random_state=seed)
    started = time.perf_counter()
    bar = iter(progress(range(folds), label=f"evaluating {model_name}", length=folds))

    def advance(_: int) -> None:
        next(bar, None)

    result = crossvalidate(model, log, n_folds=folds, random_state=seed, on_fold=advance)
    for _ in bar:
        pass
    mean = result.mean()
    click.echo(f"model            {model_name}")
    click.echo(f"responses        {len(log)} ({log.n_students} students, {log.n_skills} skills)")
    click.echo(f"folds            {folds} (student-level, seed {seed})")
    for key in ("auc", "rmse", "log_loss", "calibration_error"):
        click.echo(f"{key:<16} {mean[key]:.4f}")
    click.echo(f"fit_seconds      {mean['fit_seconds']:.2f} per fold")
    click.echo(f"predict_seconds  {mean['predict_seconds']:.2f} per fold")
    click.echo(f"total_seconds    {time.perf_counter() - started:.2f}")


# Refitting from the platform's own evidence needs the database; it lives in its own module and
# sets Django up only when run, so the engine commands above stay Django-free.
mastery.add_command(recalibrate)
