"""Every registered model keeps the contract of check_mastery_model, and the check has teeth."""

from __future__ import annotations

import numpy as np
import pytest

from pathways.engines.tracing import (
    BKT,
    MODELS,
    ResponseLog,
    Trace,
    check_mastery_model,
    make_model,
)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_passes_the_contract(name: str, small_items_log: ResponseLog) -> None:
    check_mastery_model(make_model(name, random_state=0), small_items_log)


class PeekingBKT(BKT):
    """A broken model: it nudges each prediction toward the student's final answer."""

    def trace(self, log: ResponseLog) -> Trace:
        honest = super().trace(log)
        last = np.zeros(log.n_students)
        last[log.student] = log.correct  # the last row of each student wins
        p = 0.9 * honest.p_correct + 0.1 * last[log.student]
        return Trace(p_correct=p, p_mastery=honest.p_mastery)


def test_a_model_that_peeks_at_later_answers_fails_the_check(
    small_items_log: ResponseLog,
) -> None:
    with pytest.raises(AssertionError, match="later rows"):
        check_mastery_model(PeekingBKT(n_restarts=2, random_state=0), small_items_log)


def test_logistic_model_sees_no_answer_of_the_same_multi_skill_response(
    small_items_log: ResponseLog,
) -> None:
    model = make_model("logistic", random_state=0).fit(small_items_log)
    log = small_items_log
    # Rows of one event share p_correct inputs across skills: flipping the answer of the whole
    # event changes no prediction inside it.
    p = model.predict_proba(log)
    first_multi = int(np.flatnonzero(np.diff(log.event) == 0)[0])
    event = log.event[first_multi]
    rows = np.flatnonzero(log.event == event)
    flipped = log.correct.copy()
    flipped[rows] = 1 - flipped[rows]
    changed = ResponseLog(
        student=log.student,
        skill=log.skill,
        correct=flipped,
        item=log.item,
        event=log.event,
        source_row=log.source_row,
        student_ids=log.student_ids,
        skill_ids=log.skill_ids,
        item_ids=log.item_ids,
    )
    assert np.array_equal(model.predict_proba(changed)[rows], p[rows])
