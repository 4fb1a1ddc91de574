"""The logistic model's history features: the vectorised code equals a row-by-row reference."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.engines.tracing import ResponseLog
from pathways.engines.tracing._features import DENSE_FEATURES, history_features

SKILL_DECAY = 0.7
STUDENT_DECAY = 0.9
BASE_RATE = 0.6


def _reference(log: ResponseLog, bkt_p: np.ndarray, forgets_p: np.ndarray) -> np.ndarray:
    """Plain Python, one row at a time, with dicts: what every feature means."""

    def logit(p: float) -> float:
        q = min(max(p, 1e-4), 1 - 1e-4)
        return math.log(q / (1 - q))

    skill_state: dict[tuple[int, int], dict[str, float]] = {}
    student_state: dict[int, dict[str, float]] = {}
    pending: tuple[int, int] | None = None  # (student, answer) of the event being read
    out = np.zeros((len(log), len(DENSE_FEATURES)))
    for i in range(len(log)):
        s, k, y = int(log.student[i]), int(log.skill[i]), int(log.correct[i])
        if i == 0 or log.event[i] != log.event[i - 1]:
            if pending is not None:  # the previous event is over: the student's history grows
                st_ = student_state.setdefault(pending[0], _empty())
                _add(st_, pending[1], STUDENT_DECAY)
            pending = (s, y)
        sk = skill_state.get((s, k), _empty())
        ev = student_state.get(s, _empty())
        position = ev["right"] + ev["wrong"]
        rate = (ev["right"] + 5 * BASE_RATE) / (position + 5)
        out[i] = [
            logit(bkt_p[i]),
            math.log1p(sk["right"]),
            math.log1p(sk["wrong"]),
            float(sk["right"] + sk["wrong"] == 0),
            sk["last"],
            sk["recent_right"],
            sk["recent_wrong"],
            math.log1p(ev["right"]),
            math.log1p(ev["wrong"]),
            math.log(rate / (1 - rate)),
            ev["last"],
            ev["recent_right"],
            ev["recent_wrong"],
            0.0 if sk["position"] < 0 else math.log1p(max(position - sk["position"], 0)),
            logit(forgets_p[i]),
        ]
        sk = skill_state.setdefault((s, k), _empty())
        _add(sk, y, SKILL_DECAY)
        sk["position"] = position
    return out


def _empty() -> dict[str, float]:
    keys = ("right", "wrong", "last", "recent_right", "recent_wrong")
    return {**dict.fromkeys(keys, 0.0), "position": -1.0}


def _add(state: dict[str, float], y: int, decay: float) -> None:
    state["right"] += y
    state["wrong"] += 1 - y
    state["last"] = 2.0 * y - 1.0
    state["recent_right"] = state["recent_right"] * decay + y
    state["recent_wrong"] = state["recent_wrong"] * decay + (1 - y)


@st.composite
def logs(draw: st.DrawFn) -> ResponseLog:
    n = draw(st.integers(0, 80))
    students = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    skills = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    correct = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    joins = draw(st.lists(st.booleans(), min_size=n, max_size=n))  # row joins the last event
    student = np.array(students, dtype=np.int32)
    new = ~np.array(joins, dtype=bool)
    if n:
        new[0] = True
        new[1:] |= student[1:] != student[:-1]
    rows = np.arange(n, dtype=np.int64)
    # Students' rows may interleave: the features must not rely on students being contiguous.
    return ResponseLog(
        student=student,
        skill=np.array(skills, dtype=np.int32),
        correct=np.array(correct, dtype=np.int8),
        item=np.full(n, -1, dtype=np.int32),
        event=np.cumsum(new) - 1,
        source_row=rows,
        student_ids=tuple(f"s{i}" for i in range(4)),
        skill_ids=tuple(f"k{i}" for i in range(4)),
    )


@settings(max_examples=150, deadline=None)
@given(logs(), st.randoms(use_true_random=False))
def test_vectorised_features_equal_the_row_by_row_reference(log: ResponseLog, rnd) -> None:
    bkt_p = np.array([rnd.random() for _ in range(len(log))])
    forgets_p = np.array([rnd.random() for _ in range(len(log))])
    kwargs = {"skill_decay": SKILL_DECAY, "student_decay": STUDENT_DECAY, "base_rate": BASE_RATE}
    got = history_features(log, bkt_p, forgets_p, **kwargs)
    np.testing.assert_allclose(got, _reference(log, bkt_p, forgets_p), rtol=1e-9, atol=1e-12)
    as_float32 = history_features(log, bkt_p, forgets_p, dtype=np.float32, **kwargs)
    assert as_float32.dtype == np.float32
    np.testing.assert_allclose(as_float32, got, rtol=1e-5, atol=1e-5)


def test_long_groups_keep_decayed_counts_exact() -> None:
    # The decayed counts run one linear filter across all groups and subtract the carry-over:
    # after thousands of rows in other groups the first rows of a new group still start at 0.
    n = 5000
    log = ResponseLog.from_arrays(["a"] * n + ["b"] * 3, ["k"] * (n + 3), [1] * n + [0, 1, 1])
    p = np.full(n + 3, 0.5)
    out = history_features(log, p, None, skill_decay=0.7, student_decay=0.9, base_rate=0.5)
    np.testing.assert_allclose(out[n:, 5], [0.0, 0.0, 1.0], atol=1e-12)  # skill_recent_correct
    np.testing.assert_allclose(out[n - 1, 5], (1 - 0.7 ** (n - 1)) / 0.3, rtol=1e-12)
