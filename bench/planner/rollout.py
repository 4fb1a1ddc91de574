"""Existence check: one step of policy improvement on the planner, by rollouts (not deployable).

Usage: python bench/planner/rollout.py [--seeds 1 2 3] [--students 100] [--budget 150]
       [--candidates 3] [--samples 4] [--horizon 12]

At every opportunity, each student's ``--candidates`` best skills by the planner's value are each
tried in ``--samples`` worlds drawn from the planner's belief, the planner continuing for
``--horizon`` opportunities; the skill with the most learning on average is practised. Sampled
worlds: skills in prerequisite order, each known with its belief divided by its prerequisites'
(never without them), the learn-rate multiplier drawn from the student's posterior. random-300
only (its given graph is the true one). Prints, per seed, the margin over the best
response-only baseline of the rollout policy and of the planner (docs/engines/planning.md,
"Fifth round"). Hundreds of belief passes per decision: about 45 s per seed at the defaults.
"""

from __future__ import annotations

import argparse

import numpy as np
import numpy.typing as npt

from pathways.engines.planning.gain import GainPlanner
from pathways.engines.planning.policies import Compiled, TrueState
from pathways.engines.planning.simulate import (
    BASELINES,
    World,
    make_students,
    make_world,
    practise,
    simulate,
)

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def sample_worlds(
    planner: GainPlanner, world: World, owner: Ints, rng: np.random.Generator
) -> TrueState:
    """One world per virtual student, drawn from its owner's belief (see the module's doc)."""
    n, count = len(world.true_graph), len(owner)
    parents = Compiled.build(world.given_graph, {}).parents
    belief = planner.known(np.arange(int(owner.max()) + 1))[owner]  # (virtual, skills)
    known = np.zeros((count, n + 1), dtype=bool)
    known[:, n] = True
    for i in range(n):
        stated = [int(p) for p in parents[i] if p < n]
        below = np.prod(belief[:, stated], axis=1) if stated else np.ones(count)
        chance = np.clip(belief[:, i] / np.maximum(below, 1e-6), 0.0, 1.0)
        known[:, i] = known[:, parents[i]].all(axis=1) & (rng.random(count) < chance)
    weights = planner._rate_weights(np.arange(int(owner.max()) + 1))[owner]
    grid = (rng.random((count, 1)) > np.cumsum(weights, axis=1)).sum(axis=1)
    multiplier = planner.rates[np.minimum(grid, len(planner.rates) - 1)]
    learn = np.minimum(world.p_learn[None, :] * multiplier[:, None], 0.95)
    return TrueState(known[:, :n].copy(), learn, parents)


def rollout_share_known(
    world: World, *, seed: int, students: int, budget: int, k: int, m: int, horizon: int
) -> float:
    """Share of skills known after ``budget`` opportunities under the rollout policy."""
    truth, _ = make_students(world, students, np.random.default_rng([seed, 7]))
    c = Compiled.build(world.given_graph, world.params)
    planner = GainPlanner(world.given_graph, world.params)
    planner.add_students(students)
    everyone = np.arange(students, dtype=np.int64)
    answers = np.random.default_rng([seed, 11])
    draws = np.random.default_rng([seed, 99])
    owner = np.repeat(everyone, k * m)  # the real student behind each virtual one
    slot = np.tile(np.repeat(np.arange(k), m), students)
    virtual = np.arange(len(owner), dtype=np.int64)
    history: list[tuple[Ints, Bools]] = []
    for t in range(budget):
        best_k = np.argsort(-planner._values(everyone), axis=0)[:k]  # internal order
        first = planner._outer[best_k[slot, owner]]
        worlds = sample_worlds(planner, world, owner, draws)
        start = worlds.known.copy()
        twin = GainPlanner(world.given_graph, world.params)
        twin.add_students(len(owner))
        for skills, correct in history:  # every student practised at every step
            twin.observe(virtual, skills[owner], correct[owner])
        tries = np.random.default_rng([seed, t, 5])
        skills = first
        for step in range(horizon):
            if step:
                skills = np.maximum(twin.choose(virtual), 0)
            done = practise(worlds, c.p_slip, c.p_guess, virtual, skills, tries)
            twin.observe(virtual, skills, done.correct)
        learned = (worlds.known & ~start).sum(axis=1).reshape(students, k, m).mean(axis=2)
        chosen = first.reshape(students, k, m)[everyone, learned.argmax(axis=1), 0]
        done = practise(truth, c.p_slip, c.p_guess, everyone, chosen, answers)
        planner.observe(everyone, chosen, done.correct)
        history.append((chosen.copy(), done.correct.copy()))
    return float(truth.known.mean())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--budget", type=int, default=150)
    parser.add_argument("--candidates", type=int, default=3)
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--horizon", type=int, default=12)
    args = parser.parse_args()
    for seed in args.seeds:
        world = make_world("random-300", seed)
        known = {
            p: simulate(world, p, students=args.students, budgets=(args.budget,), seed=seed)[
                0
            ].share_known
            for p in (*BASELINES, "gain")
        }
        best = max(known[b] for b in BASELINES)
        rolled = rollout_share_known(
            make_world("random-300", seed),
            seed=seed,
            students=args.students,
            budget=args.budget,
            k=args.candidates,
            m=args.samples,
            horizon=args.horizon,
        )
        print(
            f"seed {seed}: margin over the best baseline, rollout {rolled - best:+.4f}, "
            f"planner {known['gain'] - best:+.4f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
