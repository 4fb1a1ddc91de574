"""``pathways schedule``: solve, check and bound a school day, and generate test days (no Django).

Exit status: 0 on success, 1 when a schedule is infeasible (``check``) or no schedule exists
(``solve``), 2 when a file cannot be read or parsed (``file: reason``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pathways.cli._progress import progress
from pathways.engines.errors import InputError
from pathways.engines.scheduling import (
    InfeasibleInstanceError,
    Instance,
    Schedule,
    check_feasible,
    dump_instance,
    dump_schedule,
    generate,
    objective,
    parse_instance,
    parse_schedule,
    solve,
    upper_bound,
)

T = TypeVar("T")


def _read(path: str, parse: Callable[[object, str], T]) -> T:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, getattr(exc, "strerror", None) or str(exc)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc.msg}", line=exc.lineno) from exc
    return parse(data, path)


def _write(path: str, document: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def _fail(message: str, status: int) -> None:
    click.echo(message, err=True)
    sys.exit(status)


def _load_instance(path: str) -> Instance:
    try:
        return _read(path, parse_instance)
    except InputError as exc:
        _fail(str(exc), 2)
        raise  # unreachable


def _load_schedule(path: str) -> Schedule:
    try:
        return _read(path, parse_schedule)
    except InputError as exc:
        _fail(str(exc), 2)
        raise  # unreachable


@click.group()
def schedule() -> None:
    """Tomorrow's groups and stations: solve, check and bound a day (no database)."""


@schedule.command("solve")
@click.option("--instance", "instance_path", required=True, help="Instance JSON file.")
@click.option("--out", "out_path", required=True, help="Where to write the schedule JSON.")
@click.option("--time-limit", default=10.0, show_default=True, help="Seconds of search.")
@click.option("--seed", default=0, show_default=True, help="Local-search seed.")
@click.option("--workers", default=1, show_default=True, help="CP-SAT worker threads.")
@click.option("--gap/--no-gap", default=False, help="Also compute the LP bound and the gap.")
def solve_command(
    instance_path: str, out_path: str, time_limit: float, seed: int, workers: int, gap: bool
) -> None:
    """Write the best feasible schedule found within the time limit."""
    instance = _load_instance(instance_path)
    click.echo(
        f"solving {len(instance.students)} students x {instance.sessions} sessions "
        f"for up to {time_limit:g} s",
        err=True,
    )
    result = None
    for _ in progress([None], label="solving"):
        try:
            result = solve(
                instance, time_limit=time_limit, seed=seed, workers=workers, with_bound=gap
            )
        except InfeasibleInstanceError as exc:
            _fail(f"{instance_path}: infeasible: {exc}", 1)
    assert result is not None
    _write(out_path, dump_schedule(result.schedule))
    line = (
        f"objective {result.objective:.4f} "
        f"({result.method}, {result.seconds:.1f} s, stopped: {result.status})"
    )
    if result.bound is not None:
        line += f"; LP bound {result.bound:.4f}; gap {100 * (result.gap or 0.0):.2f}%"
    click.echo(line)


@schedule.command("check")
@click.option("--instance", "instance_path", required=True, help="Instance JSON file.")
@click.option("--schedule", "schedule_path", required=True, help="Schedule JSON file.")
def check_command(instance_path: str, schedule_path: str) -> None:
    """Report every feasibility violation and the objective; exit 1 when infeasible."""
    instance = _load_instance(instance_path)
    plan = _load_schedule(schedule_path)
    violations = check_feasible(instance, plan)
    for v in violations:
        click.echo(str(v))
    if violations:
        _fail(f"{schedule_path}: infeasible: {len(violations)} violation(s)", 1)
    click.echo(f"feasible; objective {objective(instance, plan):.4f}")


@schedule.command("bound")
@click.option("--instance", "instance_path", required=True, help="Instance JSON file.")
def bound_command(instance_path: str) -> None:
    """Print the LP-relaxation upper bound on the objective."""
    instance = _load_instance(instance_path)
    try:
        value = upper_bound(instance)
    except InfeasibleInstanceError as exc:
        _fail(f"{instance_path}: infeasible: {exc}", 1)
        raise  # unreachable
    click.echo(f"{value:.4f}")


@schedule.command("generate")
@click.option("--students", required=True, type=click.IntRange(min=1), help="Number of students.")
@click.option("--seed", default=0, show_default=True, help="Random seed.")
@click.option("--sessions", default=3, show_default=True, type=click.IntRange(min=1))
@click.option("--out", "out_path", required=True, help="Where to write the instance JSON.")
def generate_command(students: int, seed: int, sessions: int, out_path: str) -> None:
    """Write a realistic generated school day (see pathways.engines.scheduling.generate)."""
    _write(out_path, dump_instance(generate(students, seed=seed, sessions=sessions)))
