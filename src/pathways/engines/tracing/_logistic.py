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

from typing import Any

import numpy as np
import scipy.optimize
import scipy.sparse
from numpy.typing import NDArray

from pathways.engines.tracing._base import FloatArray, MasteryModel, Trace, map_ids
from pathways.engines.tracing._bkt import BKT
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
        random_state: seed of the embedded BKT.

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
        random_state: int | None = None,
    ) -> None:
        self.l2 = l2
        self.skill_decay = skill_decay
        self.student_decay = student_decay
        self.use_items = use_items
        self.max_iter = max_iter
        self.bkt_restarts = bkt_restarts
        self.forgetting_feature = forgetting_feature
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
        dense = self._dense(log)
        self.mean_ = dense.mean(axis=0)
        self.scale_ = dense.std(axis=0)
        self.scale_[self.scale_ == 0] = 1.0
        scaled = np.ascontiguousarray((dense - self.mean_) / self.scale_)
        sparse = self._sparse(log, dense)
        y = log.correct.astype(np.float64)
        n_skills = len(self.skill_ids_)
        d = scaled.shape[1]
        width = d + sparse.shape[1]
        start = np.zeros(width + 1)
        rate = min(max(self.base_rate_, 1e-3), 1 - 1e-3)
        start[-1] = np.log(rate / (1 - rate))
        penalty = np.full(width + 1, float(self.l2))
        penalty[-1] = 0.0
        sparse_t = sparse.T.tocsr()
        rows = float(len(y))

        def loss(w: FloatArray) -> tuple[float, FloatArray]:
            z = scaled @ w[:d] + sparse @ w[d:-1] + w[-1]
            # log(1 + e^z) - y z, computed stably.
            value = float(np.sum(np.logaddexp(0.0, z) - y * z)) / rows
            residual = (_sigmoid(z) - y) / rows
            grad = np.empty_like(w)
            grad[:d] = residual @ scaled
            grad[d:-1] = sparse_t @ residual
            grad[-1] = residual.sum()
            value += 0.5 * float(np.dot(penalty * w, w))
            grad += penalty * w
            return value, grad

        result = scipy.optimize.minimize(
            loss,
            start,
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": int(self.max_iter), "gtol": 1e-7},
        )
        w = np.asarray(result.x, dtype=np.float64)
        self.coef_ = w[:d]
        self.skill_bias_ = w[d : d + n_skills]
        self.skill_slope_right_ = w[d + n_skills : d + 2 * n_skills]
        self.skill_slope_wrong_ = w[d + 2 * n_skills : d + 3 * n_skills]
        self.item_bias_ = w[d + 3 * n_skills : width]
        self.intercept_ = float(w[-1])
        self.n_iter_ = int(result.nit)
        return self

    def _dense(self, log: ResponseLog, bkt_p: FloatArray | None = None) -> FloatArray:
        if bkt_p is None:
            bkt_p = self.bkt_.predict_proba(log)
        forgets_p = None
        if self.bkt_forgets_ is not None:
            forgets_p = self.bkt_forgets_.predict_proba(log)
        return history_features(
            log,
            bkt_p,
            forgets_p,
            skill_decay=self.skill_decay,
            student_decay=self.student_decay,
            base_rate=self.base_rate_,
        )

    def _sparse(self, log: ResponseLog, dense: FloatArray) -> scipy.sparse.csr_matrix:
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
        indptr = np.arange(0, n * per_row + 1, per_row, dtype=np.int64)
        return scipy.sparse.csr_matrix(
            (np.column_stack(vals).ravel(), np.column_stack(cols).ravel(), indptr),
            shape=(n, 3 * n_skills + n_items),
        )

    def trace(self, log: ResponseLog) -> Trace:
        """P(correct) from the logistic model and P(mastered) from the embedded BKT."""
        self._check_fitted()
        bkt_trace = self.bkt_.trace(log)
        dense = self._dense(log, bkt_trace.p_correct)
        w = np.concatenate(
            [self.skill_bias_, self.skill_slope_right_, self.skill_slope_wrong_, self.item_bias_]
        )
        scaled = (dense - self.mean_) / self.scale_
        z = scaled @ self.coef_ + self._sparse(log, dense) @ w + self.intercept_
        return Trace(p_correct=_sigmoid(np.asarray(z)), p_mastery=bkt_trace.p_mastery)

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


def _floats(values: Any) -> FloatArray:
    return np.array(list(values), dtype=np.float64)


def _sigmoid(z: NDArray[np.float64]) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)
