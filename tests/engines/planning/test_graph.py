"""The prerequisite graph, its file format and readiness."""

from __future__ import annotations

import json

import pytest

from pathways.engines.errors import InputError
from pathways.engines.planning import (
    SkillGraph,
    dump_graph,
    mastered_skills,
    parse_graph,
    ready_to_learn,
)
from pathways.engines.tracing import SkillParams, SkillState

MASTERED = SkillState(0.99, n_evidence=5, n_correct=5)


def test_prerequisites_come_before_the_skills_that_need_them() -> None:
    graph = SkillGraph({"frac": ["mul", "div"], "div": ["mul"], "mul": ["add"], "add": []})
    order = graph.skills
    for prerequisite, skill in graph.edges():
        assert order.index(prerequisite) < order.index(skill)
    assert graph.ancestors("frac") == {"mul", "div", "add"}
    assert graph.descendants("add") == {"mul", "div", "frac"}


def test_a_cycle_is_refused_naming_its_skills() -> None:
    with pytest.raises(InputError) as error:
        SkillGraph({"a": [], "b": ["a", "d"], "c": ["b"], "d": ["c"]}, source="g.json")
    assert error.value.source == "g.json"
    assert "cycle" in error.value.reason
    for skill in ("b", "c", "d"):
        assert skill in error.value.reason
    assert " a " not in f" {error.value.reason} ".replace("->", " ")


def test_an_unknown_prerequisite_is_refused_naming_both_skills() -> None:
    with pytest.raises(InputError, match=r"k2 requires unknown skill.*k7"):
        SkillGraph({"k1": [], "k2": ["k1", "k7"]})


def test_a_skill_cannot_require_itself() -> None:
    with pytest.raises(InputError, match="k1 requires itself"):
        SkillGraph({"k1": ["k1"]})


def test_the_graph_file_round_trips_with_its_parameters() -> None:
    graph = SkillGraph({"k0": [], "k1": ["k0"]})
    params = {"k0": SkillParams(0.45, 0.2, 0.1, 0.2), "k1": SkillParams(0.2, 0.15, 0.1, 0.2)}
    again, read = parse_graph(dump_graph(graph, params))
    assert again.skills == graph.skills
    assert again.prerequisites("k1") == ("k0",)
    assert read == params


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not json", "not JSON"),
        ('{"format": "other"}', "expected format"),
        ('{"format": "pathways-plan-graph/1", "skills": {}}', "'skills' must be a list"),
        (
            '{"format": "pathways-plan-graph/1", "skills": [{"id": "a"}, {"id": "a"}]}',
            "appears twice",
        ),
        (
            '{"format": "pathways-plan-graph/1", "skills": [{"id": "a"}],'
            ' "params": {"a": {"p_init": 2}}}',
            "params of a: p_init must be within",
        ),
        (
            '{"format": "pathways-plan-graph/1", "skills": [{"id": "a"}],'
            ' "params": {"b": {"p_init": 0.2}}}',
            "params for unknown skill b",
        ),
    ],
)
def test_a_bad_graph_file_says_where_and_why(document: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as error:
        parse_graph(document, source="course.json")
    assert error.value.source == "course.json"


def test_ready_means_prerequisites_mastered_and_skill_not_yet() -> None:
    graph = SkillGraph({"a": [], "b": ["a"], "c": ["a", "b"], "d": []})
    assert ready_to_learn(graph, {}) == ("a", "d")
    assert ready_to_learn(graph, {"a": MASTERED}) == ("b", "d")
    assert ready_to_learn(graph, {"a": MASTERED, "b": MASTERED, "d": MASTERED}) == ("c",)
    assert mastered_skills(graph, {"a": MASTERED, "b": SkillState(0.5, 9)}) == ("a",)


def test_a_confident_posterior_without_enough_evidence_is_not_mastery() -> None:
    graph = SkillGraph({"a": [], "b": ["a"]})
    assert ready_to_learn(graph, {"a": SkillState(0.99, n_evidence=1)}) == ("a",)


def test_the_spec_example_graph_parses() -> None:
    document = {
        "format": "pathways-plan-graph/1",
        "skills": [{"id": "k0", "prerequisites": []}, {"id": "k1", "prerequisites": ["k0"]}],
        "params": {
            "k0": {"p_init": 0.45, "p_learn": 0.2, "p_slip": 0.1, "p_guess": 0.2},
            "k1": {"p_init": 0.20, "p_learn": 0.15, "p_slip": 0.1, "p_guess": 0.2},
        },
    }
    graph, params = parse_graph(json.dumps(document))
    assert graph.skills == ("k0", "k1")
    assert params["k1"].p_learn == 0.15
