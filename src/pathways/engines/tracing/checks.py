"""check_mastery_model: the contract every mastery model must keep (our ``check_estimator``)."""

from __future__ import annotations

import json

import numpy as np

from pathways.engines.errors import NotFittedError
from pathways.engines.tracing._base import MasteryModel
from pathways.engines.tracing._io import dump_model, parse_model
from pathways.engines.tracing._log import ResponseLog

__all__ = ["check_mastery_model"]


def _fresh(model: MasteryModel, **changes: object) -> MasteryModel:
    return type(model)(**{**model.get_params(), **changes})


def _mutate_later_rows(log: ResponseLog, student: int, cut: int) -> ResponseLog:
    """The log with ``student``'s answers flipped from their ``cut``-th row on."""
    rows = np.flatnonzero(log.student == student)
    correct = log.correct.copy()
    correct[rows[cut:]] = 1 - correct[rows[cut:]]
    return ResponseLog(
        student=log.student,
        skill=log.skill,
        correct=correct,
        item=log.item,
        event=log.event,
        source_row=log.source_row,
        student_ids=log.student_ids,
        skill_ids=log.skill_ids,
        item_ids=log.item_ids,
    )


def check_mastery_model(model: MasteryModel, log: ResponseLog) -> None:
    """Raise ``AssertionError`` naming the first broken rule; ``log`` is a small training log.

    Rules: predicting before ``fit`` raises ``NotFittedError``; ``get_params``/``set_params``
    round-trip; ``fit`` returns ``self``; the same ``random_state`` gives the same parameters;
    saving to JSON and loading gives identical predictions; unseen students and skills are
    predicted from population priors (finite, and the same for any two new students with the same
    history); and no peeking: changing a student's later answers leaves every earlier
    ``p_correct`` (and the changed row's own) unchanged.

    Example:
        >>> from pathways.engines.tracing import BKT
        >>> rng = np.random.default_rng(0)
        >>> log = ResponseLog.from_arrays(
        ...     np.repeat(np.arange(30), 6), np.tile(list("ababcc"), 30), rng.integers(0, 2, 180))
        >>> check_mastery_model(BKT(n_restarts=2, random_state=0), log)
    """
    name = type(model).__name__
    unfitted = _fresh(model, random_state=0)
    try:
        unfitted.predict_proba(log)
    except NotFittedError:
        pass
    else:
        raise AssertionError(f"{name}: predict before fit must raise NotFittedError")

    params = unfitted.get_params()
    clone = type(model)(**params)
    if clone.get_params() != params:
        raise AssertionError(f"{name}: get_params does not round-trip through __init__")
    if clone.set_params(**params) is not clone or clone.get_params() != params:
        raise AssertionError(f"{name}: set_params must return self and keep the values")

    first = _fresh(model, random_state=0)
    if first.fit(log) is not first:
        raise AssertionError(f"{name}: fit must return self")
    second = _fresh(model, random_state=0).fit(log)
    if json.dumps(first.to_dict()) != json.dumps(second.to_dict()):
        raise AssertionError(f"{name}: the same random_state must give the same parameters")

    p = first.predict_proba(log)
    if p.shape != (len(log),) or not np.all((p >= 0) & (p <= 1)):
        raise AssertionError(f"{name}: predict_proba must give one probability per row")
    # Unseen students and skills.
    answers = [1, 0, 1, 1]
    skill = log.skill_ids[int(log.skill[0])]
    fresh_log = ResponseLog.from_arrays(
        ["new-1"] * 4 + ["new-2"] * 4,
        [skill, "never-seen", skill, "never-seen"] * 2,
        answers * 2,
    )
    q = first.predict_proba(fresh_log)
    if not np.all(np.isfinite(q)) or not np.all((q > 0) & (q < 1)):
        raise AssertionError(f"{name}: unseen students/skills must get finite probabilities")
    if not np.allclose(q[:4], q[4:], rtol=0, atol=1e-12):
        raise AssertionError(f"{name}: two new students with one history must get one prediction")

    # No peeking, for a student with several rows.
    counts = np.bincount(log.student, minlength=log.n_students)
    student = int(np.argmax(counts))
    rows = np.flatnonzero(log.student == student)
    cut = len(rows) // 2
    # Rows of the event at the cut are predicted together: cut at an event boundary.
    while 0 < cut < len(rows) and log.event[rows[cut]] == log.event[rows[cut - 1]]:
        cut -= 1
    changed = first.predict_proba(_mutate_later_rows(log, student, cut))
    keep = rows[: cut + 1]
    if not np.array_equal(changed[keep], p[keep]):
        raise AssertionError(f"{name}: p_correct must not depend on the same or later rows")
    others = log.student != student
    if not np.array_equal(changed[others], p[others]):
        raise AssertionError(f"{name}: one student's answers must not change another's predictions")

    reloaded = parse_model(json.loads(json.dumps(dump_model(first))))
    if not np.array_equal(reloaded.predict_proba(log), p):
        raise AssertionError(f"{name}: JSON save/load must give identical predictions")
    trace = first.trace(log)
    if not np.array_equal(reloaded.trace(log).p_mastery, trace.p_mastery):
        raise AssertionError(f"{name}: JSON save/load must give identical mastery")
