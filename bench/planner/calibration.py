"""Is the planner's belief calibrated? Its P(known) against the simulated students' truth.

Usage: python bench/planner/calibration.py [--world random-300] [--seeds 1] [--students 100]
       [--budget 150] [--every 10]

Runs the planner on simulated students (the answers of :func:`simulate` for each seed) and, per
decile of belief, prints the share of (student, skill) pairs truly known: for the skill it picks
when that skill already has answers (read before the answer), and, every ``--every``
opportunities, for all answered and all unanswered pairs. A calibrated belief has each share
inside its decile. If it is calibrated, what the planner wastes is the price of seeing answers
only, not a belief error (``docs/engines/planning.md``, third round).
"""

from __future__ import annotations

import argparse

import numpy as np

from pathways.engines.planning.gain import GainPlanner
from pathways.engines.planning.policies import Compiled
from pathways.engines.planning.simulate import WORLDS, make_students, make_world, practise

Bins = list[list[bool]]


def calibration(
    world_name: str, *, seed: int, students: int, budget: int, every: int
) -> tuple[Bins, Bins, Bins]:
    """Truly-known flags per belief decile: picked skills with answers, answered, unanswered."""
    world = make_world(world_name, seed)
    truth, _ = make_students(world, students, np.random.default_rng([seed, 7]))
    planner = GainPlanner(world.given_graph, world.params)
    planner.add_students(students)
    everyone = np.arange(students, dtype=np.int64)
    answers = np.random.default_rng([seed, 11])
    c = Compiled.build(world.given_graph, world.params)
    answered = np.zeros(truth.known.shape, dtype=bool)
    picked: Bins = [[] for _ in range(10)]
    seen: Bins = [[] for _ in range(10)]
    unseen: Bins = [[] for _ in range(10)]

    def decile(p: float) -> int:
        return min(int(p * 10), 9)

    for t in range(budget):
        skills = planner.choose(everyone)
        active = skills >= 0
        who, what = everyone[active], skills[active]
        belief = planner.known(everyone)
        for s, k in zip(who, what, strict=True):
            if answered[s, k]:
                picked[decile(belief[s, k])].append(bool(truth.known[s, k]))
        if t % every == every // 2:
            for p, k in zip(belief[answered], truth.known[answered], strict=True):
                seen[decile(p)].append(bool(k))
            for p, k in zip(belief[~answered], truth.known[~answered], strict=True):
                unseen[decile(p)].append(bool(k))
        planner.observe(who, what, practise(truth, c.p_slip, c.p_guess, who, what, answers).correct)
        answered[who, what] = True
    return picked, seen, unseen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", default="random-300", choices=WORLDS)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--budget", type=int, default=150)
    parser.add_argument("--every", type=int, default=10)
    args = parser.parse_args()

    def cell(flags: list[bool]) -> str:
        return f"{np.mean(flags):.2f} ({len(flags)})" if flags else "-"

    for seed in args.seeds:
        picked, seen, unseen = calibration(
            args.world, seed=seed, students=args.students, budget=args.budget, every=args.every
        )
        print(f"{args.world}, seed {seed}: share truly known (pairs) per belief decile")
        print("| belief | picked, with answers | answered | unanswered |")
        print("|---|---:|---:|---:|")
        for d in range(10):
            print(
                f"| {d / 10:.1f}-{(d + 1) / 10:.1f} | {cell(picked[d])} | {cell(seen[d])} "
                f"| {cell(unseen[d])} |"
            )


if __name__ == "__main__":
    main()
