"""History features for the logistic model, each computed from strictly earlier responses.

Two kinds of history: on the row's skill (the student's earlier rows on that skill, in order, as
BKT sees them) and across all skills (the student's earlier *events*: the rows of one multi-skill
response are one event, so no row ever sees the answer of its own response through another skill).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from pathways.engines.tracing._log import ResponseLog
from pathways.engines.tracing._packed import pack

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


def _exclusive_sums(
    group: NDArray[np.int64], values: FloatArray, gamma: float
) -> tuple[FloatArray, FloatArray]:
    """Per row: the plain and the ``gamma``-decayed sum of ``values`` over the group's earlier
    rows (rows of one group are in order already)."""
    n = len(group)
    plain = np.zeros(n)
    decayed = np.zeros(n)
    if n == 0:
        return plain, decayed
    order = np.argsort(group, kind="stable")
    g = group[order]
    v = values[order]
    csum = np.cumsum(v)
    starts = np.ones(n, dtype=bool)
    starts[1:] = g[1:] != g[:-1]
    base = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    before = csum - v - (csum[base] - v[base])
    plain[order] = before
    packed = pack(group)
    pv = values[packed.rows]
    out = np.empty(n)
    state = np.zeros(int(packed.counts[0]))
    for start, stop, count in packed.steps():
        current = state[:count]
        out[start:stop] = current
        state[:count] = current * gamma + pv[start:stop]
    decayed[packed.rows] = out
    return plain, decayed


def history_features(
    log: ResponseLog,
    bkt_p: FloatArray,
    forgets_p: FloatArray | None,
    *,
    skill_decay: float,
    student_decay: float,
    base_rate: float,
) -> FloatArray:
    """The dense feature matrix (rows x :data:`DENSE_FEATURES`) for ``log``."""
    n = len(log)
    y = log.correct.astype(np.float64)
    p = np.clip(bkt_p, 1e-4, 1 - 1e-4)
    out = np.empty((n, len(DENSE_FEATURES)))
    out[:, 0] = np.log(p / (1 - p))
    if forgets_p is None:
        out[:, 14] = 0.0
    else:
        q = np.clip(forgets_p, 1e-4, 1 - 1e-4)
        out[:, 14] = np.log(q / (1 - q))
    # On the row's skill.
    group = log.student.astype(np.int64) * max(log.n_skills, 1) + log.skill
    _, group = np.unique(group, return_inverse=True)
    group = group.ravel().astype(np.int64)
    right, recent_right = _exclusive_sums(group, y, skill_decay)
    wrong, recent_wrong = _exclusive_sums(group, 1.0 - y, skill_decay)
    out[:, 1] = np.log1p(right)
    out[:, 2] = np.log1p(wrong)
    out[:, 3] = (right + wrong) == 0
    last = _last_value(group, 2.0 * y - 1.0)
    out[:, 4] = last
    out[:, 5] = recent_right
    out[:, 6] = recent_wrong
    # Across skills, over events: each event counts once, with its first row's answer.
    first = np.ones(n, dtype=bool)
    first[1:] = log.event[1:] != log.event[:-1]
    starts = np.flatnonzero(first)
    event_student = log.student[starts].astype(np.int64)
    event_y = y[starts]
    e_right, e_recent_right = _exclusive_sums(event_student, event_y, student_decay)
    e_wrong, e_recent_wrong = _exclusive_sums(event_student, 1.0 - event_y, student_decay)
    e_last = _last_value(event_student, 2.0 * event_y - 1.0)
    e_rate = (e_right + 5.0 * base_rate) / (e_right + e_wrong + 5.0)
    which = np.cumsum(first) - 1  # event index of every row
    out[:, 7] = np.log1p(e_right)[which]
    out[:, 8] = np.log1p(e_wrong)[which]
    out[:, 9] = np.log(e_rate / (1 - e_rate))[which]
    out[:, 10] = e_last[which]
    out[:, 11] = e_recent_right[which]
    out[:, 12] = e_recent_wrong[which]
    # How many of the student's events since the last try at this skill (forgetting, spacing).
    position = (e_right + e_wrong)[which]
    previous = _last_value(group, position + 1.0)  # 0 when there is no earlier try
    out[:, 13] = np.where(previous > 0, np.log1p(np.maximum(position + 1.0 - previous, 0.0)), 0.0)
    return out


def _last_value(group: NDArray[np.int64], values: FloatArray) -> FloatArray:
    """The value of the group's previous row (0 for a group's first row)."""
    n = len(group)
    out = np.zeros(n)
    if n < 2:
        return out
    order = np.argsort(group, kind="stable")
    g = group[order]
    v = values[order]
    prev = np.zeros(n)
    same = g[1:] == g[:-1]
    prev[1:] = np.where(same, v[:-1], 0.0)
    out[order] = prev
    return out
