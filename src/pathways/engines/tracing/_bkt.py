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
from pathways.engines.tracing._packed import Packed, pack

__all__ = ["BKT", "trace_together"]

PARAM_NAMES = ("p_init", "p_learn", "p_forget", "p_guess", "p_slip")
_EPS = 1e-6


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
        if restarts > 1:
            # Short runs from every start (on a sample of about 500k rows for large logs), then
            # the best start per skill continues on all rows.
            probe = data.sample(rng, 500_000)
            theta, ll = _em(probe, theta, self._settings(), min(5, self.max_iter), self.tol)
            best = np.argmax(ll, axis=0)
            theta = theta[best, np.arange(n_skills)][None]
        theta, ll = _em(data, theta, self._settings(), self.max_iter, self.tol)
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


def _population(theta: FloatArray, counts: NDArray[np.int64]) -> FloatArray:
    weights = counts / max(int(counts.sum()), 1)
    return np.asarray(weights @ theta, dtype=np.float64)


class _Sequences:
    """A log packed into (student, skill) sequences, with the arrays EM and prediction need."""

    def __init__(self, log: ResponseLog, skill_codes: NDArray[np.int64]) -> None:
        skill = skill_codes[log.skill]
        n_codes = int(skill_codes.max()) + 1 if len(skill_codes) else 1
        key = log.student.astype(np.int64) * n_codes + skill
        # Dense sequence ids from one stable sort, which pack() reuses.
        order = np.argsort(key, kind="stable")
        starts = np.ones(len(key), dtype=bool)
        starts[1:] = key[order][1:] != key[order][:-1]
        group = np.empty(len(key), dtype=np.int64)
        group[order] = np.cumsum(starts) - 1
        self.n_rows = len(log)
        n_groups = int(starts.sum())
        self.packed: Packed = pack(group, n_groups, by_group=order)
        rows = self.packed.rows
        self.y = log.correct[rows].astype(bool)
        self.skill = skill[rows]
        self.seq_skill = self.skill[: int(self.packed.counts[0])] if len(rows) else skill[:0]
        # Index into a (skill, answer) table: picks the likelihood of each row's answer.
        self.code = self.skill * 2 + self.y
        self.n_codes = n_codes
        self.n_iter = 0
        self._groups = group.ravel()
        self._log = log
        self._codes = skill_codes

    def sample(self, rng: np.random.Generator, max_rows: int) -> _Sequences:
        """A random subset of whole sequences holding about ``max_rows`` rows."""
        if self.n_rows <= max_rows:
            return self
        n_groups = int(self._groups.max()) + 1
        keep = rng.random(n_groups) < max_rows / self.n_rows
        return _Sequences(self._log.take(keep[self._groups]), self._codes)


def _expand(
    theta: FloatArray, skill: NDArray[np.int64], which: tuple[int, ...]
) -> list[FloatArray]:
    """Per-sequence arrays (restarts, sequences) of the parameters numbered ``which``."""
    return [np.take(np.ascontiguousarray(theta[:, :, j]), skill, axis=1) for j in which]


# Smallest probability a state keeps. P(unknown) shrinks geometrically along a run of right
# answers; held exactly it would underflow to 0 after some 800 of them and the student could
# never be seen as unknown again. 1e-300 changes no likelihood that matters.
_TINY = 1e-300


