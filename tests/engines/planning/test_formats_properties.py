"""The planner's outside inputs under generated input: graph files and protocol lines.

A valid graph file round-trips; a damaged one reads or raises ``InputError`` naming the file. A
protocol line, whatever it holds, gets one answer line (``next`` or ``error``), and a line
answered with an error changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.damage import damaged_json, damaged_text

from pathways.engines.errors import InputError
from pathways.engines.planning import SkillGraph, dump_graph, parse_graph
from pathways.engines.planning.protocol import PlanServer
from pathways.engines.tracing import SkillParams

probability = st.floats(0.0, 1.0, allow_nan=False)
params = st.builds(SkillParams, probability, probability, probability, probability, probability)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[SkillGraph, dict[str, SkillParams]]:
    """A prerequisite DAG (each skill needs some earlier ones) and parameters for some skills."""
    n = draw(st.integers(1, 6))
    names = [f"k{i}" for i in range(n)]
    needs = {
        name: draw(st.lists(st.sampled_from(names[:i]), unique=True)) if i else []
        for i, name in enumerate(names)
    }
    chosen = draw(st.dictionaries(st.sampled_from(names), params))
    return SkillGraph(needs), {name: chosen.get(name, SkillParams()) for name in names}


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_a_graph_file_round_trips_with_its_parameters(case: tuple[SkillGraph, Any]) -> None:
    graph, values = case
    again, read = parse_graph(dump_graph(graph, values), source="g.json")
    assert again.skills == graph.skills
    assert all(again.prerequisites(s) == graph.prerequisites(s) for s in graph.skills)
    assert read == values


def _parses_or_names_the_file(text: str) -> None:
    try:
        parse_graph(text, source="g.json")
    except InputError as error:
        failure: InputError | None = error
    else:
        failure = None
    assert failure is None or failure.source == "g.json"


@st.composite
def damaged_graph_files(draw: st.DrawFn) -> str:
    text = dump_graph(*draw(graphs()))
    if draw(st.booleans()):
        return draw(damaged_text(text))
    return json.dumps(draw(damaged_json(json.loads(text))))


@settings(max_examples=200, deadline=None)
@given(damaged_graph_files() | st.text(max_size=200))
def test_a_damaged_graph_file_reads_or_is_refused_naming_the_file(text: str) -> None:
    _parses_or_names_the_file(text)


GRAPH = SkillGraph({"k0": [], "k1": ["k0"], "k2": ["k0"], "k3": ["k1", "k2"]})
PARAMS = {s: SkillParams(p_init=0.3, p_learn=0.2, p_slip=0.1, p_guess=0.2) for s in GRAPH.skills}
students = st.sampled_from(["s1", "s2", "s3", "s4"])
observations = st.fixed_dictionaries(
    {"student": students, "skill": st.sampled_from(GRAPH.skills), "correct": st.booleans()}
)
requests = st.fixed_dictionaries(
    {"observations": st.lists(observations, max_size=6), "ask": st.lists(students, max_size=4)}
)
quick = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@quick
@given(requests)
def test_a_valid_request_gets_a_next_skill_or_null_for_every_student_asked(
    request: dict[str, Any],
) -> None:
    answer = json.loads(PlanServer(GRAPH, PARAMS).handle(json.dumps(request)))
    assert set(answer) == {"next"}
    assert set(answer["next"]) == set(request["ask"])
    assert all(skill is None or skill in GRAPH for skill in answer["next"].values())


@st.composite
def damaged_lines(draw: st.DrawFn) -> str:
    text = json.dumps(draw(requests))
    how = draw(st.sampled_from(["json", "text", "any"]))
    if how == "json":
        return json.dumps(draw(damaged_json(json.loads(text))))
    if how == "text":
        return draw(damaged_text(text))
    return draw(st.text(max_size=120))


@quick
@given(st.lists(requests, max_size=2), damaged_lines())
def test_any_line_gets_one_answer_and_an_error_changes_nothing(
    history: list[dict[str, Any]], line: str
) -> None:
    server = PlanServer(GRAPH, PARAMS)
    twin = PlanServer(GRAPH, PARAMS)
    for request in history:
        server.handle(json.dumps(request))
        twin.handle(json.dumps(request))
    answer = json.loads(server.handle(line))
    assert isinstance(answer, dict)
    assert set(answer) in ({"next"}, {"error"})
    if "error" in answer:
        # Nothing of a refused line is applied: the server answers as its twin does.
        assert isinstance(answer["error"], str)
        assert answer["error"]
        probe = json.dumps({"observations": [], "ask": ["s1", "s2", "s3", "s4"]})
        assert server.handle(probe) == twin.handle(probe)
