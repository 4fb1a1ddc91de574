"""xAPI without Django: statements built from evidence facts, statements read with field paths,
and the comparison the spec asks for (stored/authority/version ignored, instants compared)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

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


def test_duplicate_ids_in_one_request_and_empty_or_odd_payloads_are_refused() -> None:
    one = build_statement(_facts())
    with pytest.raises(InputErrors, match=r"the same id as \$\[0\]\.id"):
        parse_statements([one, one])
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