def _forward(
    data: _Sequences, theta: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Forward filter for EM. Returns the priors ``a`` / ``au`` (P(known) / P(unknown) before
    each row), the filtered ``f`` / ``fu`` (the same after the row's answer) and the per-row
    likelihood ``c``.

    Both states are carried: P(unknown) is never computed as ``1 - P(known)``. After a long run
    of right answers P(known) rounds to 1.0 while P(unknown) is, say, 1e-30; from ``1 - 1.0``
    the wrong answers that follow could never lower the belief (the student stays "known"
    forever), which is what the DKT export of ASSISTments 2009, with its runs of hundreds of
    rows on one skill, punished.
    """
    p = data.packed
    init, learn, forget = _expand(theta, data.seq_skill, (0, 1, 2))
    guess = theta[:, :, 3]
    slip = theta[:, :, 4]
    # P(answer | known) and P(answer | unknown) per (skill, answer), then one gather per row.
    table_known = np.stack([slip, 1.0 - slip], axis=2).reshape(len(theta), -1)
    table_unknown = np.stack([1.0 - guess, guess], axis=2).reshape(len(theta), -1)
    like_known = np.take(table_known, data.code, axis=1)
    like_unknown = np.take(table_unknown, data.code, axis=1)
    shape = like_known.shape
    a = np.empty(shape)
    au = np.empty(shape)
    f = np.empty(shape)
    fu = np.empty(shape)
    c = np.empty(shape)
    stay = 1.0 - forget
    still = 1.0 - learn
    known = init.copy()
    unknown = 1.0 - init
    for start, stop, n in p.steps():
        rows = slice(start, stop)
        prior, prior_u = known[:, :n], unknown[:, :n]
        a[:, rows] = prior
        au[:, rows] = prior_u
        num = np.multiply(prior, like_known[:, rows], out=f[:, rows])
        num_u = np.multiply(prior_u, like_unknown[:, rows], out=fu[:, rows])
        total = np.add(num, num_u, out=c[:, rows])
        post = np.divide(num, total, out=num)
        post_u = np.divide(num_u, total, out=num_u)
        known[:, :n] = post * stay[:, :n] + post_u * learn[:, :n]
        np.maximum(post_u * still[:, :n] + post * forget[:, :n], _TINY, out=unknown[:, :n])
    return a, au, f, fu, c


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
) -> tuple[FloatArray, FloatArray]:
    """Baum-Welch from ``theta`` (restarts, skills, 5). Returns the parameters and the
    log-likelihood per restart and skill of the last E-step."""
    restarts, n_skills, _ = theta.shape
    p = data.packed
    n = data.n_rows
    shift = np.arange(restarts)[:, None]
    index = (shift * n_skills + data.skill[None, :]).ravel()
    # Cells (restart, skill, answer, has a next row): one bincount gives every expected count.
    cell = (shift * n_skills * 4 + (data.skill * 4 + data.y * 2 + p.has_next)[None, :]).ravel()
    size = restarts * n_skills
    first = slice(0, int(p.counts[0]))
    seq_index = (shift * n_skills + data.seq_skill[None, :]).ravel()
    n_seqs = np.bincount(seq_index, minlength=size).astype(np.float64).reshape(restarts, n_skills)
    rows = np.bincount(cell, minlength=size * 4).astype(np.float64)
    rows = rows.reshape(restarts, n_skills, 2, 2)
    forgets = bool(settings["forgets"])

    def per_skill(index: NDArray[np.int64], weights: FloatArray, cells: int = 1) -> FloatArray:
        out = np.bincount(index, weights.ravel(), minlength=size * cells)
        return out.astype(np.float64)

    previous = -np.inf
    ll = np.zeros((restarts, n_skills))
    data.n_iter = 0
    for _ in range(max(1, max_iter)):
        data.n_iter += 1
        a, au, f, fu, c = _forward(data, theta)
        ll = per_skill(index, np.log(c)).reshape(restarts, n_skills)
        current = float(ll.sum()) / max(n * restarts, 1)
        del c
        smooth, x01, x10 = _backward(data, theta, (a, au), (f, fu), forgets)
        del a, au, f, fu
        known = per_skill(cell, smooth, 4).reshape(restarts, n_skills, 2, 2)
        unknown = rows - known
        zero = np.zeros((restarts, n_skills))
        stats = {
            "p_init": (per_skill(seq_index, smooth[:, first]).reshape(restarts, n_skills), n_seqs),
            "p_learn": (per_skill(index, x01).reshape(restarts, n_skills), unknown[..., 1].sum(2)),
            "p_forget": (
                per_skill(index, x10).reshape(restarts, n_skills) if forgets else zero,
                known[..., 1].sum(2),
            ),
            "p_guess": (unknown[:, :, 1, :].sum(2), unknown.sum((2, 3))),
            "p_slip": (known[:, :, 0, :].sum(2), known.sum((2, 3))),
        }
        theta = _m_step(theta, stats, settings)
        if abs(current - previous) < tol:
            break
        previous = current
    return theta, ll


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


def _backward(
    data: _Sequences,
    theta: FloatArray,
    priors: tuple[FloatArray, FloatArray],
    filtered: tuple[FloatArray, FloatArray],
    forgets: bool,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Backward smoother: P(known | all of the sequence) per row and the expected transitions
    unknown->known (``x01``) and known->unknown (``x10``) out of each row. Like the forward
    filter it carries both states (no ``1 - p``), so saturated beliefs smooth correctly."""
    p = data.packed
    a, au = priors
    f, fu = filtered
    learn, forget = _expand(theta, data.seq_skill, (1, 2))
    stay = 1.0 - forget
    still = 1.0 - learn
    smooth = f.copy()
    smooth_u = fu.copy()
    x01 = np.zeros_like(f)
    x10 = np.zeros_like(f) if forgets else x01
    steps = p.steps()
    for k in range(len(steps) - 2, -1, -1):
        start = steps[k][0]
        nstart, nstop, n1 = steps[k + 1]
        rows = slice(start, start + n1)
        later = slice(nstart, nstop)
        post, post_u = f[:, rows], fu[:, rows]
        # Smoothed over predicted, per state of the next row (priors are >= _TINY > 0).
        r1 = smooth[:, later] / a[:, later]
        r0 = smooth_u[:, later] / au[:, later]
        gain = np.multiply(post_u * learn[:, :n1], r1, out=x01[:, rows])
        if forgets:
            lose = np.multiply(post * forget[:, :n1], r0, out=x10[:, rows])
            smooth[:, rows] = post * stay[:, :n1] * r1 + lose
        else:
            np.multiply(post, r1, out=smooth[:, rows])
        smooth_u[:, rows] = gain + post_u * still[:, :n1] * r0
    return smooth, x01, x10
