"""Simulated students and worlds, to measure skill-selection policies against an oracle.

A simulated student has a hidden true knowledge state, closed downwards (nobody knows a skill
without its true prerequisites), an individual learning rate (the population rate times a
log-normal multiplier), and answers with slips and guesses. After each opportunity on a skill
they do not know, they learn it with their own rate, but only if they know its true
prerequisites. Policies see the answers only (the oracle excepted), and the prerequisite graph
they are given may differ from the true one.

Worlds (:data:`WORLDS`): a chain, a random prerequisite graph of 30 skills, one of 300, and a
30-skill graph whose given version has 10% wrong edges. Population parameters handed to the
policies are what calibration would find: marginal ``p_init`` and the mean learn rate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from pathways.engines.planning.gain import GainPlanner
from pathways.engines.planning.graph import SkillGraph
from pathways.engines.planning.policies import (
    Compiled,
    FixedOrder,
    FringeBacktrack,
    MasteryThreshold,
    Oracle,
    OuterFringe,
    Planner,
    TrueState,
)
from pathways.engines.tracing import SkillParams

__all__ = [
    "BASELINES",
    "POLICIES",
    "WORLDS",
    "Outcome",
    "World",
    "make_policy",
    "make_students",
    "make_world",
    "practise",
    "simulate",
]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]

WORLDS = ("chain", "random-30", "random-300", "wrong-edges")
#: Response-only baselines, the project's planner, and the oracle.
BASELINES = ("fixed-order", "mastery-threshold", "outer-fringe", "fringe-backtrack")
POLICIES = (*BASELINES, "gain", "oracle")


@dataclass(frozen=True)
class World:
    """A true graph with per-skill parameters, and the graph and parameters policies are given."""

    name: str
    true_graph: SkillGraph
    given_graph: SkillGraph
    cond_init: Floats  # P(known at start | true prerequisites known)
    p_learn: Floats
    p_slip: Floats
    p_guess: Floats
    rate_spread: float
    params: dict[str, SkillParams] = field(default_factory=dict)  # what calibration would find

    @property
    def n(self) -> int:
        return len(self.true_graph)


def _random_parents(rng: np.random.Generator, n: int, window: int, roots: int) -> list[list[int]]:
    parents: list[list[int]] = []
    for i in range(n):
        if i < roots:
            parents.append([])
            continue
        count = int(rng.choice([0, 1, 2, 3], p=[0.1, 0.45, 0.33, 0.12]))
        pool = np.arange(max(0, i - window), i)
        count = min(count, len(pool))
        parents.append(sorted(int(p) for p in rng.choice(pool, size=count, replace=False)))
    return parents


def make_world(name: str, seed: int = 0) -> World:
    """One of :data:`WORLDS`, reproducibly from ``seed``.

    Example:
        >>> w = make_world("wrong-edges")
        >>> true, given = set(w.true_graph.edges()), set(w.given_graph.edges())
        >>> len(true) == len(given), round(len(true - given) / len(given), 2)
        (True, 0.1)
    """
    rng = np.random.default_rng([seed, WORLDS.index(name)])
    if name == "chain":
        n = 30
        parents = [[i - 1] if i else [] for i in range(n)]
    elif name in ("random-30", "wrong-edges"):
        n = 30
        parents = _random_parents(rng, n, window=n, roots=3)
    elif name == "random-300":
        n = 300
        parents = _random_parents(rng, n, window=40, roots=5)
    else:
        raise ValueError(f"unknown world {name!r}; choose from {', '.join(WORLDS)}")
    ids = [f"k{i:03d}" for i in range(n)]
    true_graph = SkillGraph({ids[i]: [ids[p] for p in parents[i]] for i in range(n)})
    given = [list(p) for p in parents]
    if name == "wrong-edges":
        edges = [(p, i) for i in range(n) for p in parents[i]]
        n_wrong = round(0.1 * len(edges))
        for index in rng.choice(len(edges), size=n_wrong, replace=False):
            p, i = edges[index]
            given[i].remove(p)
        added = 0
        while added < n_wrong:
            i = int(rng.integers(1, n))
            p = int(rng.integers(0, i))
            if p not in parents[i] and p not in given[i]:
                given[i].append(p)
                added += 1
    given_graph = SkillGraph({ids[i]: [ids[p] for p in sorted(given[i])] for i in range(n)})
    assert given_graph.skills == true_graph.skills == tuple(ids)
    world = World(
        name=name,
        true_graph=true_graph,
        given_graph=given_graph,
        cond_init=rng.uniform(0.2, 0.7, n),
        p_learn=rng.uniform(0.08, 0.3, n),
        p_slip=rng.uniform(0.05, 0.15, n),
        p_guess=rng.uniform(0.1, 0.3, n),
        rate_spread=0.6,
    )
    # What calibration would find: the marginal share who know each skill at the start, and
    # the learn rate averaged over the students who practise it in a curriculum pass (the
    # given order, 8 opportunities a skill) once its stated prerequisites are known, some of
    # whom miss an unstated one and cannot learn it yet.
    rng = np.random.default_rng([seed, 99])
    truth, _ = make_students(world, 20000, rng)
    marginal = truth.known.mean(axis=0)
    known = np.concatenate([truth.known, np.ones((len(truth.known), 1), dtype=bool)], axis=1)
    stated_parents = Compiled.build(given_graph, {}).parents
    ready_share = np.ones(n)
    for i in range(n):
        stated = known[:, stated_parents[i]].all(axis=1)
        truly = known[:, truth.true_parents[i]].all(axis=1)
        ready_share[i] = ((stated & truly).sum() + 20) / (stated.sum() + 20)
        learned = truly & (rng.random(len(known)) < 1.0 - (1.0 - truth.learn[:, i]) ** 8)
        known[:, i] |= learned
    world.params.update(
        {
            s: SkillParams(
                p_init=float(np.clip(marginal[i], 1e-4, 0.999)),
                p_learn=float(world.p_learn[i] * max(ready_share[i], 0.05)),
                p_slip=float(world.p_slip[i]),
                p_guess=float(world.p_guess[i]),
            )
            for i, s in enumerate(ids)
        }
    )
    return world


def make_students(world: World, n: int, rng: np.random.Generator) -> tuple[TrueState, Floats]:
    """``n`` students: true state and per-skill learn rates, and each one's rate multiplier."""
    true = Compiled.build(world.true_graph, {})
    known = np.zeros((n, world.n + 1), dtype=bool)
    known[:, world.n] = True
    for i in range(world.n):
        parents_known = known[:, true.parents[i]].all(axis=1)
        known[:, i] = parents_known & (rng.random(n) < world.cond_init[i])
    sigma = world.rate_spread
    multiplier = np.exp(rng.normal(-(sigma**2) / 2.0, sigma, n))
    learn = np.minimum(world.p_learn[None, :] * multiplier[:, None], 0.95)
    return TrueState(known[:, : world.n].copy(), learn, true.parents), multiplier


