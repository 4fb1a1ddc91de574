"""`pathways plan serve|simulate|world`: the path planner's skill selection, no database.

``serve`` follows ``specs/planner-protocol.md``: JSON lines on standard input, one answer line per
request on standard output, flushed; a malformed line gets ``{"error": ...}`` and serving goes
on. ``simulate`` measures the policies against simulated students (``docs/engines/planning.md``).
Bad input files exit with status 2 and ``file: reason`` on standard error; progress goes to
standard error.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from pathways.cli._progress import progress
from pathways.engines.errors import InputError

EXIT_BAD_INPUT = 2


@click.group()
def plan() -> None:
    """Choose each student's next skill: serve the protocol, or simulate students."""


@plan.command()
@click.option(
    "--graph",
    "graph_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="pathways-plan-graph/1 file: skills, prerequisites, population BKT parameters.",
)
@click.option(
    "--policy",
    default="gain",
    show_default=True,
    type=click.Choice(
        ["gain", "fixed-order", "mastery-threshold", "outer-fringe", "fringe-backtrack"]
    ),
    help="Skill-selection policy (the baselines are there for comparisons).",
)
def serve(graph_path: Path, policy: str) -> None:
    """Answer JSON-lines requests on stdin with each student's next skill on stdout."""
    from pathways.engines.planning import parse_graph
    from pathways.engines.planning.policies import (
        Compiled,
        FixedOrder,
        FringeBacktrack,
        MasteryThreshold,
        OuterFringe,
    )
    from pathways.engines.planning.protocol import PlanServer

    try:
        graph, params = parse_graph(graph_path.read_text(encoding="utf-8"), source=str(graph_path))
    except InputError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    baselines = {
        "fixed-order": FixedOrder,
        "mastery-threshold": MasteryThreshold,
        "outer-fringe": OuterFringe,
        "fringe-backtrack": FringeBacktrack,
    }
    if policy == "gain":
        server = PlanServer(graph, params)
    else:
        server = PlanServer(graph, params, lambda g, p: baselines[policy](Compiled.build(g, p)))
    click.echo(f"plan serve: {len(graph)} skills, policy {policy}", err=True)
    out = sys.stdout
    for line in sys.stdin:
        out.write(server.handle(line) + "\n")
        out.flush()


@plan.command()
@click.option(
    "--world",
    "worlds",
    multiple=True,
    type=click.Choice(["chain", "random-30", "random-300", "wrong-edges"]),
    help="World(s) to simulate (default: all four).",
)
@click.option(
    "--policy",
    "policies",
    multiple=True,
    type=click.Choice(
        ["fixed-order", "mastery-threshold", "outer-fringe", "fringe-backtrack", "gain", "oracle"]
    ),
    help="Policies to run (default: all, the oracle included).",
)
@click.option("--students", default=200, show_default=True, help="Simulated students per world.")
@click.option(
    "--budget",
    "budgets",
    multiple=True,
    type=int,
    help="Opportunities per student at which to measure (default: 150 and 600).",
)
@click.option("--seed", default=0, show_default=True, help="Seed for worlds and students.")
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every outcome to this JSON file.",
)
def simulate(
    worlds: tuple[str, ...],
    policies: tuple[str, ...],
    students: int,
    budgets: tuple[int, ...],
    seed: int,
    json_path: Path | None,
) -> None:
    """Run simulated students against the policies; print the table of outcomes."""
    from pathways.engines.planning import simulate as sim

    worlds = worlds or sim.WORLDS
    policies = policies or sim.POLICIES
    budgets = tuple(sorted(set(budgets or (150, 600))))
    if students < 2 or min(budgets) < 1:
        raise click.BadParameter("need at least 2 students and positive budgets")
    outcomes: list[sim.Outcome] = []
    jobs = [(w, p) for w in worlds for p in policies]
    made: dict[str, sim.World] = {}
    for world_name, policy in progress(jobs, label="simulate"):
        if world_name not in made:
            made[world_name] = sim.make_world(world_name, seed)
        outcomes += sim.simulate(
            made[world_name], policy, students=students, budgets=budgets, seed=seed
        )
    click.echo(format_table(outcomes))
    if json_path is not None:
        document = {
            "format": "pathways-plan-simulation/1",
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "students": students,
            "seed": seed,
            "outcomes": [o.as_dict() for o in outcomes],
        }
        json_path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


@plan.command()
@click.argument("name", type=click.Choice(["chain", "random-30", "random-300", "wrong-edges"]))
@click.option("--seed", default=0, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def world(name: str, seed: int, out: Path) -> None:
    """Write a simulated world's given graph as a pathways-plan-graph/1 file."""
    from pathways.engines.planning import dump_graph
    from pathways.engines.planning.simulate import make_world

    made = make_world(name, seed)
    out.write_text(dump_graph(made.given_graph, made.params) + "\n", encoding="utf-8")


def format_table(outcomes: Sequence[object]) -> str:
    """A Markdown table of outcomes, with the planner's margin and share of the oracle gap."""
    from pathways.engines.planning.simulate import Outcome, gap_closed

    rows = [o for o in outcomes if isinstance(o, Outcome)]
    gaps = gap_closed(rows)
    lines = [
        "| world | budget | policy | share known | wasted on known | wasted on unlearnable "
        "| idle | premature mastery / student |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for o in rows:
        lines.append(
            f"| {o.world} | {o.budget} | {o.policy} | {o.share_known:.3f} ± {o.share_known_sem:.3f}"
            f" | {o.wasted_known:.2f} | {o.wasted_unlearnable:.2f} | {o.idle:.2f}"
            f" | {o.premature:.2f} |"
        )
    if gaps:
        lines += [
            "",
            "| world | budget | best baseline | planner - best baseline | share of gap to oracle |",
            "|---|---:|---:|---:|---:|",
        ]
        for (world_name, budget), (margin, share, best) in sorted(gaps.items()):
            lines.append(f"| {world_name} | {budget} | {best:.3f} | {margin:+.3f} | {share:.0%} |")
    return "\n".join(lines)
