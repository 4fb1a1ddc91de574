"""Bayesian Knowledge Tracing per skill, fitted by EM (Baum-Welch) over all sequences at once.

One sequence is one student's rows on one skill. Sequences are packed step-major
(:mod:`._packed`), so each EM iteration is a forward filter and a backward smoother whose Python
loop runs over time steps only; every skill and every restart advance together in one numpy
operation per step. Restarts run side by side and the best one is kept per skill (skills are
independent, so choosing per skill is exact).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from pathways.engines.tracing._base import FloatArray, MasteryModel, Trace, map_ids
from pathways.engines.tracing._log import ResponseLog
from pathways.engines.tracing._online import SkillParams
from pathways.engines.tracing._packed import Packed, pack_sorted
from pathways.engines.tracing._tail import BlockedTail

__all__ = ["BKT", "trace_together"]

PARAM_NAMES = ("p_init", "p_learn", "p_forget", "p_guess", "p_slip")
_EPS = 1e-6
# Restarts are ranked after this many EM iterations on about this many rows per skill (whole
# sequences; every row of smaller skills). On ASSISTments 2009/2015/2017 and Statics this picks
# starts as good as ranking on all rows (held-out AUC within +-0.0002) at a fraction of the cost.
_PROBE_ITER = 5
_PROBE_ROWS = 3000
# Successive halving inside the probe: every start runs the first iterations, then only the
# most likely few per skill run the rest (a start far behind after two iterations does not
# overtake; see docs/engines/mastery-model.md, "Fifth round").
_PROBE_FIRST_ITER = 2
_PROBE_KEEP = 2


class BKT(MasteryModel):
    """Four-parameter Bayesian Knowledge Tracing per skill (optionally with forgetting).

    Args:
        n_restarts: random starting points tried per skill; the most likely fit is kept.
        max_iter: EM iterations at most.
        tol: stop when the mean log-likelihood per response improves by less than this.
        forgets: also learn P(known -> unknown) per skill.
        max_guess, max_slip: upper bounds that keep the model identifiable (known students must
            answer better than unknown ones).
        smoothing: pseudo-responses pulling each skill's parameters toward the population's
            (0 is plain maximum likelihood, as in standard BKT).
        random_state: seed for the restarts (an int gives reproducible fits).

    Example:
        >>> from pathways.engines.tracing import ResponseLog
        >>> answers = [0, 0, 1, 1, 0, 1, 1, 1]
        >>> log = ResponseLog.from_arrays(["a"] * 4 + ["b"] * 4, ["k"] * 8, answers)
        >>> model = BKT(random_state=0).fit(log)
        >>> sorted(model.params_["k"].keys())
        ['p_forget', 'p_guess', 'p_init', 'p_learn', 'p_slip']
        >>> model.predict_proba(log).shape
        (8,)
    """

    name = "bkt"

    def __init__(
        self,
        *,
        n_restarts: int = 5,
        max_iter: int = 100,
        tol: float = 1e-5,
        forgets: bool = False,
        max_guess: float = 0.5,
        max_slip: float = 0.5,
        smoothing: float = 0.0,
        random_state: int | None = None,
    ) -> None:
        self.n_restarts = n_restarts
        self.max_iter = max_iter
        self.tol = tol
        self.forgets = forgets
        self.max_guess = max_guess
        self.max_slip = max_slip
        self.smoothing = smoothing
        self.random_state = random_state

    # --- fitting -------------------------------------------------------------------------------

    def fit(self, log: ResponseLog) -> BKT:
        """Fit every skill's parameters on ``log``; returns ``self``."""
        if len(log) == 0:
            raise ValueError("cannot fit on an empty log")
        rng = np.random.default_rng(self.random_state)
        n_skills = log.n_skills
        counts = np.bincount(log.skill, minlength=n_skills)
        data = _Sequences(log, np.arange(n_skills, dtype=np.int64))
        restarts = max(1, int(self.n_restarts))
        theta = self._initial(rng, restarts, n_skills)
        buffers = _Buffers()
        if restarts > 1:
            # Short runs from every start on a sample of each skill's sequences, then the best
            # start per skill continues on all rows (their buffers are reused).
            probe = data.sample_skills(rng, _PROBE_ROWS)
            settings = self._settings()
            first = min(_PROBE_FIRST_ITER, _PROBE_ITER, self.max_iter)
            theta, ll = _em(probe, theta, settings, first, self.tol, buffers)
            rest = min(_PROBE_ITER, self.max_iter) - first
            if rest > 0:
                theta = _most_likely(theta, ll, min(_PROBE_KEEP, restarts))
                theta, ll = _em(probe, theta, settings, rest, self.tol, buffers)
            theta = _most_likely(theta, ll, 1)
        theta, ll = _em(data, theta, self._settings(), self.max_iter, self.tol, buffers)
        self.n_iter_ = data.n_iter
        seen = counts > 0
        self.skill_ids_ = tuple(log.skill_ids[k] for k in np.flatnonzero(seen))
        self.theta_ = theta[0][seen]
        self.n_responses_ = counts[seen]
        self.log_likelihood_ = float(ll[0][seen].sum())
        self.population_ = _population(self.theta_, self.n_responses_)
        return self

    def _settings(self) -> dict[str, float]:
        return {
            "forgets": float(self.forgets),
            "max_guess": float(self.max_guess),
            "max_slip": float(self.max_slip),
            "smoothing": float(self.smoothing),
        }

    def _initial(self, rng: np.random.Generator, restarts: int, n_skills: int) -> FloatArray:
        theta = np.empty((restarts, n_skills, 5))
        theta[0] = (0.4, 0.15, 0.05 if self.forgets else 0.0, 0.2, 0.1)
        if restarts > 1:
            shape = (restarts - 1, n_skills)
            theta[1:, :, 0] = rng.uniform(0.05, 0.9, shape)
            theta[1:, :, 1] = rng.uniform(0.01, 0.5, shape)
            theta[1:, :, 2] = rng.uniform(0.0, 0.2, shape) if self.forgets else 0.0
            theta[1:, :, 3] = rng.uniform(0.05, min(0.45, self.max_guess), shape)
            theta[1:, :, 4] = rng.uniform(0.05, min(0.45, self.max_slip), shape)
        return theta

    # --- fitted parameters ----------------------------------------------------------------------

    @property
    def params_(self) -> dict[str, dict[str, float]]:
        """Fitted parameters by skill id (the same numbers as in the model file)."""
        self._check_fitted()
        return {
            skill: dict(zip(PARAM_NAMES, map(float, row), strict=True))
            for skill, row in zip(self.skill_ids_, self.theta_, strict=True)
        }

    def skill_params(self) -> dict[str, SkillParams]:
        """Fitted parameters as the :class:`SkillParams` the online update uses."""
        return {skill: _skill_params(values) for skill, values in self.params_.items()}

    def population_params(self) -> SkillParams:
        """The parameters used for skills absent from training (response-weighted means)."""
        self._check_fitted()
        return _skill_params(dict(zip(PARAM_NAMES, map(float, self.population_), strict=True)))

    # --- prediction ------------------------------------------------------------------------------

    def trace(self, log: ResponseLog) -> Trace:
        """P(correct) before and P(mastered) after every row of ``log`` (each student alone)."""
        self._check_fitted()
        known = {s: i for i, s in enumerate(self.skill_ids_)}
        codes = map_ids(log.skill_ids, known, len(self.skill_ids_))
        theta = np.vstack([self.theta_, self.population_])
        data = _Sequences(log, codes)
        p_correct, p_mastery = _predict(data, theta)
        return Trace(p_correct=p_correct, p_mastery=p_mastery)

    # --- files ------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        self._check_fitted()
        return {
            "hyperparameters": self.get_params(),
            "skills": {
                skill: {**values, "n_responses": int(n)}
                for (skill, values), n in zip(
                    self.params_.items(), self.n_responses_.tolist(), strict=True
                )
            },
            "population": dict(zip(PARAM_NAMES, map(float, self.population_), strict=True)),
            "log_likelihood": self.log_likelihood_,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BKT:
        model = cls(**data["hyperparameters"])
        skills: dict[str, dict[str, float]] = data["skills"]
        model.skill_ids_ = tuple(skills)
        model.theta_ = np.array(
            [[float(v[p]) for p in PARAM_NAMES] for v in skills.values()], dtype=np.float64
        ).reshape(len(skills), 5)
        model.n_responses_ = np.array([int(v["n_responses"]) for v in skills.values()])
        model.population_ = np.array([float(data["population"][p]) for p in PARAM_NAMES])
        model.log_likelihood_ = float(data["log_likelihood"])
        return model


def _skill_params(values: dict[str, float]) -> SkillParams:
    return SkillParams(
        p_init=values["p_init"],
        p_learn=values["p_learn"],
        p_slip=values["p_slip"],
        p_guess=values["p_guess"],
        p_forget=values["p_forget"],
    )


def _most_likely(theta: FloatArray, ll: FloatArray, keep: int) -> FloatArray:
    """The ``keep`` most likely parameter sets of each skill, most likely first: restart slot
    ``j`` then holds each skill's ``j``-th best start (skills are independent, so slots need
    not hold the same start for every skill)."""
    ranked = np.argsort(-ll, axis=0, kind="stable")[:keep]
    return np.asarray(theta[ranked, np.arange(theta.shape[1])], dtype=np.float64)


def _population(theta: FloatArray, counts: NDArray[np.int64]) -> FloatArray:
    weights = counts / max(int(counts.sum()), 1)
    return np.asarray(weights @ theta, dtype=np.float64)


class _Sequences:
    """A log packed into (student, skill) sequences, with the arrays EM and prediction need."""

    def __init__(self, log: ResponseLog, skill_codes: NDArray[np.int64]) -> None:
        skill = skill_codes[log.skill]
        n_codes = int(skill_codes.max()) + 1 if len(skill_codes) else 1
        n = len(log)
        student = log.student
        starts = np.ones(n, dtype=bool)
        if n_codes <= 2**16 and bool(np.all(student[1:] >= student[:-1])):
            # Rows already grouped by student (as the readers leave them): a stable sort on the
            # skill alone, a linear-time radix sort on 16 bits, lists each (skill, student)
            # sequence contiguously and in time order.
            order = np.argsort(skill.astype(np.uint16), kind="stable")
            by_skill, by_student = skill[order], student[order]
            starts[1:] = (by_skill[1:] != by_skill[:-1]) | (by_student[1:] != by_student[:-1])
        else:
            key = student.astype(np.int64) * n_codes + skill
            order = np.argsort(key, kind="stable")
            sorted_key = key[order]
            starts[1:] = sorted_key[1:] != sorted_key[:-1]
        first = np.flatnonzero(starts)
        lengths = np.diff(first, append=n)
        self.n_rows = n
        self.packed: Packed = pack_sorted(order, lengths)
        rows = self.packed.rows
        self.y = log.correct[rows].astype(bool)
        self.skill = skill[rows]
        self.seq_skill = self.skill[: int(self.packed.counts[0])] if n else skill[:0]
        # Index into a (skill, answer) table: picks the likelihood of each row's answer.
        self.code = self.skill * 2 + self.y
        self.n_codes = n_codes
        self.n_iter = 0

    def sample_skills(self, rng: np.random.Generator, per_skill: int) -> _Sequences:
        """A random subset of whole sequences holding about ``per_skill`` rows of each skill
        (all of a skill's rows where it has fewer), packed without sorting again."""
        rows = np.bincount(self.skill, minlength=self.n_codes)
        if rows.max() <= per_skill:
            return self
        share = np.minimum(1.0, per_skill / np.maximum(rows, 1))
        keep = rng.random(len(self.seq_skill)) < share[self.seq_skill]
        if not keep.any():
            return self
        p = self.packed
        # Sequence (in packed order) of every packed row; the kept sequences stay sorted by
        # length, so at each step the active ones are still a prefix.
        seq = np.arange(self.n_rows) - np.repeat(p.offsets, p.counts)
        mask = keep[seq]
        counts = np.cumsum(keep)[p.counts - 1]
        counts = counts[counts > 0]
        sub = object.__new__(_Sequences)
        sub.n_rows = int(counts.sum())
        sub.packed = Packed(
            rows=p.rows[mask],
            offsets=np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64),
            counts=counts.astype(np.int64),
            seq_group=p.seq_group[keep],
            has_next=p.has_next[mask],
        )
        sub.y = self.y[mask]
        sub.skill = self.skill[mask]
        sub.seq_skill = self.seq_skill[keep]
        sub.code = self.code[mask]
        sub.n_codes = self.n_codes
        sub.n_iter = 0
        return sub


