"""read_answers: one student's answers replayed through the planner."""

from __future__ import annotations

import random

import pytest

from pathways.engines.errors import InputError
from pathways.engines.planning import SkillGraph
from pathways.engines.planning.outlook import read_answers
from pathways.engines.tracing import SkillParams

GRAPH = SkillGraph({"a": [], "b": ["a"], "c": ["b"], "d": []})
PARAMS = {s: SkillParams(p_init=0.4) for s in GRAPH}


def test_answers_on_different_skills_commute_only_each_skills_own_order_matters() -> None:
    rng = random.Random(3)
    answers = [(rng.choice("abcd"), rng.random() < 0.5) for _ in range(60)]
    by_skill = sorted(answers, key=lambda a: a[0])  # stable: each skill's order kept
    one, other = read_answers(GRAPH, PARAMS, answers), read_answers(GRAPH, PARAMS, by_skill)
    assert one.value == pytest.approx(other.value, abs=1e-9)
    assert one.known == pytest.approx(other.known, abs=1e-9)
    assert one.answered == other.answered
    reordered = read_answers(GRAPH, PARAMS, [("a", True), ("a", False), ("a", False)])
    assert (
        reordered.known["a"]
        < read_answers(GRAPH, PARAMS, [("a", False)] * 2 + [("a", True)]).known["a"]
    )


def test_only_answers_show_a_skill_never_the_prior_alone() -> None:
    sure = {s: SkillParams(p_init=0.9) for s in GRAPH}
    assert not read_answers(GRAPH, sure, []).shown(GRAPH, "a"), "a likely start is not evidence"
    told = read_answers(GRAPH, sure, [("b", True)] * 4)
    assert told.shown(GRAPH, "b")
    assert told.shown(GRAPH, "a"), "right answers on b show a too"


def test_counts_answers_and_misses_since_the_last_right_one() -> None:
    outlook = read_answers(GRAPH, PARAMS, [("a", False), ("a", True), ("a", False), ("d", False)])
    assert outlook.answered == {"a": 3, "d": 1}
    assert outlook.wrong_since == {"a": 1, "d": 1}


def test_an_answer_on_a_skill_outside_the_graph_is_refused_with_its_position() -> None:
    with pytest.raises(InputError, match=r"answer 2: skill 'z' is not in the graph"):
        read_answers(GRAPH, PARAMS, [("a", True), ("z", True)])
