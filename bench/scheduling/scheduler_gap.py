"""Scheduler benchmark: gap to the LP bound at 10 s and 60 s on generated schools.

Usage: scheduler_gap.py RESULTS_DIR [--sizes 200 1000 5000] [--limits 10 60] [--seed 2026]
Writes RESULTS_DIR/<students>.json per size (reused unless --fresh), then the "## Scheduler"
section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import time
from pathlib import Path
from statistics import mean

from pathways.engines.scheduling import (
    Instance,
    Result,
    check_feasible,
    generate,
    solve,
    upper_bound,
)
from pathways.engines.scheduling.bound import relax
from pathways.engines.scheduling.formulation import build

HERE = Path(__file__).resolve().parent
TITLE = "## Scheduler"
TARGETS = {(1000, 10): 0.07, (1000, 60): 0.05, (5000, 60): 0.05}


def measure(day: Instance, result: Result, bound: float) -> dict[str, float | int | str | bool]:
    plan = result.schedule
    kinds = {m.code: m.kind for m in day.modalities}
    tl = [a for a in plan.assignments if kinds[a.modality] == "teacher_group"]
    yesterday = {s.id: set(s.yesterday) for s in day.students}
    sizes: dict[str, int] = {}
    for a in plan.assignments:
        if a.group is not None:
            sizes[a.group] = sizes.get(a.group, 0) + 1
    kind_of = {g.id: kinds[g.modality] for g in plan.groups}
    tl_sizes = [n for g, n in sizes.items() if kind_of[g] == "teacher_group"]
    table_sizes = [n for g, n in sizes.items() if kind_of[g] == "table"]
    repeats = sum(a.modality in yesterday[a.student] for a in plan.assignments)
    return {
        "objective": result.objective,
        "gap": (bound - result.objective) / bound,
        "seconds": result.seconds,
        "first_seconds": result.first_seconds or 0.0,
        "method": result.method,
        "status": result.status,
        "feasible": not check_feasible(day, plan),
        "students_in_tl": len({a.student for a in tl}) / len(day.students),
        "tl_share": len(tl) / len(plan.assignments),
        "tl_groups": len(tl_sizes),
        "mean_tl_size": mean(tl_sizes) if tl_sizes else 0.0,
        "mean_table_size": mean(table_sizes) if table_sizes else 0.0,
        "repeats": repeats,
        "repeat_share": repeats / len(plan.assignments),
    }


def run_size(students: int, limits: list[int], seed: int) -> dict[str, object]:
    day = generate(students, seed=seed)
    start = time.perf_counter()
    relaxation = relax(build(day))
    out: dict[str, object] = {
        "students": students,
        "sessions": day.sessions,
        "teachers": len(day.teachers),
        "seed": seed,
        "bound": relaxation.value,
        "bound_seconds": time.perf_counter() - start,
        "runs": {},
    }
    runs: dict[str, object] = {}
    for limit in limits:
        result = solve(day, time_limit=limit, seed=0, workers=1)
        runs[str(limit)] = measure(day, result, relaxation.value)
        print(students, limit, runs[str(limit)], flush=True)
    out["runs"] = runs
    return out


def report(results: Path, command: str) -> str:
    rows = []
    for path in sorted(results.glob("*.json"), key=lambda p: int(p.stem)):
        data = json.loads(path.read_text(encoding="utf-8"))
        for limit, run in data["runs"].items():
            target = TARGETS.get((data["students"], int(limit)))
            met = "-" if target is None else ("yes" if run["gap"] <= target else "NO")
            goal = "-" if target is None else f"<= {100 * target:.0f}%"
            strong = "-"
            if "strong_bound" in data:
                sb = data["strong_bound"]
                strong = (
                    f"{100 * (sb - run['objective']) / sb:.2f}% ({data['strong_seconds']:.0f} s)"
                )
            rows.append(
                f"| {data['students']:,} | {limit} s | {100 * run['gap']:.2f}% | {goal} | {met} "
                f"| {run['first_seconds']:.1f} s / {run['seconds']:.1f} s "
                f"| {'yes' if run['feasible'] else 'NO'} | {run.get('status', '-')} "
                f"| {100 * run['students_in_tl']:.0f}% ({100 * run['tl_share']:.0f}%) "
                f"| {run['mean_tl_size']:.1f} / {run['mean_table_size']:.1f} "
                f"| {run['repeats']} ({100 * run['repeat_share']:.1f}%) "
                f"| {data['bound']:.1f} ({data['bound_seconds']:.0f} s) | {strong} |"
            )
    lines = [
        TITLE,
        "",
        "Generated schools (`pathways.engines.scheduling.generate`, seed 2026, 3 sessions, one "
        "teacher per 22 students) solved by `solve(instance, time_limit)` with one thread. Gap = "
        "(LP bound - objective) / LP bound, where the bound is the plain LP relaxation of the "
        "exact aggregated program (HiGHS; `docs/engines/scheduling.md`). First time: until the "
        "greedy construction has a complete feasible schedule; total: the solver's wall time (the "
        "iterated local search uses the whole limit unless the schedule reaches the LP bound, "
        "when it stops: Stopped says which). Teacher-led: share of students with at "
        "least one teacher-group session (share of all student-sessions). Group size: mean "
        "teacher group / mean peer table. Repeats: assignments in a modality the student had "
        "yesterday. The last column divides by the strengthened relaxation (plus the valid "
        "rows 'a student only joins a group that exists', `upper_bound(day, strong=True)`, "
        "interior point), computed up to 1,000 students: on small days the plain bound is loose "
        "because it allows fractional groups of one student.",
        "",
        "| Students | Limit | Gap | Target | Met | First / total time | Feasible | Stopped "
        "| Teacher-led | Group size "
        "| Repeats | LP bound (time) | Gap to strengthened bound (time) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Command: `{command}` on {platform.machine()}, {os.cpu_count()} cores shared with other "
        f"work (load average {os.getloadavg()[0]:.1f} when this was written), Python "
        f"{platform.python_version()}, {dt.date.today().isoformat()}.",
        "",
    ]
    return "\n".join(lines)


def write_section(section: str) -> None:
    path = HERE.parent.parent / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    start = text.find(TITLE + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(TITLE))
        rest = "" if end < 0 else "\n" + text[end + 1 :]  # keep the blank line before the next
        text = text[:start] + section + rest
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 5000])
    parser.add_argument("--limits", type=int, nargs="+", default=[10, 60])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument(
        "--strong-up-to",
        type=int,
        default=1000,
        help="also compute the strengthened bound (join rows, interior point) up to this size",
    )
    parser.add_argument("--command", default="make bench")
    args = parser.parse_args()
    args.results.mkdir(parents=True, exist_ok=True)
    for students in args.sizes:
        path = args.results / f"{students}.json"
        if not path.exists() or args.fresh:
            data = run_size(students, args.limits, args.seed)
            path.write_text(json.dumps(data, indent=1), encoding="utf-8")
        data = json.loads(path.read_text(encoding="utf-8"))
        if students <= args.strong_up_to and "strong_bound" not in data:
            start = time.perf_counter()
            data["strong_bound"] = upper_bound(generate(students, seed=data["seed"]), strong=True)
            data["strong_seconds"] = time.perf_counter() - start
            print(students, "strengthened bound", data["strong_bound"], flush=True)
            path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    write_section(report(args.results, args.command))


if __name__ == "__main__":
    main()