def _expand(
    theta: FloatArray, skill: NDArray[np.int64], which: tuple[int, ...]
) -> list[FloatArray]:
    """Per-sequence arrays (restarts, sequences) of the parameters numbered ``which``."""
    return [np.take(np.ascontiguousarray(theta[:, :, j]), skill, axis=1) for j in which]


# Smallest odds P(unknown) / P(known) a belief keeps. The odds shrink geometrically along a run
# of right answers; held exactly they would underflow to 0 after some 800 of them and the
# student could never be seen as unknown again. 1e-300 changes no likelihood that matters.
_TINY = 1e-300
# Largest backward ratio P(later answers | unknown now) / P(later answers | known now). Without
# forgetting it grows geometrically along a run of wrong answers (a student known now would stay
# known and slip every time) and would overflow after some 300 of them; capped, it still says
# "known" is 1e250 times less likely, which moves no posterior that matters.
_HUGE = 1e250

Stats = dict[str, tuple[FloatArray, FloatArray]]


class _Buffers:
    """Flat work arrays by name, reused across E-steps: the final EM on all rows fits in the
    arrays the restarts used (restarts x sampled rows), so its pages are touched only once."""

    def __init__(self) -> None:
        self._arrays: dict[str, NDArray[Any]] = {}

    def get(self, name: str, size: int, dtype: type = np.float64) -> NDArray[Any]:
        array = self._arrays.get(name)
        if array is None or len(array) < size:
            array = self._arrays[name] = np.empty(size, dtype=dtype)
        return array[:size]


