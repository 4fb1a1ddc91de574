"""The E-step's Python tail (the longest sequences' last steps) gives the numpy loop's results
bit for bit, including where beliefs reach their floors and ceilings."""

from __future__ import annotations

import numpy as np
import pytest

from pathways.engines.tracing import ResponseLog
from pathways.engines.tracing import _tail as tail_module
from pathways.engines.tracing._bkt import _EStep, _Sequences
from pathways.engines.tracing._packed import pack


def _log_with_long_runs() -> ResponseLog:
    """Two hundred short sequences and a few long ones, one of which saturates both passes:
    900 right answers (forward odds reach their floor), then 400 wrong (the backward ratio
    reaches its ceiling), then a few right again."""
    rng = np.random.default_rng(7)
    students: list[str] = []
    skills: list[str] = []
    answers: list[int] = []
    for s in range(200):
        for k in ("a", "b"):
            n = int(rng.integers(1, 12))
            students += [f"s{s}"] * n
            skills += [k] * n
            answers += rng.integers(0, 2, n).tolist()
    for name, length in (("long1", 120), ("long2", 260), ("long3", 37)):
        students += [name] * length
        skills += ["a"] * length
        answers += rng.integers(0, 2, length).tolist()
    saturating = [1] * 900 + [0] * 400 + [1] * 5
    students += ["runner"] * len(saturating)
    skills += ["b"] * len(saturating)
    answers += saturating
    return ResponseLog.from_arrays(students, skills, answers)


def _theta(restarts: int, n_skills: int) -> np.ndarray:
    rng = np.random.default_rng(11)
    theta = np.zeros((restarts, n_skills, 5))
    theta[..., 0] = rng.uniform(0.1, 0.9, theta.shape[:2])
    theta[..., 1] = rng.uniform(0.01, 0.4, theta.shape[:2])
    theta[..., 3] = rng.uniform(0.05, 0.45, theta.shape[:2])
    theta[..., 4] = rng.uniform(0.02, 0.45, theta.shape[:2])
    return theta


@pytest.mark.parametrize("restarts", [1, 3])
def test_the_tail_gives_the_numpy_loops_results_bit_for_bit(
    restarts: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _log_with_long_runs()
    data = _Sequences(log, np.arange(log.n_skills, dtype=np.int64))
    theta = _theta(restarts, log.n_skills)
    with_tail = _EStep(data, restarts, forgets=False)
    assert with_tail.tail is not None
    smoothed = with_tail.smoothed(theta)
    stats, total = with_tail.run(theta)
    monkeypatch.setattr(tail_module, "CHAINS", 0)
    loop_only = _EStep(data, restarts, forgets=False)
    assert loop_only.tail is None
    np.testing.assert_array_equal(smoothed, loop_only.smoothed(theta))
    loop_stats, loop_total = loop_only.run(theta)
    assert total == loop_total
    for name, (num, den) in stats.items():
        np.testing.assert_array_equal(num, loop_stats[name][0])
        np.testing.assert_array_equal(den, loop_stats[name][1])


def test_the_saturating_run_reaches_both_ceilings() -> None:
    # Guards the test above: the run must really hit the floor of the forward odds and the
    # ceiling of the backward ratio, where a different order of operations would differ.
    from pathways.engines.tracing._bkt import _HUGE, _TINY

    log = _log_with_long_runs()
    data = _Sequences(log, np.arange(log.n_skills, dtype=np.int64))
    e_step = _EStep(data, 1, forgets=False)
    e_step.smoothed(_theta(1, log.n_skills))
    assert (e_step.prior <= _TINY * 1.0000001).any()
    assert (e_step.back >= _HUGE).any()


def test_the_tail_starts_where_few_values_remain() -> None:
    # Sequence lengths 40, 30, 3, 2, 1, 1: at step k the active sequences are counts[k].
    group = np.repeat(np.arange(6), [40, 30, 3, 2, 1, 1])
    packed = pack(group)
    tail = tail_module.ScalarTail.plan(packed, restarts=1)
    assert tail is not None
    assert tail.start == 0
    # With 5 restarts the values per step are 30, 20, 15, ... (4 sequences go on at step 1).
    tail = tail_module.ScalarTail.plan(packed, restarts=5)
    assert tail is not None
    assert tail.start == 1
    assert tail.n_chains == 4 * 5
    assert tail.lengths == [39] * 5 + [29] * 5 + [2] * 5 + [1] * 5


def test_short_sequences_get_no_tail() -> None:
    packed = pack(np.repeat(np.arange(100), 5))
    assert tail_module.ScalarTail.plan(packed, restarts=1) is None
