"""LogisticKT at scale: chunked features and predictions, and the two-stage (warm-started) fit
give the same model as doing everything at once."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pathways.engines.tracing import LogisticKT, ResponseLog, auc, check_mastery_model


def _log(simulate: Callable[..., ResponseLog]) -> ResponseLog:
    skills = {"a": (0.2, 0.15, 0.2, 0.1), "b": (0.5, 0.3, 0.15, 0.05), "c": (0.1, 0.1, 0.3, 0.1)}
    return simulate(skills, n_students=300, n_steps=8, seed=7)


def test_chunked_prediction_equals_whole_log_prediction(
    simulate: Callable[..., ResponseLog],
) -> None:
    log = _log(simulate)
    model = LogisticKT(random_state=0, bkt_restarts=2, max_iter=40).fit(log)
    whole = model.trace(log)
    model.chunk_rows = 97  # whole students per chunk, many chunks
    chunked = model.trace(log)
    np.testing.assert_allclose(chunked.p_correct, whole.p_correct, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(chunked.p_mastery, whole.p_mastery)


def test_chunked_features_fit_the_same_model(simulate: Callable[..., ResponseLog]) -> None:
    log = _log(simulate)
    whole = LogisticKT(random_state=0, bkt_restarts=2, max_iter=60).fit(log)
    chunked = LogisticKT(random_state=0, bkt_restarts=2, max_iter=60, chunk_rows=150).fit(log)
    np.testing.assert_allclose(chunked.coef_, whole.coef_, atol=1e-3)
    np.testing.assert_allclose(
        chunked.predict_proba(log), whole.predict_proba(log), rtol=0, atol=1e-3
    )


def test_two_stage_fit_reaches_the_one_stage_model(simulate: Callable[..., ResponseLog]) -> None:
    log = _log(simulate)
    one = LogisticKT(random_state=0, bkt_restarts=2, max_iter=200).fit(log)
    # A sample of ~2000 rows first, then L-BFGS on all rows from there.
    two = LogisticKT(
        random_state=0, bkt_restarts=2, max_iter=200, sample_rows=2000, refine_iter=200
    ).fit(log)
    p_one, p_two = one.predict_proba(log), two.predict_proba(log)
    np.testing.assert_allclose(p_two, p_one, atol=5e-3)
    assert abs(auc(log.correct, p_two) - auc(log.correct, p_one)) < 1e-3


def test_chunked_two_stage_model_keeps_the_contract(small_items_log: ResponseLog) -> None:
    model = LogisticKT(random_state=0, bkt_restarts=2, sample_rows=200, chunk_rows=60)
    check_mastery_model(model, small_items_log)