class _EStep:
    """The E-step of Baum-Welch on one packed log, for ``restarts`` parameter sets at once, in
    odds form. Its buffers, and the views of them each time step works on, are made once and
    reused by every iteration (the Python loop over steps then does little but call ufuncs).

    Forward, each sequence carries the prior odds ``r = P(unknown) / P(known)`` (as prediction
    does): the answer multiplies them by ``P(answer | unknown) / P(answer | known)`` (giving the
    filtered odds ``q``) and the transition maps ``q`` to ``(q (1 - learn) + forget) /
    (1 - forget + q learn)``. Backward, it carries ``b = P(later answers | unknown now) /
    P(later answers | known now)``: with ``rho`` = the next row's answer ratio times its ``b``,
    ``b = (learn + (1 - learn) rho) / d`` where ``d = 1 - forget + forget rho`` (``b = 1``
    after a sequence's last row). Then per row ``P(known | all answers) = 1 / (1 + q b)``, the
    expected unknown->known transition out of the row is ``learn q P(known | all) / d`` and
    known->unknown ``forget rho P(known | all) / d``, and the answer's likelihood given the
    earlier ones is ``P(answer | known) (1 + q) / (1 + r)``.

    Only products, sums and ratios of positive numbers, no ``1 - p`` of a belief: beliefs
    saturated by long runs of right (or wrong) answers stay exact. Two numbers per row carry
    what a two-state filter and smoother need four for. Arrays are flat, row-major
    (row, restart), so each step's rows are one contiguous block.
    """

    def __init__(
        self, data: _Sequences, restarts: int, forgets: bool, buffers: _Buffers | None = None
    ) -> None:
        pool = buffers or _Buffers()
        self.data = data
        self.forgets = forgets
        self.restarts = m = restarts
        p = data.packed
        n = data.n_rows
        n_skills = data.n_codes
        self.shape = (m, n_skills)
        self.size = m * n_skills
        self.n_seqs = len(data.seq_skill)
        size = n * m
        shift = np.arange(m) * n_skills
        # Bins (restart, skill) and cells (restart, skill, answer, has a next row) of each
        # flat entry: one bincount over cells gives every expected count of the M-step.
        self.index = pool.get("index", size, np.int64)
        np.add(data.skill[:, None], shift, out=self.index.reshape(n, m))
        cells = data.skill * 4 + data.y * 2 + p.has_next
        self.cell = pool.get("cell", size, np.int64)
        np.add(cells[:, None], shift * 4, out=self.cell.reshape(n, m))
        self.seq_index = (data.seq_skill[:, None] + shift).ravel()
        seqs = np.bincount(self.seq_index, minlength=self.size).astype(np.float64)
        self.seqs = seqs.reshape(self.shape)
        rows = np.bincount(self.cell, minlength=self.size * 4).astype(np.float64)
        self.rows = rows.reshape(m, n_skills, 2, 2)
        self.answers = self.rows.sum(axis=3)  # rows per (restart, skill, answer)
        self.ratio = pool.get("ratio", size)  # P(answer | unknown) / P(answer | known)
        self.prior = pool.get("prior", size)  # r
        self.post = pool.get("post", size)  # q
        self.back = pool.get("back", size)  # b
        self.back.fill(1.0)  # stays 1 after each sequence's last row
        self.work = pool.get("work", size)
        per_seq = self.n_seqs * m
        self.learn = pool.get("learn", per_seq)
        self.still = pool.get("still", per_seq)
        self.low = pool.get("low", per_seq)
        if forgets:
            self.forget = pool.get("forget", per_seq)
            self.stay = pool.get("stay", per_seq)
            self.rho = pool.get("rho", size)
            self.rho.fill(0.0)  # stays 0 after the last row: no transition out of it
            self.den = pool.get("den", size)  # d
            self.den.fill(1.0)
        # Without forgetting, the longest sequences' last steps run block by block (_tail.py); the
        # numpy loops stop where the tail starts.
        self.tail = None if forgets else BlockedTail.plan(p, m)
        steps = p.steps()
        self._views(steps if self.tail is None else steps[: self.tail.start + 1])

    def _views(self, steps: list[tuple[int, int, int]]) -> None:
        """Per time step, the slices the forward and backward passes work on."""
        m = self.restarts
        self.forward_views = []
        self.backward_views = []
        self.last_view = None
        for k, (start, stop, _) in enumerate(steps):
            here = slice(start * m, stop * m)
            if k + 1 == len(steps):
                self.last_view = (self.prior[here], self.ratio[here], self.post[here])
                break
            nstart, nstop, n1 = steps[k + 1]
            on = slice(start * m, (start + n1) * m)  # rows whose sequence goes on: a prefix
            later = slice(nstart * m, nstop * m)
            prefix = slice(0, n1 * m)
            views = [self.prior[here], self.ratio[here], self.post[here], self.post[on]]
            views += [self.prior[later], self.low[prefix], self.learn[prefix], self.still[prefix]]
            back = [self.ratio[later], self.back[later], self.back[on]]
            back += [self.learn[prefix], self.still[prefix]]
            if self.forgets:
                views += [self.forget[prefix], self.stay[prefix]]
                back += [self.forget[prefix], self.stay[prefix], self.rho[on], self.den[on]]
            if not self.forgets:
                # The fused passes (see _passes): odds and step factors, three calls a step.
                views = [self.prior[on], self.work[on], self.prior[later], self.learn[prefix]]
                back = [self.work[later], self.back[later], self.back[on], self.still[prefix]]
            self.forward_views.append(tuple(views))
            self.backward_views.append(tuple(back))
        self.backward_views.reverse()

    def run(self, theta: FloatArray) -> tuple[Stats, float]:
        """The M-step's expected counts and the total log-likelihood (all restarts)."""
        self._passes(theta)
        return self._counts(theta)

    def smoothed(self, theta: FloatArray) -> FloatArray:
        """P(known | all of its sequence's answers) per row, packed order, shape (restarts, n)."""
        self._passes(theta)
        known: FloatArray = 1.0 / (1.0 + self.post * self.back)
        return known.reshape(-1, self.restarts).T

    def _passes(self, theta: FloatArray) -> None:
        guess = theta[:, :, 3]
        slip = theta[:, :, 4]
        # The answer ratio of every (restart, skill, answer, has a next row) cell, gathered
        # with the cell index (a flat 1-d take, the fast kind).
        table = np.stack([(1.0 - guess) / slip, guess / (1.0 - slip)], axis=2)
        np.take(np.repeat(table, 2, axis=2), self.cell, out=self.ratio)
        init = theta[:, :, 0]
        if not self.forgets:
            self._fused_passes(theta, table)
            return
        self._spread((1.0 - init) / init, self.prior[: self.n_seqs * self.restarts])
        self._spread(theta[:, :, 1], self.learn)
        self._spread(1.0 - theta[:, :, 1], self.still)
        self._spread(theta[:, :, 2], self.forget)
        self._spread(1.0 - theta[:, :, 2], self.stay)
        self._forward_forgets()
        self._backward_forgets()

    def _fused_passes(self, theta: FloatArray, table: FloatArray) -> None:
        """Forward and backward passes without forgetting, three numpy calls per time step.

        The forward pass runs on the inverse odds s = 1 / r = P(known) / P(unknown):
        r' = q (1 - learn) / (1 + q learn) with q = r ratio becomes s' = s a + c, where
        a = 1 / (ratio (1 - learn)) and c = learn / (1 - learn) depend only on the row's
        (restart, skill, answer) cell and the sequence's skill, so both are gathered once per
        E-step instead of being recomputed at every step. Likewise the backward step
        b = ratio' (1 - learn) b' + learn uses e = ratio (1 - learn) per cell (and ``still``
        holds learn per sequence for it). The floors are
        the same as :meth:`_forward` / :meth:`_backward` (s at most 1 / _TINY, b at most _HUGE).
        """
        learn = theta[:, :, 1]
        still = (1.0 - learn)[:, :, None]
        init = theta[:, :, 0]
        m = self.restarts
        odds, step, work = self.prior, self.post, self.work
        self._spread(init / (1.0 - init), odds[: self.n_seqs * m])
        self._spread(learn / (1.0 - learn), self.learn)
        self._spread(learn, self.still)  # the backward step's constant term
        np.take(np.repeat(1.0 / (table * still), 2, axis=2), self.cell, out=work)
        multiply, minimum = np.multiply, np.minimum
        ceiling = 1.0 / _TINY
        with np.errstate(over="ignore"):
            for s, a, nxt, c in self.forward_views:
                multiply(s, a, out=nxt)
                nxt += c
                minimum(nxt, ceiling, out=nxt)
        if self.tail is not None:
            self.tail.forward.run(odds, work, self.learn, ceiling)
        # Back to the odds r and q = r ratio for every row at once.
        np.divide(1.0, odds, out=odds)
        multiply(odds, self.ratio, out=step)
        np.take(np.repeat(table * still, 2, axis=2), self.cell, out=work)
        if self.tail is not None:
            self.tail.backward.run(self.back, work, self.still, _HUGE)
        for e, back_later, back, c in self.backward_views:
            multiply(e, back_later, out=back)
            back += c
            minimum(back, _HUGE, out=back)

    def _spread(self, values: FloatArray, out: FloatArray) -> None:
        """Per-skill values (restarts, skills) onto the sequences: ``out[i * restarts + j] =
        values[j, skill of sequence i]``."""
        np.take(values, self.seq_index, out=out)

    def _forward_forgets(self) -> None:
        multiply, divide, maximum = np.multiply, np.divide, np.maximum
        for prior, ratio, post, q, nxt, low, learn, still, forget, stay in self.forward_views:
            multiply(prior, ratio, out=post)
            multiply(q, still, out=nxt)
            nxt += forget
            multiply(q, learn, out=low)
            low += stay
            divide(nxt, low, out=nxt)
            maximum(nxt, _TINY, out=nxt)
        if self.last_view is not None:
            prior, ratio, post = self.last_view
            multiply(prior, ratio, out=post)

    def _backward_forgets(self) -> None:
        multiply, minimum = np.multiply, np.minimum
        for ratio, back_later, back, learn, still, forget, stay, rho, den in self.backward_views:
            multiply(ratio, back_later, out=rho)
            multiply(rho, still, out=back)
            back += learn
            multiply(rho, forget, out=den)
            den += stay
            back /= den
            minimum(back, _HUGE, out=back)

    def _counts(self, theta: FloatArray) -> tuple[Stats, float]:
        size, shape = self.size, self.shape
        prior, post = self.prior, self.post
        known = np.multiply(post, self.back, out=self.work)
        known += 1.0
        np.divide(1.0, known, out=known)  # P(known | all answers)
        # Transition weights without their per-skill factor (learn, forget), written over the
        # answer ratios (gathered afresh next iteration) and rho (rewritten before next use).
        cells = (*shape, 2, 2)
        known_cells = np.bincount(self.cell, known, minlength=size * 4).reshape(cells)
        unknown = self.rows - known_cells
        first = known[: self.n_seqs * self.restarts]
        known_first = np.bincount(self.seq_index, first, minlength=size).reshape(shape)
        if self.forgets:
            scale = np.divide(known, self.den, out=self.ratio)
            lose = np.multiply(self.rho, scale, out=self.rho)
            gain = np.multiply(scale, post, out=scale)
            gains = np.bincount(self.cell, gain, minlength=size * 4).reshape(cells)
            learned = gains[..., 1].sum(axis=2) * theta[:, :, 1]
            lost = np.bincount(self.index, lose, minlength=size).reshape(shape) * theta[:, :, 2]
        else:
            # Without forgetting a student moves unknown -> known at most once, so a sequence's
            # expected number of such moves is P(known at its last row) - P(known at its first).
            learned = known_cells[..., 0].sum(axis=2) - known_first
            lost = np.zeros(shape)
        stats = {
            "p_init": (known_first, self.seqs),
            "p_learn": (learned, unknown[..., 1].sum(axis=2)),
            "p_forget": (lost, known_cells[..., 1].sum(axis=2)),
            "p_guess": (unknown[:, :, 1, :].sum(axis=2), unknown.sum(axis=(2, 3))),
            "p_slip": (known_cells[:, :, 0, :].sum(axis=2), known_cells.sum(axis=(2, 3))),
        }
        # P(answer | earlier answers) / P(answer | known) = (1 + q) / (1 + r), kept in `post`
        # for log_likelihood(); the total takes logs of products of 32 of them (each lies in
        # [1e-6, 1e6] within the parameter bounds, so no product leaves float range).
        post += 1.0
        prior += 1.0
        np.divide(post, prior, out=post)
        self._slip = theta[:, :, 4]
        return stats, _sum_log(post, self.work) + float(np.sum(self._answer_ll()))

    def _answer_ll(self) -> FloatArray:
        """Sum over rows of log P(answer | known), per (restart, skill)."""
        slip = self._slip
        ll: FloatArray = self.answers[..., 0] * np.log(slip) + self.answers[..., 1] * np.log1p(
            -slip
        )
        return ll

    def log_likelihood(self) -> FloatArray:
        """The log-likelihood per (restart, skill) of the last :meth:`run`."""
        terms = np.log(self.post, out=self.work)
        ll = np.bincount(self.index, terms, minlength=self.size).reshape(self.shape)
        return ll + self._answer_ll()


