"""GainPlanner's bookkeeping: its own skill order, cached evidence and the fast paths of a request.

The planner keeps skills level by level internally and caches each answer's evidence when it is
observed; what callers see (skill indices, ``known`` columns, choices) must not depend on it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from pathways.engines.planning import SkillGraph
from pathways.engines.planning.gain import GainPlanner, _power
from pathways.engines.planning.simulate import make_students, make_world
from pathways.engines.tracing import SkillParams

PARAMS = SkillParams(p_init=0.3, p_learn=0.2, p_slip=0.1, p_guess=0.2)


def _practise(
    planner: GainPlanner,
    known: npt.NDArray[np.bool_],
    *,
    steps: int,
    seed: int,
    also: Sequence[GainPlanner] = (),
) -> None:
    """Every student practises the skill ``planner`` chooses, ``steps`` times, answering from
    ``known`` (students x skills; slip 0.1, guess 0.2); planners in ``also`` see the same
    answers. The true state does not change: these tests are about bookkeeping."""
    everyone = np.arange(len(known))
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        skills = planner.choose(everyone)
        skills = np.where(skills >= 0, skills, 0)
        shown = known[everyone, skills]
        n = len(everyone)
        right = np.where(shown, rng.random(n) > 0.1, rng.random(n) < 0.2)
        for p in (planner, *also):
            p.observe(everyone, skills, right)


def test_answers_land_on_the_skill_named_whatever_the_graph_order() -> None:
    # Graph order x0, x1, x2, x3 (depths 0, 1, 0, 1): the planner reorders them internally
    # (x0, x2, x1, x3). Right answers on x1 must raise x1 and its prerequisite x0 only.
    graph = SkillGraph({"x0": [], "x1": ["x0"], "x2": [], "x3": ["x2"]})
    assert graph.skills == ("x0", "x1", "x2", "x3")
    planner = GainPlanner(graph, {s: PARAMS for s in graph})
    planner.add_students(1)
    before = planner.known(np.array([0]))[0]
    x1 = graph.index["x1"]
    for _ in range(4):
        planner.observe(np.array([0]), np.array([x1]), np.array([True]))
    after = planner.known(np.array([0]))[0]
    raised = {s for s in graph if after[graph.index[s]] > before[graph.index[s]] + 0.05}
    assert raised == {"x0", "x1"}
    assert after[x1] > 0.9
    # The student has shown x0 and x1: the next skill is one of the others.
    assert graph.skills[int(planner.choose(np.array([0]))[0])] in {"x2", "x3"}


def test_a_request_for_some_students_matches_the_request_for_all() -> None:
    world = make_world("random-30", 4)
    truth, _ = make_students(world, 12, np.random.default_rng(4))
    planner = GainPlanner(world.given_graph, world.params)
    planner.add_students(12)
    everyone = np.arange(12)
    _practise(planner, truth.known, steps=25, seed=5)
    # All students, in order (the fast path) against a subset, reordered, with a repeat.
    some = np.array([7, 2, 11, 2, 0])
    np.testing.assert_allclose(planner.known(some), planner.known(everyone)[some], atol=1e-6)
    np.testing.assert_array_equal(planner.choose(some), planner.choose(everyone)[some])
    np.testing.assert_allclose(
        planner.rate_multiplier(some), planner.rate_multiplier(everyone)[some], rtol=1e-12
    )


def test_students_added_later_start_with_no_history() -> None:
    graph = SkillGraph({"a": [], "b": ["a"]})
    planner = GainPlanner(graph, {s: PARAMS for s in graph})
    planner.add_students(1)
    for _ in range(3):
        planner.observe(np.array([0]), np.array([0]), np.array([True]))
    planner.add_students(2)
    known = planner.known(np.arange(3))
    np.testing.assert_allclose(known[1], known[2])
    assert known[0, 0] > 0.9 > known[1, 0]
    assert planner.rate_multiplier(np.array([1]))[0] == pytest.approx(
        GainPlanner(graph, {s: PARAMS for s in graph}).rates @ np.exp(planner.log_rate_prior)
    )


@pytest.mark.parametrize("exponent", [1, 2, 3, 6, 7, 0.5, 1.5, 6.25])
def test_power_equals_numpy(exponent: float) -> None:
    x = np.random.default_rng(0).random(500).astype(np.float32)
    np.testing.assert_allclose(_power(x, exponent), x**exponent, rtol=1e-5)


def _first_choices(opening: float, steps: int) -> str:
    """The skills one student is sent to, answering right on ``a`` only (it was known)."""
    graph = SkillGraph({"a": [], "b": ["a"], "s": []})
    params = {
        "a": SkillParams(p_init=0.5, p_learn=0.2, p_slip=0.1, p_guess=0.2),
        "b": SkillParams(p_init=0.05, p_learn=0.4, p_slip=0.1, p_guess=0.2),  # quick to learn
        "s": SkillParams(p_init=0.05, p_learn=0.15, p_slip=0.1, p_guess=0.2),
    }
    planner = GainPlanner(graph, params, opening=opening)
    planner.add_students(1)
    one, chosen = np.array([0]), ""
    for _ in range(steps):
        skill = int(planner.choose(one)[0])
        chosen += graph.skills[skill]
        planner.observe(one, np.array([skill]), np.array([graph.skills[skill] == "a"]))
    return chosen


def test_a_prerequisite_shown_once_is_confirmed_before_the_dependent_it_opens() -> None:
    # One right answer on a leaves it believed known at about 0.8: a miss on b would then be
    # ambiguous (b not learned yet, or a not known). The opening value sees that a second
    # right answer on a makes b worth more than anything now, so it confirms a first.
    assert _first_choices(opening=1.0, steps=3) == "aab"
    # The myopic value alone goes on to b at once, and after one miss there, to s.
    assert _first_choices(opening=0.0, steps=3) == "abs"


def test_the_opening_value_is_never_negative_and_only_for_skills_with_dependents() -> None:
    world = make_world("random-30", 2)
    truth, _ = make_students(world, 20, np.random.default_rng(2))
    planner = GainPlanner(world.given_graph, world.params)
    plain = GainPlanner(world.given_graph, world.params, opening=0.0)
    for p in (planner, plain):
        p.add_students(20)
    everyone = np.arange(20)
    _practise(planner, truth.known, steps=15, seed=3, also=(plain,))
    extra = planner._values(everyone) - plain._values(everyone)
    assert (extra >= 0).all()
    leaves = np.array([planner._n_children[i] == 0 for i in range(planner.c.n)])
    assert (extra[leaves] == 0).all()
    assert (extra[~leaves] > 0).any()


def test_p_init_is_read_as_population_shares_unless_it_rises_along_the_graph() -> None:
    graph = SkillGraph({"a": [], "b": ["a"], "c": ["b"]})

    def rates(*p_init: float) -> list[float]:
        params = {s: SkillParams(p_init=p) for s, p in zip(graph.skills, p_init, strict=True)}
        planner = GainPlanner(graph, params)
        return [round(float(planner.cond_init[planner._inner[i]]), 2) for i in range(3)]

    # Shares of all students (they can only fall along an edge): the rate among students who
    # know the prerequisites is recovered, about 0.5 for b and c (0.3 = 0.6 x 0.5, ...).
    assert rates(0.6, 0.3, 0.15) == pytest.approx([0.6, 0.5, 0.5], abs=0.02)
    # Rising along a -> b cannot be a share of all students: these are already the rates
    # among students who reached each skill (as a calibration on first attempts measures).
    assert rates(0.3, 0.6, 0.5) == [0.3, 0.6, 0.5]
