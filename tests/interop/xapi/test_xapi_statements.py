"""xAPI without Django: statements built from evidence facts, statements read with field paths,
and the comparison the spec asks for (stored/authority/version ignored, instants compared)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.engines.errors import InputErrors
from pathways.interop.xapi import (
    EvidenceFacts,
    build_statement,
    competency_uri,
    parse_statements,
    same_statement,
)

HOME = "https://p.example"


def _facts(**changes: object) -> EvidenceFacts:
    base: dict[str, object] = {
        "evidence_id": "5f1d2c3a-6b7e-4f80-9a1b-2c3d4e5f6a7b",
        "kind": "item_response",
        "occurred_at": datetime(2026, 11, 22, 19, 50, tzinfo=UTC),
        "home_page": HOME,
        "learner": "0f3c",
        "competency_id": f"{HOME}/competencies/b1",
        "competency_code": "7.RP.A.2",
        "competency_statement": "Recognize proportional relationships.",
        "correct": True,
        "item_identifier": "7.RP.A.2-q3",
        "item_kind": "choice",
        "section_id": f"{HOME}/sections/s-1",
        "section_name": "Room 101",
    }
    return EvidenceFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_an_item_answer_is_answered_an_item_with_its_standard_as_parent() -> None:
    statement = build_statement(_facts())
    assert statement["id"] == "5f1d2c3a-6b7e-4f80-9a1b-2c3d4e5f6a7b"
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert statement["object"]["id"] == f"{HOME}/items/7.RP.A.2-q3"
    assert statement["object"]["definition"]["interactionType"] == "choice"
    context = statement["context"]["contextActivities"]
    assert context["parent"][0]["id"] == f"{HOME}/competencies/b1"
    assert context["grouping"][0]["definition"]["name"] == {"en-US": "Room 101"}
    assert statement["result"] == {
        "score": {"scaled": 1.0, "raw": 1, "min": 0, "max": 1},
        "success": True,
        "completion": True,
    }
    assert statement["timestamp"] == "2026-11-22T19:50:00.000Z"
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": HOME, "name": "0f3c"},
    }


@pytest.mark.parametrize(
    ("kind", "verb"),
    [("exit_ticket", "completed"), ("rubric", "scored"), ("mastery_check", "answered")],
)
def test_verbs_by_kind_and_the_standard_as_object_without_an_item(kind: str, verb: str) -> None:
    facts = _facts(kind=kind, item_identifier="", item_kind="")
    if kind == "rubric":
        facts = _facts(kind=kind, item_identifier="", correct=None, rubric_level=1)
    statement = build_statement(facts)
    assert statement["verb"]["id"].endswith("/" + verb)
    assert statement["object"]["id"] == f"{HOME}/competencies/b1"
    if kind == "rubric":
        assert statement["result"]["success"] is False
        assert statement["result"]["score"]["scaled"] == 0.25


@pytest.mark.parametrize(
    ("framework_uri", "expected"),
    [
        ("https://case.example/ims/case/v1p0/CFPackages/d1", "https://case.example/ims/case/v1p0/CFItems/b1"),
        ("https://opensalt.net/uri/d1", "https://opensalt.net/uri/b1"),
        ("", f"{HOME}/competencies/b1"),
        ("urn:x:d1", f"{HOME}/competencies/b1"),
    ],
)  # fmt: skip
def test_competency_uri_uses_the_case_server_when_known(framework_uri: str, expected: str) -> None:
    assert competency_uri(HOME, "b1", "d1", framework_uri) == expected


def test_built_statements_read_back_through_the_parser() -> None:
    built = [build_statement(_facts()), build_statement(_facts(evidence_id=str(_uuid(2))))]
    parsed = parse_statements(json.loads(json.dumps(built)))
    assert [str(p.id) for p in parsed] == [b["id"] for b in built]
    assert parsed[0].verb == "answered"
    assert parsed[0].learner == "0f3c"
    assert parsed[0].parents == (f"{HOME}/competencies/b1",)
    assert parsed[0].success is True
    assert parsed[0].timestamp == datetime(2026, 11, 22, 19, 50, tzinfo=UTC)


def _uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def test_the_shared_example_statement_parses(standards_data: Path) -> None:
    example = json.loads((standards_data / "xapi/example_answered_statement.json").read_text())
    (statement,) = parse_statements(example)
    assert statement.object_id == "https://pathways.example.org/items/7.RP.A.2-q3"
    assert statement.raw_score == 1.0


def test_every_problem_is_reported_with_its_path() -> None:
    with pytest.raises(InputErrors) as caught:
        parse_statements(
            [
                {"id": "not-a-uuid", "actor": {"objectType": "Group"}, "verb": {"id": 3}},
                {"id": _uuid(1), "actor": {"account": {"homePage": HOME, "name": "x"}},
                 "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                 "object": {"id": "urn:uuid:b1"}, "result": {"success": "yes"},
                 "timestamp": "yesterday"},
                {"id": _uuid(1)},
            ]
        )  # fmt: skip
    where = [e.column for e in caught.value.errors]
    assert "$[0].id" in where
    assert "$[0].actor.objectType" in where
    assert "$[0].verb.id" in where
    assert "$[1].result.success" in where
    assert "$[1].timestamp" in where
    assert "$[2].actor" in where


def test_empty_or_odd_payloads_are_refused_and_rfc3339_variants_read() -> None:
    one = build_statement(_facts())
    for stamp in ("2026-11-22t19:50:00z", "2026-11-22T20:50:00.000000001+01:00"):
        (parsed,) = parse_statements({**one, "timestamp": stamp})
        assert parsed.timestamp == datetime(2026, 11, 22, 19, 50, tzinfo=UTC)
    (leap,) = parse_statements({**one, "timestamp": "2016-12-31T23:59:60Z"})
    assert leap.timestamp == datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)
    with pytest.raises(InputErrors, match="can store"):
        parse_statements({**one, "timestamp": "0001-01-01T00:00:00+23:59"})
    for payload in ([], "text", 3, None):
        with pytest.raises(InputErrors):
            parse_statements(payload)


def test_comparison_ignores_what_an_lrs_adds_and_how_a_moment_is_written() -> None:
    sent = build_statement(_facts())
    held = {
        **sent,
        "id": sent["id"].upper(),
        "stored": "2026-11-24T07:00:00Z",
        "authority": {"account": {"homePage": HOME, "name": "lrs"}},
        "timestamp": "2026-11-22T20:50:00+01:00",
    }
    del held["version"]
    assert same_statement(held, sent)
    assert not same_statement({**held, "result": {"success": False}}, sent)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)
_fields = st.sampled_from(
    ["id", "actor", "verb", "object", "result", "context", "timestamp", "account", "name",
     "homePage", "success", "score", "raw", "contextActivities", "parent", "objectType"]
)  # fmt: skip


@st.composite
def _mutated_statements(draw: st.DrawFn) -> object:
    statement: dict[str, object] = json.loads(json.dumps(build_statement(_facts())))
    for _ in range(draw(st.integers(1, 4))):
        target: dict[str, object] = statement
        while draw(st.booleans()):
            children = [v for v in target.values() if isinstance(v, dict)]
            if not children:
                break
            target = draw(st.sampled_from(children))
        target[draw(_fields)] = draw(_json)
    return draw(st.sampled_from([statement, [statement], [statement, statement], {"x": statement}]))


@settings(max_examples=300, deadline=None)
@given(st.one_of(_json, _mutated_statements()))
def test_the_parser_raises_only_input_errors(payload: object) -> None:
    try:
        parsed: object = parse_statements(payload)
    except InputErrors as error:
        parsed = error
    assert isinstance(parsed, (list, InputErrors))


@pytest.mark.parametrize("raw", [float("inf"), float("-inf"), True, "3"])
def test_a_rubric_level_must_be_a_finite_number(raw: object) -> None:
    statement = build_statement(_facts(kind="rubric", correct=None, rubric_level=3))
    statement["result"]["score"]["raw"] = raw
    with pytest.raises(InputErrors, match=r"score\.raw"):
        parse_statements(statement)
