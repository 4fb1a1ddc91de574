"""The project's skill selector: expected learning gain under a prerequisite-aware belief.

For each student and skill, :class:`GainPlanner` keeps Bayesian Knowledge Tracing evidence under
two explanations of the responses: the skill is *available* (its true prerequisites are known, so
it can be known or learned: an HMM with the population parameters, an initial probability
conditional on the prerequisites, and the student's own learning rate) or *blocked* (a true
prerequisite is missing, so every answer is a guess). What makes this more than per-skill BKT:

* **individual learn rates**: each student has a posterior over a grid of learn-rate multipliers
  (0.4x .. 2.5x the population rate); the HMMs run once per grid point. Each answered skill's
  say on the student's rate is capped, so one skill they are stuck on cannot make them look slow
  everywhere; each skill's own rate is the posterior given its answers;
* **prerequisites from below**: a skill's answers are evidence about its prerequisites, up the
  whole graph. Right answers on a skill say its prerequisites are known (move on quickly); a
  student who keeps failing a skill they should have learned by now is more likely missing a
  prerequisite, whose belief drops, so the planner goes back to it. Coming back down, each
  prerequisite's belief leaves out the message the skill itself sent (``cavity``), so a skill's
  answers count once;
* **known at the start only with the prerequisites known then**: the HMM evidence is kept split
  by the state at the skill's first opportunity, so the prior of having known it from the start
  can follow the prerequisites: a student who has just learned a skill is not believed to have
  known its dependents all along;
* **a fallible graph**: each stated prerequisite is wrong with probability ``edge_error``, and a
  skill may miss an unstated one (``hidden_prerequisite``), more likely for skills hardly anyone
  knows at the start even among students ready for them (``rare_start``) and while the student
  may still miss earlier skills of the curriculum (``earlier``).

The next skill maximises the expected learning of this opportunity: P(available and not known)
x P(available) ** ``caution`` x p_learn x the student's rate on it, favouring skills that open
more of the graph (``unlock_bonus``), plus what a right answer would add to the next opportunity
by opening the skill's dependents (``opening``: a two-step look-ahead on that one channel).
``docs/engines/planning.md`` gives the evidence for each part. Skills declared mastered are
those with belief >= 0.95.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from pathways.engines.planning.graph import SkillGraph
from pathways.engines.planning.policies import Compiled
from pathways.engines.tracing import SkillParams

__all__ = ["GainPlanner"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
Singles = npt.NDArray[np.float32]

_CLIP = 30.0
_T = TypeVar("_T", bound=np.generic)
_F = np.float32


def _power(x: Singles, exponent: float) -> Singles:
    """``x ** exponent``; by repeated squaring for a whole exponent (a few multiplications
    instead of a log and an exp per element)."""
    if exponent != int(exponent) or not 0 < exponent <= 64:
        powered: Singles = x**exponent
        return powered
    k = int(exponent)
    result: Singles | None = None
    square = x
    while True:
        if k & 1:
            result = square.copy() if result is None else np.multiply(result, square, out=result)
        k >>= 1
        if not k:
            return result if result is not None else np.ones_like(x)
        # A new array the first time (``x`` is the caller's), in place after.
        square = square * square if square is x else np.multiply(square, square, out=square)


#: Share of stated edges along which ``p_init`` may rise before it is read as conditional rates
#: (population shares rise only through calibration noise or a wrong edge: at most 7% of the
#: edges in the simulated worlds, 10% of whose edges are wrong; conditional rates drawn
#: independently rise along about half of them).
_RISING_EDGES = 0.2


def _reads_as_conditional(c: Compiled) -> bool:
    """Whether ``p_init`` rises from prerequisite to dependent along more than
    ``_RISING_EDGES`` of the stated edges (by more than 0.02): then it cannot be the share of
    the whole population who know each skill, and is the rate among those who reached it."""
    n = c.n
    dependent, slot = np.nonzero(c.parents < n)
    if not len(dependent):
        return False
    rising = c.p_init[dependent] > c.p_init[c.parents[dependent, slot]] + 0.02
    return float(rising.mean()) > _RISING_EDGES


def _dependent_slots(edges: Sequence[tuple[int, int]]) -> tuple[Ints, list[tuple[Ints, Ints]]]:
    """The skills with dependents (from (prerequisite, dependent) pairs sorted by prerequisite),
    and their dependents slot by slot: slot ``j`` holds, for each such skill with more than
    ``j`` dependents, its position among them and its ``j``-th dependent. The largest value
    over each skill's dependents is then one gather per slot (numpy's ``maximum.reduceat``
    down the rows of a wide array is ten times slower)."""
    owners = np.array(sorted({p for p, _ in edges}), dtype=np.int64)
    dependents = np.array([i for _, i in edges], dtype=np.int64)
    starts = np.searchsorted(np.array([p for p, _ in edges], dtype=np.int64), owners)
    counts = np.diff(np.append(starts, len(dependents)))
    slots = []
    for j in range(int(counts.max()) if len(counts) else 0):
        holders = np.flatnonzero(counts > j)
        slots.append((holders, dependents[starts[holders] + j]))
    return owners, slots


class GainPlanner:
    """Expected learning gain with individual learn rates and prerequisite back-inference.

    Example:
        >>> graph = SkillGraph({"a": [], "b": ["a"]})
        >>> params = {"a": SkillParams(p_init=0.5), "b": SkillParams(p_init=0.1)}
        >>> planner = GainPlanner(graph, params)
        >>> planner.add_students(1)
        >>> one = np.array([0])
        >>> int(planner.choose(one)[0])  # b is likely blocked: start with a
        0
        >>> for _ in range(3):
        ...     planner.observe(one, np.array([0]), np.array([True]))
        >>> int(planner.choose(one)[0])  # a is shown: move on to b
        1
    """

    name = "gain"

    def __init__(
        self,
        graph: SkillGraph,
        params: Mapping[str, SkillParams],
        *,
        rate_grid: Sequence[float] = (0.4, 0.63, 1.0, 1.6, 2.5),
        rate_spread: float = 0.6,
        edge_error: float = 0.1,
        hidden_prerequisite: float = 0.02,
        unlock_bonus: float = 0.5,
        caution: float = 6.0,
        opening: float = 1.0,
        rate_evidence: float = 1.0,
        rare_start: float = 0.5,
        earlier: float = 2.0,
        min_gain: float = 1e-4,
        threshold: float = 0.95,
        cavity: bool = True,
        p_init_meaning: str = "infer",
    ) -> None:
        self.graph = graph
        given = Compiled.build(graph, params)
        # Internally the skills are ordered level by level (every skill after all the skills
        # of lower depth), so each level of the belief passes is a contiguous block of rows
        # (views, not copies). ``_inner`` maps the graph's skill indices to that order,
        # ``_outer`` back.
        by_depth = sorted(graph.skills, key=lambda s: int(given.depth[graph.index[s]]))
        inner = SkillGraph({s: graph.prerequisites(s) for s in by_depth})
        self.c = Compiled.build(inner, params)
        n = self.c.n
        self._inner = np.array([inner.index[s] for s in graph.skills], dtype=np.int64)
        self._outer = np.argsort(self._inner)
        self.rates = np.asarray(rate_grid, dtype=np.float64)
        prior = np.exp(-(np.log(self.rates) ** 2) / (2.0 * rate_spread**2))
        self.log_rate_prior = np.log(prior / prior.sum())
        self.edge_error = edge_error
        self.hidden = hidden_prerequisite
        self.rate_evidence = rate_evidence
        self.unlock_bonus = unlock_bonus
        self.caution = caution
        self.opening = opening
        self.cavity = cavity
        self.earlier = earlier
        self.min_gain = min_gain
        self.threshold = threshold
        # Per grid point, the per-opportunity learn probability of every skill.
        self.learn = np.minimum(self.c.p_learn[:, None] * self.rates[None, :], 0.95)
        self.cond_init = self._conditional_init(given, p_init_meaning)[self._outer]
        # Learning a skill also opens its dependents: favour those that open more.
        self._n_children = np.bincount(
            self.c.parents[self.c.parents < n].ravel(), minlength=n
        ).astype(np.float64)
        self._weight = self.c.p_learn * (1.0 + unlock_bonus * np.log1p(self._n_children))
        # A skill that hardly anyone knows at the start, even among students ready for it by
        # the stated graph (a small fraction of the typical rate), is probably missing an
        # unstated prerequisite: raise its prior of being blocked.
        typical = float(np.median(self.cond_init))
        rare = np.zeros(n)
        if rare_start > 0:
            rare = np.clip(1.0 - self.cond_init / (rare_start * typical), 0.0, 1.0)
        self.hidden_k = hidden_prerequisite + (1.0 - hidden_prerequisite) * rare
        assert (np.diff(self.c.depth) >= 0).all(), "skills are not in level order"
        bounds = np.searchsorted(self.c.depth, np.arange(int(self.c.depth.max()) + 2))
        self._levels = [slice(int(a), int(b)) for a, b in itertools.pairwise(bounds)]
        # Per level, its prerequisite columns without the padding every row of it has.
        self._level_parents = []
        for level in self._levels:
            block = self.c.parents[level]
            width = int((block < n).sum(axis=1).max())
            self._level_parents.append(block[:, :width])
        # An unstated prerequisite comes earlier in the curriculum (the graph's own order):
        # 1 / (number of skills before each skill), in the internal order.
        self._earlier_scale = (earlier / np.maximum(self._outer, 1))[:, None].astype(_F)
        # (previous row, row) in the curriculum's order, for the running sum over earlier skills
        self._curriculum_steps = list(itertools.pairwise(self._inner.tolist()))
        # Per level: its skills, and their edges to prerequisites grouped by prerequisite.
        self._up_edges = []
        # Every stated edge (prerequisite, skill) has an id; ``_edge_of`` maps the padded
        # parent matrix to it (padding maps to the extra id, whose message is always 0).
        edge_ids: dict[tuple[int, int], int] = {}
        for i in range(n):
            for p in self.c.parents[i]:
                if p < n:
                    edge_ids[(int(p), i)] = len(edge_ids)
        self._n_edges = len(edge_ids)
        self._edge_of = np.full(self.c.parents.shape, self._n_edges, dtype=np.int64)
        for (p, i), e in edge_ids.items():
            self._edge_of[i, list(self.c.parents[i]).index(p)] = e
        # For the value of opening dependents: the skills with dependents, and their dependents
        # slot by slot (see ``_dependent_slots``).
        self._open_owners, self._open_slots = _dependent_slots(sorted(edge_ids))
        self._open_slip = self.c.p_slip[self._open_owners, None].astype(_F)
        self._open_guess = self.c.p_guess[self._open_owners, None].astype(_F)
        for level in self._levels:
            rows = range(level.start, level.stop)
            pairs = sorted((int(p), i) for i in rows for p in self.c.parents[i] if p < n)
            owners = np.array(sorted({p for p, _ in pairs}), dtype=np.int64)
            children = np.array([i for _, i in pairs], dtype=np.int64)
            parent_of = np.array([p for p, _ in pairs], dtype=np.int64)
            starts = np.searchsorted(parent_of, owners) if len(pairs) else owners
            edges = np.array([edge_ids[pair] for pair in pairs], dtype=np.int64)
            self._up_edges.append((level, children, starts, owners, edges))
        g = len(self.rates)
        # The BKT evidence of each skill, split by the state at the first opportunity: if it
        # was unknown then, per rate grid point, P(known now) and the log-likelihood of the
        # answers; if it was known, the log-likelihood (it stays known). Any prior of being
        # known at the start then gives the usual BKT posterior, so that prior can depend on
        # what the answers say about the prerequisites (see ``_start_priors``).
        self.post0 = np.zeros((0, n, g))
        self.ll0 = np.zeros((0, n, g))
        # Per skill, per student (skills x students, the layout of the belief pass).
        self.ll1 = np.zeros((n, 0))
        self.ll_blocked = np.zeros((n, 0))
        # What each answered (student, skill) pair's answers say, refreshed by ``observe`` for
        # the pairs it touches, so that a request pays only for its own answers
        # (``_evidence``). Pairs are numbered as they first get an answer (``pair``, -1 for
        # none) and kept in that order (``pairs``: skill, student), so a request for every
        # student reads them without a gather: relative to exp(``top``), the likelihood if
        # the skill was known at the first opportunity (``known1``; ``a1`` holds it densely,
        # 1 without answers) and, per grid point, if it was unknown then (``unknown``) and
        # unknown then but known now (``unknown_now``); each skill's capped say on the learn
        # rate (``said``) and its sum over the student's skills (``said_sum``).
        self.pair = np.zeros((n, 0), dtype=np.int64)
        self.n_pairs = 0
        self.pairs = np.zeros((2, 0), dtype=np.int64)
        self.top = np.zeros(0)
        self.known1 = np.zeros(0)
        self.unknown = np.zeros((0, g))
        self.unknown_now = np.zeros((0, g))
        self.said = np.zeros((0, g))
        self.a1 = np.ones((n, 0), dtype=_F)
        self.said_sum = np.zeros((0, g))

    @staticmethod
    def _conditional_init(c: Compiled, meaning: str = "infer", draws: int = 4000) -> Floats:
        """P(known at start | prerequisites known), so that the marginals match ``p_init``.

        A student cannot know a skill without its prerequisites (knowledge spaces are closed
        downwards), so the population ``p_init`` of a deep skill is the product of a
        conditional rate and the chance of knowing its prerequisites; estimated by sampling.

        Calibration may instead have measured ``p_init`` among the students who reached each
        skill, which is the conditional rate already. Shares of the whole population cannot
        rise along an edge (whoever knows a skill knows its prerequisites), so when many
        stated edges rise (:func:`_reads_as_conditional`), ``p_init`` is taken as it is.
        ``meaning`` says which it is when the caller knows ("conditional": the platform's own
        calibration, on each student's first evidence on the standard; "share") instead of
        inferring it ("infer").
        """
        n = c.n
        if meaning not in ("infer", "conditional", "share"):
            raise ValueError(f"p_init_meaning must be infer, conditional or share, not {meaning!r}")
        if meaning == "conditional" or (meaning == "infer" and _reads_as_conditional(c)):
            return np.asarray(np.clip(c.p_init, 1e-4, 0.95), dtype=np.float64)
        rng = np.random.default_rng(0)
        known = np.ones((draws, n + 1), dtype=bool)
        cond = np.empty(n)
        # The typical conditional rate: that of skills without prerequisites, where it is
        # the population rate itself.
        roots = (c.parents >= n).all(axis=1)
        typical = float(np.median(c.p_init[roots]))
        for i in range(n):
            parents_known = known[:, c.parents[i]].all(axis=1)
            share = float(parents_known.mean())
            # Rarely-reached skills say little about their conditional rate: shrink it toward
            # the typical one (a prior that weighs as much as 5% of the population).
            cond[i] = (c.p_init[i] + 0.05 * typical) / (share + 0.05)
            cond[i] = min(max(cond[i], c.p_init[i]), 0.95)
            known[:, i] = parents_known & (rng.random(draws) < cond[i])
        return cond

    # -- Planner protocol -------------------------------------------------------------------

    def add_students(self, n: int) -> None:
        g, k = len(self.rates), self.c.n

        def more(
            array: npt.NDArray[Any], fill: float, shape: tuple[int, ...], axis: int
        ) -> npt.NDArray[Any]:
            return np.concatenate([array, np.full(shape, fill, dtype=array.dtype)], axis=axis)

        for name in ("post0", "ll0"):
            setattr(self, name, more(getattr(self, name), 0.0, (n, k, g), 0))
        for name in ("ll1", "ll_blocked"):
            setattr(self, name, more(getattr(self, name), 0.0, (k, n), 1))
        self.pair = more(self.pair, -1, (k, n), 1)
        self.a1 = more(self.a1, 1.0, (k, n), 1)
        self.said_sum = more(self.said_sum, 0.0, (n, g), 0)

    def observe(self, students: Ints, skills: Ints, correct: Bools) -> None:
        """Take one answer per (student, skill) pair. A student may answer several skills in one
        call: answers on different skills commute (no forgetting, no clock), only each skill's
        own answers are in order."""
        c = self.c
        skills = self._inner[skills]
        slip, guess = c.p_slip[skills, None], c.p_guess[skills, None]
        right = correct[:, None]
        like_known = np.where(right, 1.0 - slip, slip)
        like_unknown = np.where(right, guess, 1.0 - guess)
        known = self.post0[students, skills]  # (B, G), unknown at the first opportunity
        predictive = known * like_known + (1.0 - known) * like_unknown
        ll0 = self.ll0[students, skills] + np.log(predictive)
        ll1 = self.ll1[skills, students] + np.log(like_known[:, 0])
        self.ll0[students, skills] = ll0
        self.ll1[skills, students] = ll1
        self.ll_blocked[skills, students] += np.log(like_unknown[:, 0])
        after = known * like_known / predictive
        now = after + (1.0 - after) * self.learn[skills]
        self.post0[students, skills] = now
        self._evidence(students, skills, ll0, ll1, now)

    def _evidence(
        self, students: Ints, skills: Ints, ll0: Floats, ll1: Floats, now: Floats
    ) -> None:
        """Refresh what the answers say on these (student, skill) pairs (see ``__init__``)."""
        ids = self.pair[skills, students]
        new = ids < 0
        if new.any():
            ids[new] = self.n_pairs + np.arange(int(new.sum()))
            self.n_pairs += int(new.sum())
            self.pair[skills[new], students[new]] = ids[new]
            if self.n_pairs > len(self.top):  # grow by half at least: amortised appends
                room = max(self.n_pairs, len(self.top) * 3 // 2, 1024) - len(self.top)
                g = len(self.rates)
                self.pairs = np.concatenate([self.pairs, np.zeros((2, room), dtype=np.int64)], 1)
                for name in ("top", "known1"):
                    setattr(self, name, np.concatenate([getattr(self, name), np.zeros(room)]))
                for name in ("unknown", "unknown_now", "said"):
                    grown = np.concatenate([getattr(self, name), np.zeros((room, g))])
                    setattr(self, name, grown)
            self.pairs[0, ids[new]] = skills[new]
            self.pairs[1, ids[new]] = students[new]
        top = np.maximum(ll1, ll0.max(axis=1))
        unknown = np.exp(ll0 - top[:, None])
        known = np.exp(ll1 - top)
        self.top[ids] = top
        self.known1[ids] = known
        self.a1[skills, students] = known
        self.unknown[ids] = unknown
        self.unknown_now[ids] = unknown * now
        # log P(answers | available) per rate grid point (up to a constant), with the
        # population prior of being known at the start: the skill's say on the learn rate,
        # capped (``rate_evidence`` nats between grid points), so one skill the student is
        # stuck on cannot make them look slow on every other skill: a student may be slow on
        # one skill (or miss an unstated prerequisite) without being slow.
        prior = self.cond_init[skills, None]
        ll = np.log(prior * known[:, None] + (1.0 - prior) * unknown)
        said = np.maximum(ll - ll.max(axis=1, keepdims=True), -self.rate_evidence)
        np.add.at(self.said_sum, students, said - self.said[ids])  # a student may repeat
        self.said[ids] = said

    def _rate_weights(self, students: Ints) -> Floats:
        """Posterior over each student's learn-rate grid from the skills they answered."""
        log_w = self.log_rate_prior + self.said_sum[students]
        w = np.exp(log_w - log_w.max(axis=1, keepdims=True))
        result: Floats = w / w.sum(axis=1, keepdims=True)
        return result

    def _columns(self, array: npt.NDArray[_T], students: Ints) -> npt.NDArray[_T]:
        """``array[:, students]``, a view when the students are consecutive (the usual ask)."""
        if len(students) and students[-1] - students[0] == len(students) - 1:
            first = int(students[0])
            if (np.diff(students) == 1).all():
                return array[:, first : first + len(students)]
        return array[:, students]

    def _answered(self, students: Ints) -> tuple[Ints | slice, Ints, Ints]:
        """The answered pairs of these students: pair ids (a slice when they are all the
        students, in order: no gather), skills and columns in ``students``."""
        if len(students) == self.pair.shape[1] and (students == np.arange(len(students))).all():
            ids: Ints | slice = slice(0, self.n_pairs)
            cols, rows = self.pairs[:, ids]
            return ids, cols, rows
        pair = self._columns(self.pair, students)
        cols, rows = np.nonzero(pair >= 0)
        return pair[cols, rows], cols, rows

    def _start_priors(self, a1: Singles, b0: Singles) -> Singles:
        """P(known at the start | available), per skill and student (skills x students).

        Nobody knows a skill at the start without knowing its prerequisites then, so the
        population rate is scaled, for each stated prerequisite, by the chance that it was
        already known at the start given that it is known now (1 without answers: nothing
        can have been learned; near 0 once its answers show it was learned here; a stated
        edge may be wrong, ``edge_error``). Without this, a student who just learned a skill
        would be believed to have known its dependents all along, at the population rate.
        """
        n, b = a1.shape
        eps = _F(self.edge_error)
        start = np.empty((n, b), dtype=_F)
        ratio = np.ones((n + 1, b), dtype=_F)
        cond = self.cond_init[:, None].astype(_F)
        for level, parents in zip(self._levels, self._level_parents, strict=True):
            prior = start[level]
            if parents.shape[1]:
                np.prod(ratio[parents], axis=1, out=prior)
                prior *= cond[level]
            else:
                prior[...] = cond[level]
            then = prior * a1[level]
            now = 1.0 - prior
            now *= b0[level]
            now += then
            # Then over now, 1 where nothing can have been learned (both 0).
            already = ratio[level]
            already[...] = 1.0
            np.divide(then, now, out=already, where=now > 0)
            already *= 1.0 - eps
            already += eps
        return start

    def _beliefs(self, students: Ints) -> tuple[Singles, Singles]:
        """Belief known, and P(available and unknown) times the student's learn-rate
        multiplier, on each skill (skills x students)."""
        n = self.c.n
        b = len(students)
        ids, cols, rows = self._answered(students)
        w = self._rate_weights(students)
        mean_rate = w @ self.rates
        # The answers' likelihood if the skill was known at the first opportunity (a1), if it
        # was not (a0), and if it was not but is known now (b0), mixed over the rate grid and
        # scaled by exp(top); skills without answers: 1, 1 and 0 (a0 only where answered).
        # (Single precision in the dense passes: half the memory traffic, same choices.)
        a1 = self._columns(self.a1, students)
        b0 = np.zeros((n, b), dtype=_F)
        known = self.known1[ids]
        top = self.top[ids]
        w_rows = w[rows]
        unknown = self.unknown[ids] * w_rows
        a0 = unknown.sum(axis=1)
        b0[cols, rows] = np.einsum("ij,ij->i", self.unknown_now[ids], w_rows)
        # The learn rate of a skill with answers is the posterior given them too.
        prior = self.cond_init[cols]
        pair_rate = (prior * known * mean_rate[rows] + (1.0 - prior) * (unknown @ self.rates)) / (
            prior * known + (1.0 - prior) * a0
        )
        # Known now if available: the prior of being known at the start where nothing was
        # answered, the BKT posterior under that prior where something was.
        kif_all = self._start_priors(a1, b0)
        start = kif_all[cols, rows]
        evidence = start * known + (1.0 - start) * a0
        kif_all[cols, rows] = (start * known + (1.0 - start) * b0[cols, rows]) / evidence
        # log P(data | blocked) - log P(data | available), per skill; exactly 0 without
        # answers: the upward pass skips students without evidence.
        d = self._columns(self.ll_blocked, students).astype(_F)
        d[cols, rows] -= top + np.log(evidence)
        np.clip(d, -_CLIP, _CLIP, out=d)
        # Messages upwards, deepest skills first: P(data below | prerequisite known) over
        # P(data below | prerequisite unknown). Evidence that a skill is known (its own answers
        # or its dependents') is also evidence that it is available.
        q, eps = 1.0 - self.hidden, self.edge_error
        up = np.zeros((n, b), dtype=_F)
        blocked = np.empty_like(d)
        # Per stated edge, exp(-message sent up): 1 where nothing was sent.
        unsent = np.ones((self._n_edges + 1, b), dtype=_F) if self.cavity else None
        for level, children, starts, owners, edges in reversed(self._up_edges):
            rows_blocked = blocked[level]
            np.maximum(up[level], 0.0, out=rows_blocked)
            np.subtract(d[level], rows_blocked, out=rows_blocked)
            if len(children):
                # A dependent without evidence sends nothing (its message is log 1): only the
                # students with evidence on this level's skills need the computation.
                seen = np.flatnonzero((blocked[children] != 0.0).any(axis=0))
                if not len(seen):
                    continue
                ratio_c = np.exp(np.clip(blocked[np.ix_(children, seen)], -_CLIP, _CLIP))
                if_known = q + (1.0 - q) * ratio_c
                msg = np.log(if_known) - np.log((1.0 - eps) * ratio_c + eps * if_known)
                up[np.ix_(owners, seen)] += np.add.reduceat(msg, starts, axis=0)
                if unsent is not None:
                    unsent[np.ix_(edges, seen)] = np.exp(-msg)
        # An unstated prerequisite comes earlier in the curriculum: the more of the earlier
        # skills a student may still miss, the likelier one is missing (up to twice the
        # prior); once they know all of them, nothing unstated can block the skill. (Each
        # skill's own answers are enough for this rough count.)
        # P(no unstated prerequisite is missing), per skill and student.
        hidden = self.hidden_k[:, None].astype(_F)
        if self.earlier:
            missing = 1.0 - kif_all
            before = np.empty_like(missing)
            # A running sum in the curriculum's order, row by row (numpy's cumsum down the
            # columns of a wide array is an order of magnitude slower).
            before[self._inner[0]] = 0.0
            for j, i in self._curriculum_steps:
                np.add(before[j], missing[j], out=before[i])
            before *= self._earlier_scale
            np.minimum(before, 1.0, out=before)
            before *= hidden
            clear = np.subtract(1.0, before, out=before)
        else:
            clear = np.repeat(1.0 - hidden, b, axis=1)
        # exp(d) and exp(up) once for all skills: P(data | blocked) / P(data | available) and
        # the dependents' likelihood ratio.
        np.exp(blocked, out=blocked)
        lift = np.exp(np.clip(up, -_CLIP, _CLIP, out=up), out=up)
        belief = np.ones((n + 1, b), dtype=_F)
        avail = np.empty((n, b), dtype=_F)
        spread = np.empty((n, b), dtype=_F)
        one_eps = _F(1.0 - eps)
        for level, prerequisites in zip(self._levels, self._level_parents, strict=True):
            post_avail = avail[level]
            if prerequisites.shape[1]:
                parents = belief[prerequisites]  # (skills, prerequisites, students)
                if unsent is not None:
                    # Each prerequisite's belief without this skill's own message (the cavity
                    # of belief propagation): the skill's answers count once, as its own
                    # evidence, not a second time through the prerequisite they moved.
                    r = unsent[self._edge_of[level, : prerequisites.shape[1]]]
                    r *= parents
                    np.subtract(1.0, parents, out=parents)
                    parents += r
                    np.divide(r, parents, out=parents)
                parents *= one_eps
                parents += _F(eps)
                a = np.prod(parents, axis=1)
                a *= clear[level]
            else:
                a = clear[level]
            # P(available | own answers): a / (a + (1 - a) x P(data | blocked) / P(data | av.))
            np.subtract(1.0, a, out=post_avail)
            post_avail *= blocked[level]
            post_avail += a
            np.divide(a, post_avail, out=post_avail)
            # Known now: own belief times the dependents' likelihood ratio, in odds;
            # ``spread`` is 1 - own + own x lift, so 1 - final = (1 - own) / spread.
            own = post_avail * kif_all[level]
            lifted = own * lift[level]
            wide = spread[level]
            np.subtract(lifted, own, out=wide)
            wide += 1.0
            np.divide(lifted, wide, out=belief[level])
        # P(available and unknown), counting the dependents' evidence too.
        gain = np.subtract(1.0, kif_all, out=kif_all)
        gain *= avail
        gain /= spread
        if self.caution:
            gain *= _power(avail, self.caution)
        # The student's learn rate on each skill: the posterior given its answers where it has
        # some, the student's otherwise.
        gain *= mean_rate[None, :].astype(_F)
        gain[cols, rows] *= (pair_rate / mean_rate[rows]).astype(_F)
        return belief[:n], gain

    def choose(self, students: Ints) -> Ints:
        value = self._values(students)
        # (argmax along the rows of a transposed copy: twice as fast as down the columns)
        best = np.ascontiguousarray(value.T).argmax(axis=1)
        top = value[best, np.arange(len(students))]
        result: Ints = np.where(top >= self.min_gain, self._outer[best], -1)
        return result

    def _values(self, students: Ints) -> Singles:
        """Expected learning gain of one opportunity on each skill (skills x students), plus
        the value of the dependents it may open."""
        return self._values_and_beliefs(students)[0]

    def _values_and_beliefs(self, students: Ints) -> tuple[Singles, Singles]:
        """:meth:`_values` and P(known), from one belief pass (skills x students each)."""
        belief, value = self._beliefs(students)
        value *= self._weight[:, None].astype(_F)
        if self.opening and len(self._open_owners):
            value += self._opening_value(belief, value)
        return value, belief

    def _opening_value(self, belief: Singles, value: Singles) -> Singles:
        """What an opportunity on each skill adds to the next one by opening its dependents.

        A right answer on a skill raises the belief in it, so the availability of each of its
        dependents (the stated edge's factor P(known) + (1 - P(known)) x ``edge_error``, to
        the power 1 + ``caution`` in the value); if a dependent then beats the best
        opportunity now, the next opportunity gains the difference. P(right) times the largest
        such gain, times ``opening``: a two-step look-ahead over every skill, on the one
        channel the myopic value misses, cheap because it needs no second belief pass. A
        student sure to know a skill only after confirming it (misses on dependents are
        ambiguous until then) is sent to confirm it when what lies beyond is worth it, not
        after every other fresh skill is used up.
        """
        owners = self._open_owners
        eps = _F(self.edge_error)
        known = belief[owners]
        # P(right) and the belief after a right answer, on the skills with dependents only.
        right = known * (_F(1.0) - self._open_slip)
        after = right.copy()
        right += (_F(1.0) - known) * self._open_guess
        after /= right
        # Each dependent's availability factor for the edge, now and after a right answer, and
        # the lift of its value (capped: a belief of 0 with no edge error would divide by 0).
        # In place, as every new array of this size costs its page faults.
        factor_now = known
        factor_now *= _F(1.0) - eps
        factor_now += eps
        np.maximum(factor_now, _F(1e-6), out=factor_now)
        lift = after
        lift *= _F(1.0) - eps
        lift += eps
        lift /= factor_now
        np.minimum(lift, _F(100.0), out=lift)
        lift = _power(lift, 1.0 + self.caution)
        (_, first), *others = self._open_slots
        gained = value[first]  # the best dependent's value, then what opening it gains
        for holders, dependents in others:
            gained[holders] = np.maximum(gained[holders], value[dependents])
        gained *= lift
        gained -= value.max(axis=0)[None, :]
        np.maximum(gained, 0.0, out=gained)
        gained *= right
        gained *= _F(self.opening)
        result = np.zeros_like(value)
        result[owners] = gained
        return result

    def values_and_known(self, students: Ints) -> tuple[Floats, Floats]:
        """What :meth:`choose` maximises (each skill's expected learning from one opportunity
        now, opening value included) and :meth:`known`, from one belief pass; one row per
        student, skills in the graph's order."""
        value, belief = self._values_and_beliefs(students)
        return (
            value[self._inner].T.astype(np.float64),
            belief[self._inner].T.astype(np.float64),
        )

    def declared(self, students: Ints) -> Bools:
        result: Bools = self.known(students) >= self.threshold
        return result

    def known(self, students: Ints) -> Floats:
        """P(each skill is known now), one row per student."""
        belief, _ = self._beliefs(students)
        result: Floats = belief[self._inner].T.astype(np.float64)
        return result

    def rate_multiplier(self, students: Ints) -> Floats:
        """Posterior mean of each student's learn-rate multiplier (1 = the population's)."""
        result: Floats = self._rate_weights(students) @ self.rates
        return result