def _sum_log(values: FloatArray, work: FloatArray) -> float:
    """``sum(log(values))`` for positive values within [1e-6, 1e6]: multiplies them 32 at a
    time (five halvings) and takes 32 times fewer logarithms."""
    m = len(values)
    buf = work[:m]
    buf[:] = values
    for _ in range(5):
        if m < 2:
            break
        half = m // 2
        buf[:half] *= buf[half : 2 * half]
        if m % 2:
            buf[half] = buf[m - 1]
        m = half + m % 2
    return float(np.log(buf[:m]).sum())


def _filter(data: _Sequences, theta: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Prediction-only forward pass (restarts or models on the first axis): P(correct) before
    and P(known) after each row, packed order.

    It carries one number per sequence, the odds ``r = P(unknown) / P(known)``: an answer
    multiplies it by ``P(answer | unknown) / P(answer | known)`` and the transition maps it to
    ``(r (1 - learn) + forget) / (1 - forget + r learn)``. No subtraction, so saturated beliefs
    stay exact (like the two-state filter EM uses), at about half the array work.
    """
    init, learn, forget = _expand(theta, data.seq_skill, (0, 1, 2))
    guess = np.clip(theta[:, :, 3], 1e-12, 1 - 1e-12)
    slip = np.clip(theta[:, :, 4], 1e-12, 1 - 1e-12)
    table = np.stack([(1.0 - guess) / slip, guess / (1.0 - slip)], axis=2)
    ratio = np.take(table.reshape(len(theta), -1), data.code, axis=1)
    shape = ratio.shape
    before = np.empty(shape)
    after = np.empty(shape)
    stay = 1.0 - forget
    still = 1.0 - learn
    odds = (1.0 - init) / np.maximum(init, _TINY)
    for start, stop, n in data.packed.steps():
        rows = slice(start, stop)
        current = odds[:, :n]
        before[:, rows] = current
        post = current * ratio[:, rows]
        top = post * still[:, :n]
        top += forget[:, :n]
        bottom = post * learn[:, :n]
        bottom += stay[:, :n]
        nxt = np.divide(top, bottom, out=after[:, rows])
        np.maximum(nxt, _TINY, out=nxt)
        odds[:, :n] = nxt
    row_slip = np.take(theta[:, :, 4], data.skill, axis=1)
    row_guess = np.take(theta[:, :, 3], data.skill, axis=1)
    p_correct = (1.0 - row_slip + row_guess * before) / (1.0 + before)
    p_mastery = np.divide(1.0, 1.0 + after, out=after)
    return p_correct, p_mastery


def trace_together(models: list[BKT], log: ResponseLog) -> list[Trace]:
    """The traces of several BKTs fitted on the same skills, in one forward pass (the models
    ride on the restart axis, so the log is packed once)."""
    if not models:
        return []
    for model in models:
        model._check_fitted()
    skills = models[0].skill_ids_
    if any(m.skill_ids_ != skills for m in models[1:]):
        return [m.trace(log) for m in models]
    codes = map_ids(log.skill_ids, {s: i for i, s in enumerate(skills)}, len(skills))
    theta = np.stack([np.vstack([m.theta_, m.population_]) for m in models])
    data = _Sequences(log, codes)
    packed_correct, packed_mastery = _filter(data, theta)
    traces = []
    for r in range(len(models)):
        p_correct = np.empty(data.n_rows)
        p_mastery = np.empty(data.n_rows)
        p_correct[data.packed.rows] = packed_correct[r]
        p_mastery[data.packed.rows] = packed_mastery[r]
        traces.append(Trace(p_correct=p_correct, p_mastery=p_mastery))
    return traces


def _predict(data: _Sequences, theta: FloatArray) -> tuple[FloatArray, FloatArray]:
    packed_correct, packed_mastery = _filter(data, theta[None])
    p_correct = np.empty(data.n_rows)
    p_mastery = np.empty(data.n_rows)
    p_correct[data.packed.rows] = packed_correct[0]
    p_mastery[data.packed.rows] = packed_mastery[0]
    return p_correct, p_mastery


def _em(
    data: _Sequences,
    theta: FloatArray,
    settings: dict[str, float],
    max_iter: int,
    tol: float,
    buffers: _Buffers | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Baum-Welch from ``theta`` (restarts, skills, 5). Returns the parameters and the
    log-likelihood per restart and skill of the last E-step."""
    e_step = _EStep(data, len(theta), bool(settings["forgets"]), buffers)
    previous = -np.inf
    data.n_iter = 0
    for _ in range(max(1, max_iter)):
        data.n_iter += 1
        stats, total = e_step.run(theta)
        current = total / max(data.n_rows * len(theta), 1)
        theta = _m_step(theta, stats, settings)
        if abs(current - previous) < tol:
            break
        previous = current
    return theta, e_step.log_likelihood()


def _m_step(
    theta: FloatArray, stats: dict[str, tuple[FloatArray, FloatArray]], settings: dict[str, float]
) -> FloatArray:
    new = np.empty_like(theta)
    alpha = settings["smoothing"]
    for j, name in enumerate(PARAM_NAMES):
        num, den = stats[name]
        if alpha > 0:
            # Shrink toward the population value (pooled over skills) by `alpha` pseudo-responses.
            pooled = num.sum(axis=1, keepdims=True) / np.maximum(den.sum(axis=1, keepdims=True), 1)
            num = num + alpha * pooled
            den = den + alpha
        value = np.where(den > 0, num / np.maximum(den, 1e-12), theta[:, :, j])
        new[:, :, j] = value
    new[:, :, 0] = np.clip(new[:, :, 0], _EPS, 1 - _EPS)
    new[:, :, 1] = np.clip(new[:, :, 1], _EPS, 1 - _EPS)
    new[:, :, 2] = np.clip(new[:, :, 2], 0.0, 1 - _EPS) if settings["forgets"] else 0.0
    new[:, :, 3] = np.clip(new[:, :, 3], _EPS, settings["max_guess"] - _EPS)
    new[:, :, 4] = np.clip(new[:, :, 4], _EPS, settings["max_slip"] - _EPS)
    return new
