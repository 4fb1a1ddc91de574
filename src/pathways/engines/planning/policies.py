"""Skill selection: which skill each student practises next, behind one ``Planner`` protocol.

Every policy works on many students at once. Students are integer slots ``0 .. n-1``; a policy
sees only the outcomes of the opportunities it chose (``observe``) and answers ``choose`` with a
skill index per student (``-1``: nothing useful left). Skills are the graph's topological indices.

Response-only baselines, as in the instructional-sequencing literature (Corbett & Anderson 1995;
Doroudi, Aleven & Brunskill 2019; ALEKS's knowledge-space fringes, Falmagne & Doignon 2011):

* :class:`FixedOrder`: the curriculum's order, a fixed number of opportunities per skill;
* :class:`MasteryThreshold`: the curriculum's order, each skill until its BKT posterior is 0.95;
* :class:`OuterFringe`: any skill whose prerequisites are mastered (the outer fringe), the one
  closest to mastery first, until mastered;
* :class:`FringeBacktrack`: the outer fringe, sending the student back to the prerequisites of
  a skill they are stuck on (their mastery is withdrawn).

:class:`Oracle` sees the simulated student's true state (simulation only: the upper reference).
The project's planner, :class:`GainPlanner`, lives in :mod:`pathways.engines.planning.gain`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from pathways.engines.planning.graph import SkillGraph
from pathways.engines.tracing import SkillParams

__all__ = [
    "Compiled",
    "FixedOrder",
    "FringeBacktrack",
    "MasteryThreshold",
    "Oracle",
    "OuterFringe",
    "Planner",
    "TrueState",
]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]


@runtime_checkable
class Planner(Protocol):
    """What every skill-selection policy does, for many students at once.

    ``observe`` gets at most one outcome per student per call, in the order they happened.
    """

    name: str

    def add_students(self, n: int) -> None:
        """Make room for ``n`` more students, with no history."""

    def observe(self, students: Ints, skills: Ints, correct: Bools) -> None:
        """Take the outcomes of one practice opportunity for each of ``students``."""

    def choose(self, students: Ints) -> Ints:
        """The skill each of ``students`` should practise now, ``-1`` for nothing useful."""

    def declared(self, students: Ints) -> Bools:
        """Which skills the policy considers mastered, one row per student."""


@dataclass(frozen=True)
class Compiled:
    """A graph and its parameters as arrays, in topological order."""

    graph: SkillGraph
    parents: Ints  # (n, width), padded with n (a column that is always "known")
    depth: Ints
    p_init: Floats
    p_learn: Floats
    p_slip: Floats
    p_guess: Floats

    @classmethod
    def build(cls, graph: SkillGraph, params: Mapping[str, SkillParams]) -> Compiled:
        """Arrays for ``graph``; skills without parameters get the default ones.

        Example:
            >>> c = Compiled.build(SkillGraph({"a": [], "b": ["a"]}), {})
            >>> c.parents.tolist(), c.depth.tolist(), c.p_init.tolist()
            ([[2], [0]], [0, 1], [0.3, 0.3])
        """
        skills = graph.skills
        got = [params.get(s, SkillParams()) for s in skills]
        parents = graph.parent_matrix()
        depth = np.zeros(len(skills), dtype=np.int64)
        for i, skill in enumerate(skills):
            pre = [graph.index[p] for p in graph.prerequisites(skill)]
            depth[i] = 1 + max((int(depth[p]) for p in pre), default=-1)

        def column(name: str) -> Floats:
            return np.array([getattr(p, name) for p in got], dtype=np.float64)

        return cls(
            graph,
            parents,
            depth,
            column("p_init"),
            column("p_learn"),
            column("p_slip"),
            column("p_guess"),
        )

    @property
    def n(self) -> int:
        return len(self.depth)

    def all_parents(self, known: Bools) -> Bools:
        """For each student row of ``known`` (students x skills): prerequisites all known."""
        padded = np.concatenate([known, np.ones((known.shape[0], 1), dtype=bool)], axis=1)
        result: Bools = np.all(padded[:, self.parents], axis=2)
        return result


class _Tracked:
    """Shared state of the response-only baselines: population BKT posteriors per student."""

    def choose(self, students: Ints) -> Ints:
        raise NotImplementedError

    name = "tracked"

    def __init__(self, compiled: Compiled, threshold: float = 0.95) -> None:
        self.c = compiled
        self.threshold = threshold
        self.post = np.zeros((0, compiled.n))
        self.tries = np.zeros((0, compiled.n), dtype=np.int64)

    def add_students(self, n: int) -> None:
        self.post = np.vstack([self.post, np.tile(self.c.p_init, (n, 1))])
        self.tries = np.vstack([self.tries, np.zeros((n, self.c.n), dtype=np.int64)])

    def observe(self, students: Ints, skills: Ints, correct: Bools) -> None:
        c = self.c
        known = self.post[students, skills]
        slip, guess, learn = c.p_slip[skills], c.p_guess[skills], c.p_learn[skills]
        like_known = np.where(correct, 1.0 - slip, slip)
        like_unknown = np.where(correct, guess, 1.0 - guess)
        posterior = known * like_known / (known * like_known + (1.0 - known) * like_unknown)
        self.post[students, skills] = posterior + (1.0 - posterior) * learn
        self.tries[students, skills] += 1

    def declared(self, students: Ints) -> Bools:
        result: Bools = self.post[students] >= self.threshold
        return result


class FixedOrder(_Tracked):
    """The curriculum's order, ``per_skill`` opportunities on each skill, then around again.

    Example:
        >>> policy = FixedOrder(Compiled.build(SkillGraph({"a": [], "b": ["a"]}), {}), per_skill=2)
        >>> policy.add_students(1)
        >>> picks = []
        >>> for _ in range(5):
        ...     s = policy.choose(np.array([0]))
        ...     policy.observe(np.array([0]), s, np.array([True]))
        ...     picks.append(int(s[0]))
        >>> picks
        [0, 0, 1, 1, 0]
    """

    name = "fixed-order"

    def __init__(self, compiled: Compiled, per_skill: int = 5) -> None:
        super().__init__(compiled)
        self.per_skill = per_skill
        self.done = np.zeros(0, dtype=np.int64)

    def add_students(self, n: int) -> None:
        super().add_students(n)
        self.done = np.concatenate([self.done, np.zeros(n, dtype=np.int64)])

    def observe(self, students: Ints, skills: Ints, correct: Bools) -> None:
        super().observe(students, skills, correct)
        self.done[students] += 1

    def choose(self, students: Ints) -> Ints:
        result: Ints = (self.done[students] // self.per_skill) % self.c.n
        return result


class MasteryThreshold(_Tracked):
    """The curriculum's order; each skill until its BKT posterior reaches ``threshold``."""

    name = "mastery-threshold"

    def choose(self, students: Ints) -> Ints:
        open_ = ~self.declared(students)
        first = open_.argmax(axis=1)
        result: Ints = np.where(open_.any(axis=1), first, -1)
        return result


