"""Planner benchmark: outcomes of every policy on simulated students, and serve latency.

Usage: python bench/planner/run.py [--students 200] [--seed 0] [--command "make bench"]
       [--check-seeds 1 2 3 4 5] [--holdout-seeds 6 7 8 9 10] [--check-students 100]
Writes the "## Path planner" section of BENCHMARKS.md (and bench/.results/planner/*.json):
the full table for one seed, then the planner's margin and share of the oracle gap over other
seeds (other worlds and students: median and range), so one lucky world cannot carry a target:
seeds 1-5, on which the planner's design was judged, and seeds 6-10, held out from it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pathways.cli.plan import format_table
from pathways.engines.planning import dump_graph
from pathways.engines.planning.simulate import (
    BASELINES,
    POLICIES,
    WORLDS,
    Outcome,
    gap_closed,
    make_world,
    simulate,
)

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / ".results" / "planner"
BUDGETS = (150, 600)
SERVE_STUDENTS = 2000
SERVE_REQUESTS = 60


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--command", default="make bench")
    parser.add_argument("--check-seeds", type=int, nargs="*", default=[1, 2, 3, 4, 5])
    parser.add_argument("--holdout-seeds", type=int, nargs="*", default=[6, 7, 8, 9, 10])
    parser.add_argument("--check-students", type=int, default=100)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    for name in WORLDS:
        world = make_world(name, args.seed)
        for policy in POLICIES:
            t = time.perf_counter()
            outcomes += simulate(
                world, policy, students=args.students, budgets=BUDGETS, seed=args.seed
            )
            print(f"{name} {policy}: {time.perf_counter() - t:.1f} s", file=sys.stderr)
    simulated = time.perf_counter() - started
    checks = seed_checks(args.check_seeds, args.check_students)
    held_out = seed_checks(args.holdout_seeds, args.check_students)
    latency = serve_latency(args.seed)
    (RESULTS / "outcomes.json").write_text(
        json.dumps(
            {
                "outcomes": [o.as_dict() for o in outcomes],
                "seed_checks": {f"{w} {b}": v for (w, b), v in checks.items()},
                "held_out": {f"{w} {b}": v for (w, b), v in held_out.items()},
                "serve": latency,
            },
            indent=1,
        )
    )
    write_section(outcomes, latency, args, simulated, {"judged on": checks, "held out": held_out})


def seed_checks(seeds: list[int], students: int) -> dict[tuple[str, int], list[list[float]]]:
    """Per (world, budget): ``[margin, gap share]`` of the planner for each seed."""
    result: dict[tuple[str, int], list[list[float]]] = {}
    for seed in seeds:
        for name in WORLDS:
            world = make_world(name, seed)
            runs = [
                o
                for policy in POLICIES
                for o in simulate(world, policy, students=students, budgets=BUDGETS, seed=seed)
            ]
            for key, (margin, share, _) in gap_closed(runs).items():
                result.setdefault(key, []).append([margin, share])
            print(f"seed {seed} {name}: done", file=sys.stderr)
    return result


def serve_latency(seed: int) -> dict[str, float]:
    """Median, p90 and p95 wall time of one request for 2,000 students through `pathways plan
    serve`, and the server's CPU time per request.

    Each request carries one observation per student (on the skill it was last given) and asks
    for all 2,000; timed from writing the line to reading the answer, in the real process.
    """
    world = make_world("random-300", seed)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        graph = Path(folder) / "graph.json"
        graph.write_text(dump_graph(world.given_graph, world.params))
        process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "pathways"), "plan", "serve", "--graph", str(graph)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdin is not None
        assert process.stdout is not None
        students = [f"s{i}" for i in range(SERVE_STUDENTS)]
        rnd = random.Random(seed)
        last: dict[str, str | None] = {}
        times = []
        cpu_start = 0.0
        for number in range(SERVE_REQUESTS + 3):
            observations = [
                {"student": s, "skill": last[s], "correct": rnd.random() < 0.6}
                for s in students
                if last.get(s)
            ]
            line = json.dumps({"observations": observations, "ask": students})
            t = time.perf_counter()
            process.stdin.write(line + "\n")
            process.stdin.flush()
            answer = json.loads(process.stdout.readline())
            elapsed = time.perf_counter() - t
            last = answer["next"]
            if number == 2:
                cpu_start = _cpu_seconds(process.pid)
            if number >= 3:  # the first requests create the students
                times.append(elapsed)
        cpu = _cpu_seconds(process.pid) - cpu_start
        process.stdin.close()
        process.wait()
    times.sort()
    return {
        "cpu_ms": 1000 * cpu / len(times),
        "load_average": os.getloadavg()[0],
        "load_before": load_before,
        "median_ms": 1000 * times[len(times) // 2],
        "p90_ms": 1000 * times[int(0.9 * (len(times) - 1))],
        "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))],
        "requests": len(times),
        "skills": world.n,
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _spread(values: list[float], percent: bool) -> str:
    def f(v: float) -> str:
        return f"{v:.0%}" if percent else f"{v:+.3f}"

    values = sorted(values)
    median = statistics.median(values)
    return f"{f(median)} [{f(values[0])}, {f(values[-1])}]"


def write_section(
    outcomes: list[Outcome],
    latency: dict[str, float],
    args: argparse.Namespace,
    seconds: float,
    seed_groups: dict[str, dict[tuple[str, int], list[list[float]]]],
) -> None:
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    gaps = gap_closed(outcomes)
    checks = []
    for name in WORLDS:
        margin, share, _ = gaps[(name, 150)]
        margin_600, _, _ = gaps[(name, 600)]
        checks.append(
            f"| {name} | {margin:+.3f} | {'yes' if margin >= 0.02 else 'no'} | {share:.0%} "
            f"| {'yes' if share >= 0.25 else 'no'} | {margin_600:+.3f} "
            f"| {'yes' if margin_600 > 0 else 'no'} |"
        )
    robust = []
    for group, seed_runs in seed_groups.items():
        for name in WORLDS:
            for budget in BUDGETS:
                runs = seed_runs.get((name, budget), [])
                if not runs:
                    continue
                margins, shares = [r[0] for r in runs], [r[1] for r in runs]
                if budget == 150:
                    met = sum(m >= 0.02 and g >= 0.25 for m, g in runs)
                else:
                    met = sum(m > 0 for m in margins)
                robust.append(
                    f"| {group} | {name} | {budget} | {_spread(margins, False)} "
                    f"| {_spread(shares, True)} | {met} of {len(runs)} |"
                )
    met_latency = latency["median_ms"] < 100
    lines = [
        "## Path planner",
        "",
        f"Command: `{args.command}` (runs `bench/planner/run.sh`, i.e. "
        f"`pathways plan simulate --students {args.students} --seed {args.seed}` for every "
        f"world and policy, then the serve latency). Date: {today}. Machine: "
        f"{platform.machine()}, {len(os.sched_getaffinity(0))} CPUs shared with other work, "
        f"Python {platform.python_version()}; simulations took {seconds:.0f} s.",
        "",
        f"{args.students} simulated students per world (the same students for every policy), "
        "true knowledge hidden from every policy but the oracle, individual learn rates "
        "(log-normal, sd 0.6), slips and guesses, learning only with the true prerequisites "
        "known. `gain` is the project's planner; the response-only baselines are "
        f"{', '.join(BASELINES)}. Share known: share of all skills truly known after the "
        "budget (± standard error over students); wasted: share of the opportunities spent on "
        "skills already known / not learnable yet; idle: opportunities the policy left unused "
        "(nothing useful left); premature: skills declared mastered (posterior >= 0.95) but "
        "not known, per student. Method and worlds: `docs/engines/planning.md`.",
        "",
        format_table(outcomes),
        "",
        "Targets (issue 6): at 150 opportunities the planner beats every response-only baseline "
        "by >= 0.02 share known and closes >= 25% of the gap between the best baseline and the "
        "oracle; at 600 it beats every baseline.",
        "",
        "| world | margin at 150 | >= 0.02 | gap closed at 150 | >= 25% | margin at 600 | beats |",
        "|---|---:|---|---:|---|---:|---|",
        *checks,
        "",
        f"The same check on other seeds: other worlds of each kind and other students, "
        f"{args.check_students} per world; seeds {', '.join(map(str, args.check_seeds))} "
        "(*judged on*: the planner's design was chosen on them) and seeds "
        f"{', '.join(map(str, args.holdout_seeds))} (*held out*: not used to choose anything); "
        "median [min, max] over seeds; a seed meets the target at 150 with both >= 0.02 and "
        ">= 25%, at 600 by beating every baseline:",
        "",
        "| seeds | world | budget | planner - best baseline | share of gap to oracle "
        "| seeds meeting target |",
        "|---|---|---:|---:|---:|---|",
        *robust,
        "",
        f"`pathways plan serve` (random-300 graph, {SERVE_STUDENTS:,} students, one observation "
        f"each per request, all asked): median {latency['median_ms']:.0f} ms, p90 "
        f"{latency['p90_ms']:.0f} ms, p95 {latency['p95_ms']:.0f} ms over "
        f"{latency['requests']} requests, end to end through "
        f"the process's pipes, 1-minute load average {latency['load_before']:.1f} before and "
        f"{latency['load_average']:.1f} after, on "
        f"{len(os.sched_getaffinity(0))} CPUs (target < 100 ms: "
        f"{'met' if met_latency else 'not met'}); the server's own CPU time per request: "
        f"{latency['cpu_ms']:.0f} ms (what the wall time would be on an idle core).",
    ]
    section = "\n".join(lines) + "\n"
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text()
    start = text.find("## Path planner")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + ("\n" + text[end + 1 :] if end >= 0 else "")
    path.write_text(text)


if __name__ == "__main__":
    main()
