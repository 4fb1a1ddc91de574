"""History features for the logistic model, each computed from strictly earlier responses.

Two kinds of history: on the row's skill (the student's earlier rows on that skill, in order, as
BKT sees them) and across all skills (the student's earlier *events*: the rows of one multi-skill
response are one event, so no row ever sees the answer of its own response through another skill).

Everything is vectorised: one stable sort puts each group's rows together (in log order), then
exclusive cumulative sums give the counts, a first-order linear filter gives the decayed counts
(with each group's carry-over from the groups before it subtracted), and a shift gives the
previous answer. No Python loop runs per row, per group or per time step.
"""

from __future__ import annotations

import numpy as np
import scipy.signal
from numpy.typing import NDArray

from pathways.engines.tracing._log import ResponseLog

__all__ = ["DENSE_FEATURES", "history_features"]

FloatArray = NDArray[np.float64]

DENSE_FEATURES = (
    "bkt_logit",
    "skill_log_correct",
    "skill_log_wrong",
    "skill_first",
    "skill_last",
    "skill_recent_correct",
    "skill_recent_wrong",
    "student_log_correct",
    "student_log_wrong",
    "student_rate",
    "student_last",
    "student_recent_correct",
    "student_recent_wrong",
    "skill_gap",
    "bkt_forgets_logit",
)


class _Groups:
    """Rows sorted so that each group is contiguous (log order kept inside a group)."""

    def __init__(self, group: NDArray[np.integer]) -> None:
        n = len(group)
        self.order = np.argsort(group, kind="stable")
        g = group[self.order]
        self.start = np.ones(n, dtype=bool)
        self.start[1:] = g[1:] != g[:-1]
        index = np.arange(n, dtype=np.int64)
        self.base = np.maximum.accumulate(np.where(self.start, index, 0))
        # Number of earlier rows of the same group (sorted order).
        self.count = (index - self.base).astype(np.float64)

    def sorted(self, values: FloatArray) -> FloatArray:
        return values[self.order]

    def unsort(self, values: FloatArray) -> FloatArray:
        out = np.empty_like(values)
        out[self.order] = values
        return out

    def before(self, v: FloatArray) -> FloatArray:
        """Sum of ``v`` (sorted order) over the group's earlier rows."""
        csum = np.cumsum(v)
        return csum - v - (csum[self.base] - v[self.base])

    def decayed(self, v: FloatArray, gamma: float) -> FloatArray:
        """``sum_{j < t} gamma^(t-1-j) v_j`` over the group's earlier rows (sorted order).

        The filter runs across group boundaries; at row ``t`` the part carried over from the
        groups before is ``gamma^(t - start) * L[start]``, which is subtracted. ``L`` is bounded
        by ``max|v| / (1 - gamma)``, so the subtraction loses nothing that matters.
        """
        if len(v) == 0:
            return v.copy()
        filtered = scipy.signal.lfilter([0.0, 1.0], [1.0, -gamma], v)
        return np.asarray(filtered - np.power(gamma, self.count) * filtered[self.base])

    def previous(self, v: FloatArray) -> FloatArray:
        """The value at the group's previous row (0 at a group's first row), sorted order."""
        out = np.zeros_like(v)
        out[1:] = v[:-1]
        out[self.start] = 0.0
        return out


def _logit(p: FloatArray) -> FloatArray:
    q = np.clip(p, 1e-4, 1 - 1e-4)
    return np.asarray(np.log(q / (1 - q)))


def history_features(
    log: ResponseLog,
    bkt_p: FloatArray,
    forgets_p: FloatArray | None,
    *,
    skill_decay: float,
    student_decay: float,
    base_rate: float,
    dtype: type[np.floating] = np.float64,
) -> NDArray[np.floating]:
    """The dense feature matrix (rows x :data:`DENSE_FEATURES`) for ``log``, in ``dtype``."""
    n = len(log)
    y = log.correct.astype(np.float64)
    # Column-major: every feature is written as one contiguous column.
    out = np.empty((n, len(DENSE_FEATURES)), dtype=dtype, order="F")
    out[:, 0] = _logit(bkt_p)
    out[:, 14] = 0.0 if forgets_p is None else _logit(forgets_p)
    if n == 0:
        return out
    # On the row's skill: groups are (student, skill) pairs.
    groups = _Groups(log.student.astype(np.int64) * max(log.n_skills, 1) + log.skill)
    ys = groups.sorted(y)
    right = groups.before(ys)
    wrong = groups.count - right
    recent_right = groups.decayed(ys, skill_decay)
    # Decayed count of all earlier rows is a geometric sum; wrong = all - right.
    recent_all = (1.0 - np.power(skill_decay, groups.count)) / (1.0 - skill_decay)
    out[:, 1] = groups.unsort(np.log1p(right))
    out[:, 2] = groups.unsort(np.log1p(wrong))
    out[:, 3] = groups.unsort((groups.count == 0).astype(np.float64))
    out[:, 4] = groups.unsort(groups.previous(2.0 * ys - 1.0))
    out[:, 5] = groups.unsort(recent_right)
    out[:, 6] = groups.unsort(np.maximum(recent_all - recent_right, 0.0))
    del right, wrong, recent_right, recent_all
    # Across skills, over events: each event counts once, with its first row's answer.
    first = np.ones(n, dtype=bool)
    first[1:] = log.event[1:] != log.event[:-1]
    starts = np.flatnonzero(first)
    which = np.cumsum(first) - 1  # event index of every row
    events = _Groups(log.student[starts])
    ey = events.sorted(y[starts])
    e_right = events.before(ey)
    e_wrong = events.count - e_right
    e_recent_right = events.decayed(ey, student_decay)
    e_recent_all = (1.0 - np.power(student_decay, events.count)) / (1.0 - student_decay)
    e_rate = (e_right + 5.0 * base_rate) / (events.count + 5.0)
    out[:, 7] = events.unsort(np.log1p(e_right))[which]
    out[:, 8] = events.unsort(np.log1p(e_wrong))[which]
    out[:, 9] = events.unsort(np.log(e_rate / (1 - e_rate)))[which]
    out[:, 10] = events.unsort(events.previous(2.0 * ey - 1.0))[which]
    out[:, 11] = events.unsort(e_recent_right)[which]
    out[:, 12] = events.unsort(np.maximum(e_recent_all - e_recent_right, 0.0))[which]
    # How many of the student's events since the last try at this skill (forgetting, spacing):
    # the row's event position minus that of the previous row on the skill.
    position = groups.sorted(events.unsort(events.count)[which])
    gap = np.where(groups.start, 0.0, position - groups.previous(position))
    out[:, 13] = groups.unsort(np.log1p(np.maximum(gap, 0.0)))
    return out