def make_policy(
    name: str, world: World, truth: TrueState, options: Mapping[str, Any] | None = None
) -> Planner:
    """A fresh policy by name (:data:`POLICIES`), given the world's graph and parameters."""
    compiled = Compiled.build(world.given_graph, world.params)
    factories: dict[str, Callable[[], Planner]] = {
        "fixed-order": lambda: FixedOrder(compiled),
        "mastery-threshold": lambda: MasteryThreshold(compiled),
        "outer-fringe": lambda: OuterFringe(compiled),
        "fringe-backtrack": lambda: FringeBacktrack(compiled),
        "gain": lambda: GainPlanner(world.given_graph, world.params, **(options or {})),
        "oracle": lambda: Oracle(truth),
    }
    if name not in factories:
        raise ValueError(f"unknown policy {name!r}; choose from {', '.join(factories)}")
    return factories[name]()


@dataclass(frozen=True)
class Outcome:
    """Averages over students after a budget of opportunities."""

    world: str
    policy: str
    budget: int
    students: int
    share_known: float  # share of skills truly known at the end
    share_known_sem: float  # its standard error across students
    wasted_known: float  # share of opportunities spent on skills already known
    wasted_unlearnable: float  # share spent on skills whose true prerequisites were missing
    idle: float  # share of opportunities the policy left unused (nothing useful left)
    premature: float  # skills declared mastered but not truly known, per student

    def as_dict(self) -> dict[str, float | int | str]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Practice:
    """One opportunity of several students, one skill each, seen from the true state."""

    correct: Bools  # the answers
    known: Bools  # known before the opportunity
    learnable: Bools  # its true prerequisites known
    learned: Bools  # learned on this opportunity


