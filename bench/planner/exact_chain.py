"""Diagnostic: the planner's beliefs and choices against exact Bayesian inference on the chain.

Usage: python bench/planner/exact_chain.py [--seeds 1 2 3 4 5] [--students 100] [--budget 150]

On a chain, a student's knowledge is a prefix, so the exact posterior is a distribution over its
length (one HMM with n + 1 states; population rates, no individual learn rates). This separates
the two things a planner can get wrong: the belief (compared by log loss against the simulated
truth, with the same answers fed to both) and the choice rule (the same rule, expected learning
x P(prerequisites known) ** caution, on the exact belief). Prints, per seed, the share of the
baseline-to-oracle gap closed by the planner and by exact inference with caution 0 and 6, and
the log loss of each belief when the planner chooses.
"""

from __future__ import annotations

import argparse

import numpy as np
import numpy.typing as npt

from pathways.engines.planning.gain import GainPlanner
from pathways.engines.planning.policies import Compiled
from pathways.engines.planning.simulate import (
    BASELINES,
    World,
    make_students,
    make_world,
    practise,
    simulate,
)

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


class ChainExact:
    """Exact posterior over the length of the known prefix of a chain, per student."""

    name = "exact-chain"

    def __init__(self, compiled: Compiled, caution: float) -> None:
        self.c = compiled
        self.caution = caution
        n = compiled.n
        # p_init of skill i is P(prefix > i): the prior over the prefix length follows.
        above = np.concatenate([[1.0], np.clip(compiled.p_init, 1e-6, 1.0), [0.0]])
        prior = np.maximum(above[:-1] - above[1:], 0.0)
        self.prior = prior / prior.sum()
        self.belief = np.zeros((0, n + 1))

    def add_students(self, n: int) -> None:
        self.belief = np.vstack([self.belief, np.tile(self.prior, (n, 1))])

    def observe(self, students: Ints, skills: Ints, correct: Bools) -> None:
        c, n = self.c, self.c.n
        known = np.arange(n + 1)[None, :] > skills[:, None]
        right = correct[:, None]
        slip, guess = c.p_slip[skills, None], c.p_guess[skills, None]
        like = np.where(known, np.where(right, 1 - slip, slip), np.where(right, guess, 1 - guess))
        b = self.belief[students] * like
        b /= b.sum(axis=1, keepdims=True)
        rows = np.arange(len(students))
        moved = b[rows, skills] * c.p_learn[skills]
        b[rows, skills] -= moved
        b[rows, skills + 1] += moved
        self.belief[students] = b

    def at_least(self, students: Ints) -> Floats:
        """P(prefix >= j) for j = 0..n, one row per student."""
        result: Floats = np.cumsum(self.belief[students][:, ::-1], axis=1)[:, ::-1]
        return result

    def choose(self, students: Ints) -> Ints:
        n = self.c.n
        value = self.belief[students][:, :n] * self.c.p_learn[None, :]
        value *= self.at_least(students)[:, :n] ** self.caution
        result: Ints = np.where(value.max(axis=1) > 1e-4, value.argmax(axis=1), -1)
        return result

    def declared(self, students: Ints) -> Bools:
        result: Bools = self.at_least(students)[:, 1:] >= 0.95
        return result

    def known(self, students: Ints) -> Floats:
        result: Floats = self.at_least(students)[:, 1:]
        return result


def exact_share(world: World, caution: float, students: int, budget: int, seed: int) -> float:
    """Share known after ``budget`` with the exact belief (the loop of :func:`simulate`)."""
    rng = np.random.default_rng([seed, 7])
    truth, _ = make_students(world, students, rng)
    c = Compiled.build(world.given_graph, world.params)
    policy = ChainExact(c, caution)
    policy.add_students(students)
    everyone = np.arange(students, dtype=np.int64)
    answers = np.random.default_rng([seed, 11])
    for _ in range(budget):
        skills = policy.choose(everyone)
        active = skills >= 0
        who, what = everyone[active], skills[active]
        correct = practise(truth, c.p_slip, c.p_guess, who, what, answers).correct
        policy.observe(who, what, correct)
    return float(truth.known.mean())


def log_losses(world: World, students: int, budget: int, seed: int) -> tuple[float, float]:
    """Log loss of the planner's and the exact belief against the truth, the planner choosing."""
    rng = np.random.default_rng([seed, 7])
    truth, _ = make_students(world, students, rng)
    c = Compiled.build(world.given_graph, world.params)
    planner = GainPlanner(world.given_graph, world.params)
    exact = ChainExact(c, 0.0)
    for p in (planner, exact):
        p.add_students(students)
    everyone = np.arange(students, dtype=np.int64)
    answers = np.random.default_rng([seed, 11])
    losses = np.zeros(2)
    count = 0
    for t in range(budget):
        skills = planner.choose(everyone)
        who, what = everyone[skills >= 0], skills[skills >= 0]
        correct = practise(truth, c.p_slip, c.p_guess, who, what, answers).correct
        planner.observe(who, what, correct)
        exact.observe(who, what, correct)
        if t % 5 == 4:
            for i, belief in enumerate((planner.known(everyone), exact.known(everyone))):
                p = np.clip(belief, 1e-6, 1 - 1e-6)
                losses[i] -= np.where(truth.known, np.log(p), np.log1p(-p)).sum()
            count += truth.known.size
    return float(losses[0] / count), float(losses[1] / count)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--budget", type=int, default=150)
    args = parser.parse_args()
    print("| seed | planner gap | exact, caution 0 | exact, caution 6 | log loss planner | exact |")
    print("|---:|---:|---:|---:|---:|---:|")
    for seed in args.seeds:
        world = make_world("chain", seed)
        share = {
            p: simulate(world, p, students=args.students, budgets=(args.budget,), seed=seed)[
                0
            ].share_known
            for p in (*BASELINES, "gain", "oracle")
        }
        best = max(share[p] for p in BASELINES)
        gap = share["oracle"] - best
        exact = [exact_share(world, k, args.students, args.budget, seed) for k in (0.0, 6.0)]
        loss = log_losses(world, args.students, args.budget, seed)
        print(
            f"| {seed} | {(share['gain'] - best) / gap:.0%} | {(exact[0] - best) / gap:.0%} "
            f"| {(exact[1] - best) / gap:.0%} | {loss[0]:.3f} | {loss[1]:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
