"""Simulated students and worlds: what the benchmark measures."""

from __future__ import annotations

import numpy as np
import pytest

from pathways.engines.planning.simulate import (
    POLICIES,
    WORLDS,
    gap_closed,
    make_students,
    make_world,
    practise,
    simulate,
)


@pytest.mark.parametrize("name", ["chain", "random-30", "wrong-edges"])
def test_worlds_are_reproducible_and_policies_get_the_given_graph(name: str) -> None:
    a, b = make_world(name, seed=3), make_world(name, seed=3)
    assert list(a.true_graph.edges()) == list(b.true_graph.edges())
    assert a.params == b.params
    assert set(a.params) == set(a.given_graph.skills)
    if name != "wrong-edges":
        assert list(a.true_graph.edges()) == list(a.given_graph.edges())


def test_simulated_knowledge_is_closed_downwards() -> None:
    world = make_world("random-30")
    truth, multiplier = make_students(world, 500, np.random.default_rng(0))
    for prerequisite, skill in world.true_graph.edges():
        p, s = world.true_graph.index[prerequisite], world.true_graph.index[skill]
        assert not (truth.known[:, s] & ~truth.known[:, p]).any()
    assert 0.8 < float(np.median(multiplier)) < 1.2
    assert multiplier.std() > 0.3, "students learn at different rates"


def test_no_policy_learns_an_unlearnable_skill_and_the_oracle_wastes_nothing() -> None:
    world = make_world("chain")
    results = {p: simulate(world, p, students=20, budgets=(40,))[0] for p in POLICIES}
    for outcome in results.values():
        assert 0.0 <= outcome.share_known <= 1.0
        assert outcome.wasted_known + outcome.wasted_unlearnable + outcome.idle <= 1.0 + 1e-9
    oracle = results["oracle"]
    assert oracle.wasted_known == oracle.wasted_unlearnable == oracle.premature == 0.0
    assert all(oracle.share_known >= o.share_known for o in results.values())


def test_practice_answers_from_the_true_state_and_learns_only_when_ready() -> None:
    # Chain a -> b: every student practises b 200 times. Those who know b answer right unless
    # they slip; those missing a guess every time and never learn b.
    world = make_world("chain")
    truth, _ = make_students(world, 400, np.random.default_rng(1))
    b = 1
    truth.known[:200, 0] = True
    truth.known[200:, 0] = False
    truth.known[200:, b] = False
    truth.learn[:, b] = 0.3
    everyone = np.arange(400, dtype=np.int64)
    skill = np.full(400, b, dtype=np.int64)
    slip, guess = np.full(world.n, 0.1), np.full(world.n, 0.2)
    answers = np.random.default_rng(2)
    right = np.zeros(400)
    for _ in range(200):
        done = practise(truth, slip, guess, everyone, skill, answers)
        assert not (done.learned & done.known).any()
        assert not done.learned[200:].any()
        right += done.correct
    assert truth.known[:200, b].all(), "every ready student learned b"
    assert not truth.known[200:, b].any()
    assert right[200:].mean() / 200 == pytest.approx(0.2, abs=0.02)
    assert right[:200].mean() / 200 > 0.85


def test_the_same_seed_gives_the_same_outcome() -> None:
    world = make_world("random-30")
    assert simulate(world, "gain", students=10, budgets=(30,)) == simulate(
        world, "gain", students=10, budgets=(30,)
    )


def test_gap_closed_compares_the_planner_with_the_best_baseline() -> None:
    world = make_world("random-30")
    outcomes = [o for p in POLICIES for o in simulate(world, p, students=10, budgets=(30,))]
    ((key, (margin, share, best)),) = gap_closed(outcomes).items()
    assert key == ("random-30", 30)
    known = {o.policy: o.share_known for o in outcomes}
    assert best == max(known[p] for p in POLICIES[:4])
    assert margin == pytest.approx(known["gain"] - best)
    assert share == pytest.approx(margin / (known["oracle"] - best))


@pytest.mark.slow
@pytest.mark.parametrize("name", WORLDS)
def test_the_planner_beats_every_baseline_after_600_opportunities(name: str) -> None:
    world = make_world(name, seed=2)
    known = {
        p: simulate(world, p, students=60, budgets=(600,), seed=2)[0].share_known for p in POLICIES
    }
    assert all(known["gain"] > known[p] for p in POLICIES[:4])