def practise(
    truth: TrueState,
    p_slip: Floats,
    p_guess: Floats,
    who: Ints,
    what: Ints,
    answers: np.random.Generator,
) -> Practice:
    """Students ``who`` practise skills ``what`` once: each answers from the true state (slip if
    known, guess if not) and may learn the skill where its true prerequisites are known.
    ``truth`` is updated; the simulation and the bench scripts all step students through this."""
    known = truth.known[who, what]
    learnable = truth.learnable(who)[np.arange(len(who)), what]
    draw = answers.random(len(who))
    correct = np.where(known, draw >= p_slip[what], draw < p_guess[what])
    learned = ~known & learnable & (answers.random(len(who)) < truth.learn[who, what])
    truth.known[who[learned], what[learned]] = True
    return Practice(correct=correct, known=known, learnable=learnable, learned=learned)


def simulate(
    world: World,
    policy: str,
    *,
    students: int = 100,
    budgets: Sequence[int] = (150, 600),
    seed: int = 0,
    options: Mapping[str, Any] | None = None,
) -> list[Outcome]:
    """Run ``students`` simulated students against one policy; one outcome per budget.

    The same seed gives every policy the same students (state and learning rates).

    Example:
        >>> world = make_world("chain")
        >>> [o.share_known >= 0 for o in simulate(world, "oracle", students=5, budgets=(10, 20))]
        [True, True]
    """
    rng = np.random.default_rng([seed, 7])
    truth, _ = make_students(world, students, rng)
    planner = make_policy(policy, world, truth, options)
    planner.add_students(students)
    everyone = np.arange(students, dtype=np.int64)
    answers = np.random.default_rng([seed, 11])
    wasted_known = np.zeros(students)
    wasted_blocked = np.zeros(students)
    idle = np.zeros(students)
    outcomes: list[Outcome] = []
    c = Compiled.build(world.given_graph, world.params)
    for t in range(1, max(budgets) + 1):
        skills = planner.choose(everyone)
        active = skills >= 0
        idle += ~active
        who, what = everyone[active], skills[active]
        done = practise(truth, c.p_slip, c.p_guess, who, what, answers)
        wasted_known[who] += done.known
        wasted_blocked[who] += ~done.known & ~done.learnable
        planner.observe(who, what, done.correct)
        if t in budgets:
            share = truth.known.mean(axis=1)
            premature = (planner.declared(everyone) & ~truth.known).sum(axis=1)
            outcomes.append(
                Outcome(
                    world=world.name,
                    policy=policy,
                    budget=t,
                    students=students,
                    share_known=float(share.mean()),
                    share_known_sem=float(share.std(ddof=1) / np.sqrt(students))
                    if students > 1
                    else 0.0,
                    wasted_known=float(wasted_known.mean() / t),
                    wasted_unlearnable=float(wasted_blocked.mean() / t),
                    idle=float(idle.mean() / t),
                    premature=float(premature.mean()),
                )
            )
    return outcomes


def gap_closed(
    outcomes: Sequence[Outcome], planner: str = "gain"
) -> Mapping[tuple[str, int], tuple[float, float, float]]:
    """Per (world, budget): planner minus best baseline, and the share of the gap to the oracle.

    Returns ``(margin, gap_share, best_baseline_share_known)``.
    """
    by: dict[tuple[str, int], dict[str, float]] = {}
    for o in outcomes:
        by.setdefault((o.world, o.budget), {})[o.policy] = o.share_known
    result = {}
    for key, known in by.items():
        if planner not in known or "oracle" not in known:
            continue
        best = max(known[b] for b in BASELINES if b in known)
        gap = known["oracle"] - best
        result[key] = (
            known[planner] - best,
            (known[planner] - best) / gap if gap > 0 else 0.0,
            best,
        )
    return result
