"""What the planner's gap to the oracle is made of, and two ways of buying information.

Usage: python bench/planner/information.py [--seeds 1 2 3 4 5] [--students 100] [--budget 150]
       [--world random-300 ...] [--run planner start learning both lookahead probe]

Every run uses the students and answers of :func:`simulate` for its seed (``planner`` is exactly
the benchmark's ``gain``) and prints, as the benchmark's seed check does, the margin over the best
response-only baseline and the share of the baseline-to-oracle gap closed at the budget (median
[min, max] over seeds, and how many seeds meet both targets, >= 0.02 and >= 25%).

*Told* runs: the planner as it is, given for free (no opportunity spent) what a response-only
policy has to find out by practice, as four right answers on the skill concerned:

* ``start``: the skills each student knows at the start, before the first opportunity;
* ``learning``: each learning event, as it happens;
* ``both``.

*Variants* of the choice rule (docs/engines/planning.md, "Fourth round"), tried and not kept
(measured before the planner had the value of opening dependents, "Fifth round"; ``probe``
still builds on the value without it, ``lookahead`` on it only in its second step):

* ``lookahead``: among each student's ``--top`` best skills, the one with the most expected
  learning over two opportunities: this one's, plus ``--horizon`` times the best next value after
  either answer (one belief pass per candidate and answer);
* ``probe``: value of information for skills known from the start: a right answer on a skill
  lifts the belief in all its ancestors, each of which would otherwise cost an opportunity to
  show; the expected lift (at most the skill's own: an ancestor is at least as likely known)
  times the value of the best opportunity now is added to each skill's value.
"""

from __future__ import annotations

import argparse
import copy
import functools
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from pathways.engines.planning.gain import GainPlanner
from pathways.engines.planning.graph import SkillGraph
from pathways.engines.planning.policies import Compiled, Planner
from pathways.engines.planning.simulate import (
    BASELINES,
    WORLDS,
    World,
    make_students,
    make_world,
    practise,
    simulate,
)
from pathways.engines.tracing import SkillParams

Ints = npt.NDArray[np.int64]
Singles = npt.NDArray[np.float32]
TOLD = ("planner", "start", "learning", "both")
VARIANTS = ("lookahead", "probe")
SHOWN = 4  # right answers that tell the planner a skill is known


class Lookahead(GainPlanner):
    """Two opportunities ahead over the ``top`` best skills (see the module's docstring)."""

    def __init__(
        self, graph: SkillGraph, params: Mapping[str, SkillParams], *, top: int, horizon: float
    ) -> None:
        super().__init__(graph, params)
        self.candidates, self.horizon = top, horizon

    def choose(self, students: Ints) -> Ints:
        belief, gain = self._beliefs(students)
        value = gain * self._weight[:, None].astype(np.float32)
        b, cols = len(students), np.arange(len(students))
        candidates = np.argsort(-value, axis=0)[: self.candidates]
        q = np.empty((len(candidates), b))
        for j, skill in enumerate(candidates):
            known = belief[skill, cols].astype(np.float64)
            right = known * (1.0 - self.c.p_slip[skill]) + (1.0 - known) * self.c.p_guess[skill]
            after = np.zeros(b)
            for answer, chance in ((True, right), (False, 1.0 - right)):
                clone = copy.deepcopy(self)
                clone.observe(students, self._outer[skill], np.full(b, answer))
                after += chance * clone._values(students).max(axis=0)
            q[j] = value[skill, cols] + self.horizon * after
        best = candidates[q.argmax(axis=0), cols]
        result: Ints = np.where(value[best, cols] >= self.min_gain, self._outer[best], -1)
        return result


class AncestorProbe(GainPlanner):
    """Expected learning plus what a right answer would reveal about the ancestors."""

    def __init__(
        self, graph: SkillGraph, params: Mapping[str, SkillParams], *, weight: float
    ) -> None:
        super().__init__(graph, params)
        n = self.c.n
        ancestors = np.zeros((n, n), dtype=bool)
        for i in range(n):  # internal order is topological
            for p in self.c.parents[i]:
                if p < n:
                    ancestors[i] |= ancestors[p]
                    ancestors[i, p] = True
        self._ancestors = ancestors
        self.probe_weight = weight

    def _values(self, students: Ints) -> Singles:
        belief, gain = self._beliefs(students)
        value = gain * self._weight[:, None].astype(np.float32)
        best = value.max(axis=0)
        # A known skill's ancestors are believed known with at most 1 - edge_error (the edge
        # may be wrong); a right answer moves each by at most as much as the skill's own belief.
        room = np.maximum(0.0, (1.0 - self.edge_error) - belief)
        moved = np.zeros_like(belief)
        for i, above in enumerate(self._ancestors):
            if above.any():
                moved[i] = np.minimum(1.0 - belief[i][None, :], room[above]).sum(axis=0)
        sharp = (1.0 - self.c.p_slip - self.c.p_guess)[:, None]
        result: Singles = value + self.probe_weight * belief * sharp * moved * best[None, :]
        return result