class OuterFringe(_Tracked):
    """ALEKS-style: among skills not mastered whose prerequisites are all mastered, the one
    closest to mastery (highest posterior), practised until mastered."""

    name = "outer-fringe"

    def fringe(self, students: Ints) -> Bools:
        mastered = self.declared(students)
        result: Bools = ~mastered & self.c.all_parents(mastered)
        return result

    def choose(self, students: Ints) -> Ints:
        fringe = self.fringe(students)
        score = np.where(fringe, self.post[students], -1.0)
        best = score.argmax(axis=1)
        result: Ints = np.where(fringe.any(axis=1), best, -1)
        return result


class FringeBacktrack(OuterFringe):
    """The outer fringe, with back-tracking: after ``patience`` opportunities on a skill without
    mastery and a posterior below ``stuck_below``, the mastery of its prerequisites is withdrawn
    (their posteriors go back to the prior) so that they are practised again."""

    name = "fringe-backtrack"

    def __init__(
        self,
        compiled: Compiled,
        threshold: float = 0.95,
        patience: int = 6,
        stuck_below: float = 0.5,
    ) -> None:
        super().__init__(compiled, threshold)
        self.patience = patience
        self.stuck_below = stuck_below

    def observe(self, students: Ints, skills: Ints, correct: Bools) -> None:
        super().observe(students, skills, correct)
        post = self.post[students, skills]
        stuck = (self.tries[students, skills] >= self.patience) & (post < self.stuck_below)
        for s, k in zip(students[stuck], skills[stuck], strict=True):
            parents = self.c.parents[k]
            parents = parents[parents < self.c.n]
            if len(parents):
                self.post[s, parents] = np.minimum(self.post[s, parents], self.c.p_init[parents])
            self.tries[s, k] = 0


@dataclass
class TrueState:
    """What only a simulator knows: each student's true knowledge and learning rates."""

    known: Bools  # (students, skills)
    learn: Floats  # (students, skills): P(learn) per opportunity when learnable
    true_parents: Ints  # padded like Compiled.parents, for the true graph

    def learnable(self, students: Ints) -> Bools:
        k = self.known[students]
        padded = np.concatenate([k, np.ones((k.shape[0], 1), dtype=bool)], axis=1)
        result: Bools = np.all(padded[:, self.true_parents], axis=2)
        return result


class Oracle:
    """Sees the true state (simulation only): the unknown, learnable skill the student learns
    fastest. The ceiling any response-only policy is measured against."""

    name = "oracle"

    def __init__(self, truth: TrueState) -> None:
        self.truth = truth

    def add_students(self, n: int) -> None:
        """The truth already holds every student."""

    def observe(self, students: Ints, skills: Ints, correct: Bools) -> None:
        """The oracle needs no evidence."""

    def choose(self, students: Ints) -> Ints:
        useful = ~self.truth.known[students] & self.truth.learnable(students)
        score = np.where(useful, self.truth.learn[students], -1.0)
        result: Ints = np.where(useful.any(axis=1), score.argmax(axis=1), -1)
        return result

    def declared(self, students: Ints) -> Bools:
        result: Bools = self.truth.known[students].copy()
        return result
