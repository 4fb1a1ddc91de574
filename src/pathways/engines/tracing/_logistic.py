"""LogisticKT: logistic regression over BKT's prediction and the student's history.

P(correct) = sigmoid(b + w . x + skill_k + item_i + a_k log(1 + right_k) + c_k log(1 + wrong_k))

where ``x`` holds the dense history features of :mod:`._features` (BKT's logit, counts and
recency on the skill and across skills), ``skill_k`` and ``item_i`` are difficulty offsets, and
``a_k``, ``c_k`` are per-skill learning slopes (performance-factor analysis). Every weight has an L2
penalty, so skills and items absent from training contribute nothing (the population).
It adds to BKT what BKT cannot see: item difficulty, a student's overall ability as shown on other
skills, and recency. ``p_mastery`` is the embedded BKT's posterior.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import scipy.linalg
import scipy.optimize
import scipy.sparse
from numpy.typing import NDArray

from pathways.engines.tracing._base import FloatArray, MasteryModel, Trace, map_ids
from pathways.engines.tracing._bkt import BKT, trace_together
from pathways.engines.tracing._features import DENSE_FEATURES, history_features
from pathways.engines.tracing._log import ResponseLog
from pathways.engines.tracing._online import SkillParams

__all__ = ["LogisticKT"]


class LogisticKT(MasteryModel):
    """Logistic knowledge tracing stacked on BKT (the project's best model on held-out students).

    Args:
        l2: L2 penalty per weight (the loss is the mean log loss over training rows).
        forgetting_feature: also fit BKT with forgetting and use its prediction as a feature.
        skill_decay, student_decay: decay per earlier response of the recency features.
        use_items: learn a difficulty per item when the log has item ids.
        max_iter: L-BFGS iterations at most.
        bkt_restarts: restarts of the embedded BKTs.
        sample_rows: logs larger than 1.5 times this are fitted in two stages: L-BFGS to
            convergence on a random sample of whole students holding about this many rows, then
            at most ``refine_iter`` iterations on all rows from there (a warm start).
        refine_iter: L-BFGS iterations at most of the second stage.
        chunk_rows: features are built (and predictions made) for whole students in chunks of
            about this many rows, which bounds the working memory.
        random_state: seed of the embedded BKT and of the first-stage sample.

    Example:
        >>> from pathways.engines.tracing import ResponseLog
        >>> log = ResponseLog.from_arrays(["a"] * 3 + ["b"] * 3, ["k"] * 6, [0, 1, 1, 0, 0, 1])
        >>> LogisticKT(random_state=0).fit(log).predict_proba(log).shape
        (6,)
    """

    name = "logistic"

    def __init__(
        self,
        *,
        l2: float = 1e-5,
        skill_decay: float = 0.7,
        student_decay: float = 0.9,
        use_items: bool = True,
        max_iter: int = 150,
        bkt_restarts: int = 5,
        forgetting_feature: bool = True,
        sample_rows: int = 1_000_000,
        refine_iter: int = 30,
        chunk_rows: int = 1_000_000,
        random_state: int | None = None,
    ) -> None:
        self.l2 = l2
        self.skill_decay = skill_decay
        self.student_decay = student_decay
        self.use_items = use_items
        self.max_iter = max_iter
        self.bkt_restarts = bkt_restarts
        self.forgetting_feature = forgetting_feature
        self.sample_rows = sample_rows
        self.refine_iter = refine_iter
        self.chunk_rows = chunk_rows
        self.random_state = random_state

    def fit(self, log: ResponseLog) -> LogisticKT:
        """Fit the embedded BKT, then the logistic weights, on ``log``; returns ``self``."""
        if len(log) == 0:
            raise ValueError("cannot fit on an empty log")
        self.bkt_ = BKT(n_restarts=self.bkt_restarts, random_state=self.random_state).fit(log)
        self.bkt_forgets_: BKT | None = None
        if self.forgetting_feature:
            self.bkt_forgets_ = BKT(
                n_restarts=self.bkt_restarts, forgets=True, random_state=self.random_state
            ).fit(log)
        self.base_rate_ = float(log.correct.mean())
        skill_counts = np.bincount(log.skill, minlength=log.n_skills)
        self.skill_ids_ = tuple(log.skill_ids[k] for k in np.flatnonzero(skill_counts))
        self.item_ids_: tuple[str, ...] = ()
        if self.use_items and log.has_items:
            item_counts = np.bincount(log.item[log.item >= 0], minlength=len(log.item_ids))
            self.item_ids_ = tuple(log.item_ids[i] for i in np.flatnonzero(item_counts))
        design = self._design(log)
        self.mean_ = design.dense.mean(axis=0, dtype=np.float64)
        self.scale_ = design.dense.std(axis=0, dtype=np.float64)
        self.scale_[self.scale_ == 0] = 1.0
        design.standardise(self.mean_, self.scale_)
        # Sparse columns rescaled to unit root-mean-square, with the penalty rescaled to match:
        # the same objective and optimum, but a rare item's weight no longer has a curvature
        # thousands of times smaller than the dense weights', so L-BFGS needs far fewer steps.
        d = design.dense.shape[1]
        col_scale = design.normalise_sparse()
        scale = np.concatenate([np.ones(d), col_scale, [1.0]])
        penalty = np.full(len(scale), float(self.l2)) / scale**2
        penalty[-1] = 0.0
        start = np.zeros(len(scale))
        rate = min(max(self.base_rate_, 1e-3), 1 - 1e-3)
        start[-1] = np.log(rate / (1 - rate))
        n = len(log)
        self.n_iter_ = 0
        if n > 1.5 * self.sample_rows:
            # Warm start: converge on a sample of whole students, then refine on every row.
            rng = np.random.default_rng(self.random_state)
            keep = _student_sample(design.student, rng, self.sample_rows)
            start, iters = _minimise(design.subset(keep), start, penalty, self.max_iter)
            self.n_iter_ += iters
            v, iters = _minimise(design, start, penalty, self.refine_iter)
        else:
            v, iters = _minimise(design, start, penalty, self.max_iter)
        self.n_iter_ += iters
        w = v / scale
        width = len(w) - 1
        d = design.dense.shape[1]
        n_skills = len(self.skill_ids_)
        self.coef_ = w[:d]
        self.skill_bias_ = w[d : d + n_skills]
        self.skill_slope_right_ = w[d + n_skills : d + 2 * n_skills]
        self.skill_slope_wrong_ = w[d + 2 * n_skills : d + 3 * n_skills]
        self.item_bias_ = w[d + 3 * n_skills : width]
        self.intercept_ = float(w[-1])
        return self

    def _design(self, log: ResponseLog) -> _Design:
        """Features of every row, built chunk by chunk (whole students), in chunk order."""
        n = len(log)
        dense = np.empty((n, len(DENSE_FEATURES)), dtype=np.float32, order="F")
        y = np.empty(n, dtype=np.int8)
        student = np.empty(n, dtype=np.int32)
        parts = []
        at = 0
        for rows in _chunks(log, self.chunk_rows):
            part = log if rows is None else log.take(rows)
            stop = at + len(part)
            features = self._features(part)[0]
            dense[at:stop] = features
            y[at:stop] = part.correct
            student[at:stop] = part.student
            parts.append(self._sparse(part, features))
            at = stop
        sparse = parts[0] if len(parts) == 1 else scipy.sparse.vstack(parts, format="csr")
        return _Design(dense, scipy.sparse.csr_matrix(sparse), y, student)

    def _features(self, log: ResponseLog) -> tuple[NDArray[np.floating], FloatArray]:
        """Dense history features (float32) and the embedded BKT's ``p_mastery``."""
        models = [self.bkt_] if self.bkt_forgets_ is None else [self.bkt_, self.bkt_forgets_]
        traces = trace_together(models, log)
        forgets_p = traces[1].p_correct if len(traces) > 1 else None
        dense = history_features(
            log,
            traces[0].p_correct,
            forgets_p,
            skill_decay=self.skill_decay,
            student_decay=self.student_decay,
            base_rate=self.base_rate_,
            dtype=np.float32,
        )
        return dense, traces[0].p_mastery

    def _sparse(self, log: ResponseLog, dense: NDArray[np.floating]) -> scipy.sparse.csr_matrix:
        """One-hot skill bias, per-skill slopes on the raw log counts, and item bias columns."""
        n = len(log)
        n_skills = len(self.skill_ids_)
        n_items = len(self.item_ids_)
        skill = map_ids(log.skill_ids, {s: i for i, s in enumerate(self.skill_ids_)}, -1)[log.skill]
        known = skill >= 0
        safe = np.where(known, skill, 0)
        cols = [safe, n_skills + safe, 2 * n_skills + safe]
        vals = [known * 1.0, known * dense[:, 1], known * dense[:, 2]]
        if n_items:
            codes = map_ids(log.item_ids, {s: i for i, s in enumerate(self.item_ids_)}, -1)
            item = np.where(log.item >= 0, codes[np.maximum(log.item, 0)], -1)
            has = item >= 0
            cols.append(3 * n_skills + np.where(has, item, 0))
            vals.append(has * 1.0)
        per_row = len(cols)
        width = 3 * n_skills + n_items
        index_type = np.int32 if max(n * per_row, width) < 2**31 - 1 else np.int64
        indptr = np.arange(0, n * per_row + 1, per_row, dtype=index_type)
        return scipy.sparse.csr_matrix(
            (
                np.column_stack(vals).astype(np.float64).ravel(),
                np.column_stack(cols).astype(index_type).ravel(),
                indptr,
            ),
            shape=(n, width),
        )

    def trace(self, log: ResponseLog) -> Trace:
        """P(correct) from the logistic model and P(mastered) from the embedded BKT."""
        self._check_fitted()
        w = np.concatenate(
            [self.skill_bias_, self.skill_slope_right_, self.skill_slope_wrong_, self.item_bias_]
        )
        # Standardisation folded into the weights: (x - m) / s . c = x . (c / s) - m . (c / s).
        coef = (self.coef_ / self.scale_).astype(np.float32)
        offset = self.intercept_ - float(np.dot(self.mean_, self.coef_ / self.scale_))
        n = len(log)
        p_correct = np.empty(n)
        p_mastery = np.empty(n)
        for rows in _chunks(log, self.chunk_rows):
            part = log if rows is None else log.take(rows)
            dense, mastery = self._features(part)
            z = (dense @ coef).astype(np.float64)
            z += self._sparse(part, dense) @ w
            z += offset
            where = slice(None) if rows is None else rows
            p_correct[where] = _sigmoid(z)
            p_mastery[where] = mastery
        return Trace(p_correct=p_correct, p_mastery=p_mastery)

    def skill_params(self) -> dict[str, SkillParams]:
        """The embedded BKT's parameters (what the online update uses)."""
        self._check_fitted()
        return self.bkt_.skill_params()

    def to_dict(self) -> dict[str, Any]:
        self._check_fitted()
        return {
            "hyperparameters": self.get_params(),
            "base_rate": self.base_rate_,
            "intercept": self.intercept_,
            "features": {
                name: {"weight": float(w), "mean": float(m), "scale": float(s)}
                for name, w, m, s in zip(
                    DENSE_FEATURES, self.coef_, self.mean_, self.scale_, strict=True
                )
            },
            "skills": {
                skill: {"bias": float(b), "slope_right": float(r), "slope_wrong": float(w)}
                for skill, b, r, w in zip(
                    self.skill_ids_,
                    self.skill_bias_,
                    self.skill_slope_right_,
                    self.skill_slope_wrong_,
                    strict=True,
                )
            },
            "items": {i: float(b) for i, b in zip(self.item_ids_, self.item_bias_, strict=True)},
            "bkt": self.bkt_.to_dict(),
            "bkt_forgets": None if self.bkt_forgets_ is None else self.bkt_forgets_.to_dict(),
            "n_iter": self.n_iter_,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogisticKT:
        model = cls(**data["hyperparameters"])
        model.bkt_ = BKT.from_dict(data["bkt"])
        forgets = data.get("bkt_forgets")
        model.bkt_forgets_ = None if forgets is None else BKT.from_dict(forgets)
        model.base_rate_ = float(data["base_rate"])
        model.intercept_ = float(data["intercept"])
        features: dict[str, dict[str, float]] = data["features"]
        model.coef_ = np.array([features[f]["weight"] for f in DENSE_FEATURES], dtype=np.float64)
        model.mean_ = np.array([features[f]["mean"] for f in DENSE_FEATURES], dtype=np.float64)
        model.scale_ = np.array([features[f]["scale"] for f in DENSE_FEATURES], dtype=np.float64)
        skills: dict[str, dict[str, float]] = data["skills"]
        model.skill_ids_ = tuple(skills)
        model.skill_bias_ = _floats(v["bias"] for v in skills.values())
        model.skill_slope_right_ = _floats(v["slope_right"] for v in skills.values())
        model.skill_slope_wrong_ = _floats(v["slope_wrong"] for v in skills.values())
        items: dict[str, float] = data["items"]
        model.item_ids_ = tuple(items)
        model.item_bias_ = _floats(items.values())
        model.n_iter_ = int(data["n_iter"])
        return model


class _Design:
    """The training design: standardised dense features (float32, column-major), the sparse
    one-hot/slope columns, the answers and each row's student."""

    def __init__(
        self,
        dense: NDArray[np.float32],
        sparse: scipy.sparse.csr_matrix,
        y: NDArray[np.int8],
        student: NDArray[np.int32],
    ) -> None:
        self.dense = dense
        self.sparse = sparse
        self.y = y
        self.student = student

    def standardise(self, mean: FloatArray, scale: FloatArray) -> None:
        """In place, column by column (no float64 copy of the matrix)."""
        for j in range(self.dense.shape[1]):
            column = self.dense[:, j]
            column -= np.float32(mean[j])
            column /= np.float32(scale[j])

    def normalise_sparse(self) -> FloatArray:
        """Scale the sparse columns to unit root-mean-square in place; returns the scales."""
        sparse = self.sparse
        sq = np.bincount(sparse.indices, sparse.data**2, minlength=sparse.shape[1])
        scale: FloatArray = np.sqrt(sq / max(sparse.shape[0], 1))
        scale[scale == 0] = 1.0
        sparse.data /= scale[sparse.indices]
        return scale

    def subset(self, rows: NDArray[np.bool_]) -> _Design:
        return _Design(self.dense[rows], self.sparse[rows], self.y[rows], self.student[rows])


def _minimise(
    design: _Design, start: FloatArray, penalty: FloatArray, max_iter: int
) -> tuple[FloatArray, int]:
    """L-BFGS on the mean log loss plus ``sum(penalty * w^2) / 2``."""
    dense, sparse = design.dense, design.sparse
    d = dense.shape[1]
    sign = 2.0 * design.y.astype(np.float64) - 1.0  # +1 right, -1 wrong
    rows = float(len(sign))
    sparse_t = sparse.T  # CSC view: no copy
    # The dense features are correlated (BKT's two logits, counts and rates), which makes the
    # loss a long narrow valley. L-BFGS works on v with w_dense = L^-T v, where L L^T is the
    # features' covariance: the same optimum, a round valley for the dense part.
    cov = np.asarray(dense.T @ dense, dtype=np.float64) / max(rows, 1.0)
    # Any invertible L gives the same optimum; the jitter keeps constant or collinear columns
    # (a feature switched off) invertible.
    try:
        chol = np.linalg.cholesky(cov + 1e-4 * np.eye(d))
    except np.linalg.LinAlgError:
        chol = np.eye(d)

    def to_w(v: FloatArray) -> FloatArray:
        w = v.copy()
        w[:d] = scipy.linalg.solve_triangular(chol.T, v[:d], lower=False)
        return w

    # Work buffers reused by every evaluation: a fresh 80 MB array per step at 10M rows costs
    # more in page faults (kernel time) than the arithmetic does.
    n = len(sign)
    z32 = np.empty(n, dtype=np.float32)
    z = np.empty(n)
    e = np.empty(n)
    q = np.empty(n)
    r32 = np.empty(n, dtype=np.float32)
    positive = np.empty(n, dtype=bool)

    def loss(v: FloatArray) -> tuple[float, FloatArray]:
        w = to_w(v)
        # Whole-matrix float32 products (one BLAS call each: small per-block calls are slow
        # when the BLAS threads share busy cores); everything per row in float64.
        np.matmul(dense, w[:d].astype(np.float32), out=z32)
        np.copyto(z, z32)
        np.add(z, sparse @ w[d:-1], out=z)
        np.add(z, w[-1], out=z)
        # With m = sign * z: loss = log(1 + e^-m) = log1p(e^-|m|) + max(-m, 0) and
        # dloss/dz = -sign * sigmoid(-m), all from one exponential e = e^-|m|.
        m = np.multiply(sign, z, out=z)
        np.abs(m, out=e)
        np.negative(e, out=e)
        np.exp(e, out=e)
        value = float(np.log1p(e, out=q).sum()) - float(np.minimum(m, 0.0, out=q).sum())
        value /= rows
        np.add(e, 1.0, out=q)
        np.divide(1.0, q, out=q)  # sigmoid(-m) where m < 0
        np.multiply(q, e, out=q, where=np.greater_equal(m, 0.0, out=positive))
        np.multiply(q, sign, out=q)
        np.multiply(q, -1.0 / rows, out=q)
        np.copyto(r32, q, casting="same_kind")
        grad = np.empty_like(w)
        grad[:d] = r32 @ dense
        grad[d:-1] = sparse_t @ q
        grad[-1] = q.sum()
        value += 0.5 * float(np.dot(penalty * w, w))
        grad += penalty * w
        grad[:d] = scipy.linalg.solve_triangular(chol, grad[:d], lower=True)
        return value, grad

    v0 = start.copy()
    v0[:d] = chol.T @ start[:d]
    result = scipy.optimize.minimize(
        loss,
        v0,
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": int(max_iter), "gtol": 1e-7},
    )
    return to_w(np.asarray(result.x, dtype=np.float64)), int(result.nit)


def _chunks(log: ResponseLog, max_rows: int) -> list[NDArray[np.int64] | None]:
    """Row indices (log order) of groups of whole students holding about ``max_rows`` rows;
    ``[None]`` when the whole log is one chunk."""
    n = len(log)
    if n <= max_rows:
        return [None]
    counts = np.bincount(log.student, minlength=log.n_students)
    chunk_of_student = (np.cumsum(counts) - counts) // max(int(max_rows), 1)
    chunk = chunk_of_student[log.student]
    order = np.argsort(chunk, kind="stable")
    bounds = np.searchsorted(chunk[order], np.arange(int(chunk.max()) + 2))
    return [order[lo:hi] for lo, hi in itertools.pairwise(bounds.tolist()) if hi > lo]


def _student_sample(
    student: NDArray[np.int32], rng: np.random.Generator, max_rows: int
) -> NDArray[np.bool_]:
    """A row mask of randomly chosen whole students holding about ``max_rows`` rows."""
    counts = np.bincount(student)
    order = rng.permutation(len(counts))
    chosen = order[: int(np.searchsorted(np.cumsum(counts[order]), max_rows)) + 1]
    mask = np.zeros(len(counts), dtype=bool)
    mask[chosen] = True
    return mask[student]


def _floats(values: Any) -> FloatArray:
    return np.array(list(values), dtype=np.float64)


def _sigmoid(z: NDArray[np.float64]) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)
