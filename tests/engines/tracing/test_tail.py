"""The E-step's blocked tail (the longest sequences' last steps) gives the step-by-step loop's
results, including where beliefs reach their floors and ceilings."""

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
def test_the_tail_gives_the_step_by_step_results(
    restarts: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _log_with_long_runs()
    data = _Sequences(log, np.arange(log.n_skills, dtype=np.int64))
    theta = _theta(restarts, log.n_skills)
    with_tail = _EStep(data, restarts, forgets=False)
    assert with_tail.tail is not None
    monkeypatch.setattr(tail_module.BlockedTail, "plan", staticmethod(lambda packed, m: None))
    loop_only = _EStep(data, restarts, forgets=False)
    assert loop_only.tail is None
    np.testing.assert_allclose(with_tail.smoothed(theta), loop_only.smoothed(theta), rtol=1e-12)
    # The passes' own values, row by row (the odds span 1e-300 to 1e300: relative error).
    np.testing.assert_allclose(with_tail.prior, loop_only.prior, rtol=1e-12)
    np.testing.assert_allclose(with_tail.back, loop_only.back, rtol=1e-12)
    stats, total = with_tail.run(theta)
    loop_stats, loop_total = loop_only.run(theta)
    assert total == pytest.approx(loop_total, rel=1e-13)
    for name, (num, den) in stats.items():
        np.testing.assert_allclose(num, loop_stats[name][0], rtol=1e-12)
        np.testing.assert_allclose(den, loop_stats[name][1], rtol=1e-12)


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
    # Lengths 400, 300 and 100 sequences of 3: after step 3 only two sequences go on, for
    # hundreds of steps, which the tail takes; with 5 restarts it starts no earlier.
    group = np.repeat(np.arange(103), [400, 300] + [3] * 101)
    packed = pack(group)
    tail = tail_module.BlockedTail.plan(packed, restarts=1)
    assert tail is not None
    assert tail.start == 3
    assert tail.n_chains == 2
    tail5 = tail_module.BlockedTail.plan(packed, restarts=5)
    assert tail5 is not None
    assert tail5.start >= 3
    assert tail5.n_chains == 2 * 5
    blocks, chains = tail.forward.shape[1:]
    assert (blocks, chains) == (-(-396 // tail_module.BLOCK), 2)  # 397 rows: 396 steps


def test_short_sequences_get_no_tail() -> None:
    packed = pack(np.repeat(np.arange(100), 5))
    assert tail_module.BlockedTail.plan(packed, restarts=1) is None


def test_a_composed_block_map_equals_its_steps() -> None:
    # x -> min(f x + c, ceiling) composed over a block, on values that bind the ceiling midway.
    rng = np.random.default_rng(5)
    factors = np.concatenate([rng.uniform(2, 50, 40), rng.uniform(1e-3, 0.5, 40)])
    chain = np.arange(len(factors) + 1, dtype=np.int64)
    grid = tail_module._Grid([chain])
    values = np.empty(len(chain))
    values[0] = 3.0
    grid.run(values, factors, np.array([0.25]), 1e30)
    want = [3.0]
    for f in factors:
        want.append(min(want[-1] * f + 0.25, 1e30))
    assert max(want) == 1e30
    np.testing.assert_allclose(values, want, rtol=1e-13)
