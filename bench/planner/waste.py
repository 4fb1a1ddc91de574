"""Where each policy's opportunities go, against the oracle, over several seeds.

Usage: python bench/planner/waste.py [--seeds 1 2 3] [--students 100] [--budget 150]
       [--world random-30 ...] [--policy gain oracle ...] [--option caution=1.5 ...]

Every opportunity falls in one class:

* ``learning``: on a skill the student does not know and can learn (the only productive class);
* ``unlearnable``: on a skill whose true prerequisites the student is missing;
* ``start-shown``: on a skill known from the start (showing it, before moving on);
* ``confirm``: on a skill learned during the run, right after the previous opportunity on the
  same skill (practising on until the evidence is enough to move on);
* ``revisit``: on a known skill the student had left for another one (going back to confirm
  it, or back-tracking to a prerequisite that was in fact known);
* ``idle``: nothing chosen.

Prints, per world and policy, the median over seeds of each class's share of opportunities
with its range (min-max), the share of skills known, and confirmations per learned skill.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from pathways.engines.planning.policies import Compiled
from pathways.engines.planning.simulate import (
    WORLDS,
    make_policy,
    make_students,
    make_world,
    practise,
)

CLASSES = ("learning", "unlearnable", "start-shown", "confirm", "revisit", "idle")


def breakdown(
    world_name: str,
    policy: str,
    *,
    seed: int,
    students: int,
    budget: int,
    options: Mapping[str, Any] | None = None,
) -> dict[str, float]:
    """One run (the students and answers of :func:`simulate` for this seed), classified."""
    world = make_world(world_name, seed)
    rng = np.random.default_rng([seed, 7])
    truth, _ = make_students(world, students, rng)
    start = truth.known.copy()
    planner = make_policy(policy, world, truth, options)
    planner.add_students(students)
    everyone = np.arange(students, dtype=np.int64)
    answers = np.random.default_rng([seed, 11])
    c = Compiled.build(world.given_graph, world.params)
    counts = dict.fromkeys(CLASSES, 0.0)
    last = np.full(students, -1)
    practised = np.zeros_like(start)
    for _ in range(budget):
        skills = planner.choose(everyone)
        active = skills >= 0
        counts["idle"] += float((~active).sum())
        who, what = everyone[active], skills[active]
        done = practise(truth, c.p_slip, c.p_guess, who, what, answers)
        known, learnable = done.known, done.learnable
        from_start = start[who, what]
        same = last[who] == what
        tried = practised[who, what]
        counts["learning"] += float((~known & learnable).sum())
        counts["unlearnable"] += float((~known & ~learnable).sum())
        counts["start-shown"] += float((known & from_start & (same | ~tried)).sum())
        counts["confirm"] += float((known & ~from_start & same).sum())
        counts["revisit"] += float((known & ~same & tried).sum())
        planner.observe(who, what, done.correct)
        last[who] = what
        practised[who, what] = True
    total = students * budget
    result = {k: v / total for k, v in counts.items()}
    result["share_known"] = float(truth.known.mean())
    learned = float((truth.known & ~start).sum())
    result["confirm_per_learned"] = counts["confirm"] / max(learned, 1.0)
    result["learned_per_student"] = learned / students
    return result


def summarise(runs: Sequence[dict[str, float]]) -> dict[str, tuple[float, float, float]]:
    keys = runs[0].keys()
    return {
        k: (
            float(np.median([r[k] for r in runs])),
            float(min(r[k] for r in runs)),
            float(max(r[k] for r in runs)),
        )
        for k in keys
    }


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--budget", type=int, default=150)
    parser.add_argument("--world", nargs="+", default=list(WORLDS))
    parser.add_argument("--policy", nargs="+", default=["outer-fringe", "gain", "oracle"])
    parser.add_argument("--option", nargs="*", default=[], help="planner option NAME=VALUE")
    args = parser.parse_args()
    options = {k: _value(v) for k, v in (o.split("=", 1) for o in args.option)}
    keys = (*CLASSES, "confirm_per_learned", "share_known")
    print(f"seeds {args.seeds}, {args.students} students, budget {args.budget}; median [min, max]")
    print("| world | policy | " + " | ".join(keys) + " |")
    print("|---|---|" + "---:|" * len(keys))
    for world_name in args.world:
        for policy in args.policy:
            runs = [
                breakdown(
                    world_name,
                    policy,
                    seed=s,
                    students=args.students,
                    budget=args.budget,
                    options=options if policy == "gain" else None,
                )
                for s in args.seeds
            ]
            stats = summarise(runs)
            cells = [f"{m:.3f} [{lo:.3f}, {hi:.3f}]" for m, lo, hi in (stats[k] for k in keys)]
            print(f"| {world_name} | {policy} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
