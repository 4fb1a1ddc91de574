"""`pathways plan serve|simulate|world`, as a simulator or a researcher runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pathways.cli.main import cli

GRAPH = {
    "format": "pathways-plan-graph/1",
    "skills": [{"id": "k0", "prerequisites": []}, {"id": "k1", "prerequisites": ["k0"]}],
    "params": {
        "k0": {"p_init": 0.45, "p_learn": 0.2, "p_slip": 0.1, "p_guess": 0.2},
        "k1": {"p_init": 0.20, "p_learn": 0.15, "p_slip": 0.1, "p_guess": 0.2},
    },
}


def run(*args: str | Path, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["plan", *map(str, args)], input=stdin)


@pytest.fixture
def graph(tmp_path: Path) -> Path:
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(GRAPH))
    return path


def test_serve_answers_each_line_and_keeps_serving_after_a_malformed_one(graph: Path) -> None:
    requests = [
        {"observations": [], "ask": ["s1", "s2"]},
        "this is not json",
        {"observations": [{"student": "s1", "skill": "k0", "correct": True}] * 4, "ask": ["s1"]},
    ]
    stdin = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in requests) + "\n"
    result = run("serve", "--graph", graph, stdin=stdin)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {"next": {"s1": "k0", "s2": "k0"}}
    assert list(lines[1]) == ["error"]
    assert lines[2] == {"next": {"s1": "k1"}}
    assert len(lines) == 3


def test_serve_runs_a_baseline_policy_too(graph: Path) -> None:
    result = run("serve", "--graph", graph, "--policy", "mastery-threshold", stdin='{"ask": ["a"]}')
    assert json.loads(result.stdout) == {"next": {"a": "k0"}}


def test_a_bad_graph_file_exits_2_saying_where_and_why(tmp_path: Path) -> None:
    bad = tmp_path / "cycle.json"
    cyclic = {
        "format": "pathways-plan-graph/1",
        "skills": [{"id": "a", "prerequisites": ["b"]}, {"id": "b", "prerequisites": ["a"]}],
    }
    bad.write_text(json.dumps(cyclic))
    result = run("serve", "--graph", bad, stdin="")
    assert result.exit_code == 2
    assert f"{bad}: prerequisite cycle" in result.stderr


def test_simulate_prints_the_table_and_writes_outcomes(tmp_path: Path) -> None:
    out = tmp_path / "outcomes.json"
    result = run("simulate", "--world", "chain", "--students", "8", "--budget", "20", "--json", out)
    assert result.exit_code == 0, result.output
    assert "| chain | 20 | gain |" in result.stdout
    assert "share of gap to oracle" in result.stdout
    document = json.loads(out.read_text())
    assert document["format"] == "pathways-plan-simulation/1"
    assert {o["policy"] for o in document["outcomes"]} == {
        "fixed-order",
        "mastery-threshold",
        "outer-fringe",
        "fringe-backtrack",
        "gain",
        "oracle",
    }


def test_world_writes_a_graph_that_serve_reads(tmp_path: Path) -> None:
    path = tmp_path / "wrong.json"
    assert run("world", "wrong-edges", "--out", path).exit_code == 0
    result = run("serve", "--graph", path, stdin='{"ask": ["s"]}\n')
    assert result.exit_code == 0
    assert json.loads(result.stdout)["next"]["s"].startswith("k")