def share_known(
    world: World,
    make: Callable[[], Planner],
    *,
    seed: int,
    students: int,
    budget: int,
    tell_start: bool = False,
    tell_learning: bool = False,
) -> float:
    """Share of skills known after ``budget`` opportunities (the loop of :func:`simulate`)."""
    truth, _ = make_students(world, students, np.random.default_rng([seed, 7]))
    planner = make()
    planner.add_students(students)
    everyone = np.arange(students, dtype=np.int64)

    def tell(who: Ints, skills: Ints) -> None:
        for _ in range(SHOWN):
            planner.observe(who, skills, np.ones(len(who), dtype=bool))

    if tell_start:
        for skill in range(world.n):
            who = np.flatnonzero(truth.known[:, skill])
            if len(who):
                tell(who, np.full(len(who), skill, dtype=np.int64))
    answers = np.random.default_rng([seed, 11])
    c = Compiled.build(world.given_graph, world.params)
    for _ in range(budget):
        skills = planner.choose(everyone)
        active = skills >= 0
        who, what = everyone[active], skills[active]
        done = practise(truth, c.p_slip, c.p_guess, who, what, answers)
        planner.observe(who, what, done.correct)
        if tell_learning and done.learned.any():
            tell(who[done.learned], what[done.learned])
    return float(truth.known.mean())


def planner_for(run: str, world: World, args: argparse.Namespace) -> Planner:
    """A fresh planner for one run (the project's planner unless ``run`` is a variant)."""
    if run == "lookahead":
        return Lookahead(world.given_graph, world.params, top=args.top, horizon=args.horizon)
    if run == "probe":
        return AncestorProbe(world.given_graph, world.params, weight=args.probe_weight)
    return GainPlanner(world.given_graph, world.params)


def references(world: World, *, seed: int, students: int, budget: int) -> tuple[float, float]:
    """Best response-only baseline and oracle share known."""
    runs = {
        p: simulate(world, p, students=students, budgets=(budget,), seed=seed)[0].share_known
        for p in (*BASELINES, "oracle")
    }
    return max(runs[b] for b in BASELINES), runs["oracle"]


def summary(name: str, runs: Sequence[tuple[float, float]]) -> str:
    margins, shares = [m for m, _ in runs], [s for _, s in runs]
    met = sum(m >= 0.02 and s >= 0.25 for m, s in runs)
    return (
        f"| {name} | {np.median(margins):+.3f} [{min(margins):+.3f}, {max(margins):+.3f}] "
        f"| {np.median(shares):.0%} [{min(shares):.0%}, {max(shares):.0%}] "
        f"| {met}/{len(runs)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--budget", type=int, default=150)
    parser.add_argument("--world", nargs="+", default=["random-300"], choices=WORLDS)
    parser.add_argument("--run", nargs="+", default=list(TOLD), choices=TOLD + VARIANTS)
    parser.add_argument("--top", type=int, default=4, help="lookahead: candidates per student")
    parser.add_argument("--horizon", type=float, default=1.0, help="lookahead: weight of step 2")
    parser.add_argument("--probe-weight", type=float, default=0.3, help="probe: its weight")
    args = parser.parse_args()
    print(f"seeds {args.seeds}, {args.students} students, budget {args.budget}")
    print("| world: run | planner - best baseline | share of gap | seeds meeting target |")
    print("|---|---:|---:|---:|")
    for name in args.world:
        worlds = {seed: make_world(name, seed) for seed in args.seeds}
        refs = {
            s: references(w, seed=s, students=args.students, budget=args.budget)
            for s, w in worlds.items()
        }
        for run in args.run:
            results = []
            for seed, world in worlds.items():
                make = functools.partial(planner_for, run, world, args)
                known = share_known(
                    world,
                    make,
                    seed=seed,
                    students=args.students,
                    budget=args.budget,
                    tell_start=run in ("start", "both"),
                    tell_learning=run in ("learning", "both"),
                )
                best, oracle = refs[seed]
                results.append((known - best, (known - best) / (oracle - best)))
            print(summary(f"{name}: {run}", results), flush=True)


if __name__ == "__main__":
    main()
