"""`pathways schedule generate|solve|check|bound` on files, as a school or a researcher runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pathways.cli.main import cli


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["schedule", *map(str, args)])


@pytest.fixture
def day(tmp_path: Path) -> Path:
    path = tmp_path / "day.json"
    result = run("generate", "--students", "60", "--seed", "4", "--out", path)
    assert result.exit_code == 0, result.output
    return path


def test_solve_then_check_reports_feasible_with_the_same_objective(
    day: Path, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.json"
    solved = run("solve", "--instance", day, "--out", plan, "--time-limit", "1", "--gap")
    assert solved.exit_code == 0, solved.output
    assert "gap" in solved.stdout
    objective = solved.stdout.split("objective ")[1].split(" ")[0]
    checked = run("check", "--instance", day, "--schedule", plan)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.strip() == f"feasible; objective {objective}"


def test_check_lists_violations_and_exits_1(day: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    assert run("solve", "--instance", day, "--out", plan, "--time-limit", "0.5").exit_code == 0
    doc = json.loads(plan.read_text())
    doc["assignments"].pop(0)
    plan.write_text(json.dumps(doc))
    checked = run("check", "--instance", day, "--schedule", plan)
    assert checked.exit_code == 1
    assert "rule 1: student s00001 in session 0: 0 assignments" in checked.stdout
    assert "infeasible" in checked.stderr


def test_bound_prints_a_number_above_the_solved_objective(day: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    solved = run("solve", "--instance", day, "--out", plan, "--time-limit", "0.5")
    bound = run("bound", "--instance", day)
    assert bound.exit_code == 0
    assert float(bound.stdout) >= float(solved.stdout.split("objective ")[1].split(" ")[0])


def test_bad_json_exits_2_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "pathways-schedule-instance/1",\n  "sessions": }')
    result = run("bound", "--instance", bad)
    assert result.exit_code == 2
    assert f"{bad}:2: invalid JSON" in result.stderr


def test_missing_key_exits_2_with_its_json_path(day: Path, tmp_path: Path) -> None:
    doc = json.loads(day.read_text())
    del doc["students"][3]["candidates"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(doc))
    result = run("solve", "--instance", broken, "--out", tmp_path / "x.json")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{broken}: column 'students[3].candidates': required key is missing"
    )


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("check", "--instance", tmp_path / "nope.json", "--schedule", tmp_path / "x.json")
    assert result.exit_code == 2
    assert "nope.json: No such file or directory" in result.stderr


def test_impossible_day_exits_1_and_says_why(day: Path, tmp_path: Path) -> None:
    doc = json.loads(day.read_text())
    doc["students"][0]["candidates"] = doc["students"][0]["candidates"][:1]
    hopeless = tmp_path / "hopeless.json"
    hopeless.write_text(json.dumps(doc))
    result = run("solve", "--instance", hopeless, "--out", tmp_path / "x.json")
    assert result.exit_code == 1
    assert "student s00001 has 1 candidate skills for 3 sessions" in result.stderr


def test_schedule_commands_do_not_import_django() -> None:
    code = (
        "import sys; from pathways.cli.main import cli; "
        "from click.testing import CliRunner; "
        "r = CliRunner().invoke(cli, ['schedule', '--help']); "
        "assert r.exit_code == 0, r.output; "
        "assert 'django' not in sys.modules, 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
