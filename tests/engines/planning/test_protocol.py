"""The JSON-lines codec of `pathways plan serve` (specs/planner-protocol.md)."""

from __future__ import annotations

import json

import pytest

from pathways.engines.planning import SkillGraph
from pathways.engines.planning.policies import Compiled, MasteryThreshold
from pathways.engines.planning.protocol import PlanServer
from pathways.engines.tracing import SkillParams

GRAPH = SkillGraph({"k0": [], "k1": ["k0"]})
PARAMS = {
    "k0": SkillParams(p_init=0.45, p_learn=0.2, p_slip=0.1, p_guess=0.2),
    "k1": SkillParams(p_init=0.20, p_learn=0.15, p_slip=0.1, p_guess=0.2),
}


def ask(server: PlanServer, request: dict[str, object]) -> dict[str, object]:
    answer: dict[str, object] = json.loads(server.handle(json.dumps(request)))
    return answer


def test_new_students_start_without_history_and_get_one_entry_each() -> None:
    server = PlanServer(GRAPH, PARAMS)
    assert ask(server, {"observations": [], "ask": ["s1", "s2"]}) == {
        "next": {"s1": "k0", "s2": "k0"}
    }


def test_observations_move_a_student_on_and_others_are_unaffected() -> None:
    server = PlanServer(GRAPH, PARAMS)
    right = [{"student": "s1", "skill": "k0", "correct": True}] * 4
    answer = ask(server, {"observations": right, "ask": ["s1", "s2"]})
    assert answer == {"next": {"s1": "k1", "s2": "k0"}}


def test_fields_outside_the_protocol_are_ignored() -> None:
    server = PlanServer(GRAPH, PARAMS)
    assert ask(server, {"ask": ["s1"], "round": 7}) == {"next": {"s1": "k0"}}


def test_a_student_with_nothing_useful_left_gets_null() -> None:
    server = PlanServer(GRAPH, PARAMS)
    right = [{"student": "s1", "skill": k, "correct": True} for k in ("k0", "k1") for _ in range(8)]
    assert ask(server, {"observations": right, "ask": ["s1"]}) == {"next": {"s1": None}}


def test_observations_of_one_student_are_applied_in_their_order() -> None:
    # Same answers, different order: the belief after wrong-then-right differs from
    # right-then-wrong (learning happens between), so the order must be kept.
    a, b = (MasteryThreshold(Compiled.build(GRAPH, PARAMS)) for _ in range(2))
    first = PlanServer(GRAPH, PARAMS, lambda g, p: a)
    second = PlanServer(GRAPH, PARAMS, lambda g, p: b)
    wrong = {"student": "s", "skill": "k0", "correct": False}
    right = {"student": "s", "skill": "k0", "correct": True}
    other = {"student": "t", "skill": "k0", "correct": True}
    ask(first, {"observations": [wrong, other, right, right]})
    ask(second, {"observations": [right, other, right, wrong]})
    assert a.post[0, 0] > b.post[0, 0]


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("nope", "not JSON"),
        ("[]", "a request must be a JSON object"),
        ('{"ask": "s1"}', "'ask' must be a list of student ids"),
        ('{"observations": {}}', "'observations' must be a list"),
        ('{"observations": [{"student": "s1", "skill": "k9", "correct": true}]}', "unknown skill"),
        ('{"observations": [{"student": "s1", "skill": "k0", "correct": 1}]}', "true or false"),
        ('{"observations": [{"skill": "k0", "correct": true}]}', "'student' must be"),
    ],
)
def test_a_malformed_line_gets_an_error_and_changes_nothing(line: str, error: str) -> None:
    server = PlanServer(GRAPH, PARAMS)
    answer = json.loads(server.handle(line))
    assert list(answer) == ["error"]
    assert error in answer["error"]
    assert server.slots == {}
    assert ask(server, {"ask": ["s1"]}) == {"next": {"s1": "k0"}}
