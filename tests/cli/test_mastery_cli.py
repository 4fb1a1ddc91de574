"""`pathways mastery fit|predict|evaluate` on files, as a school or researcher runs it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from pathways.cli.main import cli

HEADER = "student_id,skill_id,correct,order,item_id,class\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["mastery", *map(str, args)])


@pytest.fixture
def responses(tmp_path: Path) -> Path:
    """40 students, 3 skills, answers improving with practice; rows shuffled in the file."""
    rng = np.random.default_rng(0)
    rows = []
    for s in range(40):
        for t in range(9):
            skill = "abc"[t % 3]
            p = 0.3 + 0.07 * t
            rows.append(f"s{s},{skill},{int(rng.random() < p)},{t},q{t},7B")
    order = rng.permutation(len(rows))
    path = tmp_path / "train.csv"
    path.write_text(HEADER + "\n".join(rows[i] for i in order) + "\n")
    return path


def test_fit_writes_a_readable_model_file(responses: Path, tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    result = run("fit", "--responses", responses, "--out", out, "--model", "bkt", "--seed", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["format"] == "pathways-mastery-model/1"
    assert set(data["skills"]) == {"a", "b", "c"}


def test_default_model_is_the_best_one(responses: Path, tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    assert run("fit", "--responses", responses, "--out", out).exit_code == 0
    assert json.loads(out.read_text())["model"] == "logistic"


def test_predict_keeps_input_rows_and_order_and_adds_two_columns(
    responses: Path, tmp_path: Path
) -> None:
    model = tmp_path / "model.json"
    assert run("fit", "--responses", responses, "--out", model, "--model", "bkt").exit_code == 0
    test = tmp_path / "test.csv"
    test.write_text(
        "student_id,skill_id,correct,order,note\n"
        "newcomer,a,1,2,second\nnewcomer,a,0,1,first\nnewcomer,unknown-skill,1,3,x\n"
    )
    out = tmp_path / "pred.csv"
    result = run("predict", "--model", model, "--responses", test, "--out", out)
    assert result.exit_code == 0, result.output
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["note"] for r in rows] == ["second", "first", "x"]
    assert list(rows[0]) == [
        "student_id",
        "skill_id",
        "correct",
        "order",
        "note",
        "p_correct",
        "p_mastery",
    ]
    # "first" (order 1) is predicted from the skill's prior alone, whatever follows it.
    a = json.loads(model.read_text())["skills"]["a"]
    prior = a["p_init"] * (1 - a["p_slip"]) + (1 - a["p_init"]) * a["p_guess"]
    assert float(rows[1]["p_correct"]) == pytest.approx(prior, abs=1e-6)
    assert float(rows[0]["p_correct"]) != pytest.approx(prior, abs=1e-6)
    assert all(0 <= float(r["p_mastery"]) <= 1 for r in rows)


def test_evaluate_prints_every_score(responses: Path) -> None:
    result = run("evaluate", "--responses", responses, "--folds", "3", "--model", "bkt")
    assert result.exit_code == 0, result.output
    for key in ("auc", "rmse", "log_loss", "calibration_error", "fit_seconds", "predict_seconds"):
        assert key in result.output


def test_map_reads_an_assistments_style_export(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "user_id,skill_name,correct,order_id\n"
        + "".join(f"u{u},Area,{(u + t) % 2},{t}\n" for u in range(6) for t in range(4))
    )
    out = tmp_path / "m.json"
    result = run(
        "fit",
        "--responses",
        path,
        "--out",
        out,
        "--model",
        "bkt",
        "--map",
        "student_id=user_id,skill_id=skill_name,order=order_id",
    )
    assert result.exit_code == 0, result.output
    assert set(json.loads(out.read_text())["skills"]) == {"Area"}


def test_research_formats_are_read_with_format(tmp_path: Path) -> None:
    path = tmp_path / "builder.csv"
    path.write_text("3\n5,5,7,\n0,1,1,\n2\n7,7,\n0,1,\n")
    out = tmp_path / "m.json"
    result = run("fit", "--responses", path, "--format", "dkt", "--out", out, "--model", "bkt")
    assert result.exit_code == 0, result.output


BAD_INPUT = [
    ("empty file", "", 1, "empty file"),
    ("missing column", "student_id,skill_id,order\na,k,1\n", 1, "missing required column"),
    (
        "correct not 0/1",
        "student_id,skill_id,correct,order\na,k,1,1\na,k,yes,2\n",
        3,
        "expected 0 or 1",
    ),
    ("unreadable order", "student_id,skill_id,correct,order\na,k,1,soon\n", 2, "ISO-8601"),
    ("header only", "student_id,skill_id,correct,order\n", 2, "no responses"),
]


@pytest.mark.parametrize("command", ["fit", "predict", "evaluate"])
@pytest.mark.parametrize(
    ("case", "text", "line", "reason"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT]
)
def test_bad_input_exits_2_naming_file_line_and_reason_and_writes_nothing(
    command: str, case: str, text: str, line: int, reason: str, responses: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(text)
    out = tmp_path / "out.file"
    if command == "fit":
        result = run("fit", "--responses", bad, "--out", out)
    elif command == "predict":
        model = tmp_path / "model.json"
        assert run("fit", "--responses", responses, "--out", model, "--model", "bkt").exit_code == 0
        result = run("predict", "--model", model, "--responses", bad, "--out", out)
    else:
        result = run("evaluate", "--responses", bad)
    assert result.exit_code == 2
    assert f"{bad}:{line}: " in result.output
    assert reason in result.output
    assert not out.exists()


def test_a_model_file_that_is_not_one_exits_2(responses: Path, tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    model.write_text('{"format": "nope"}')
    result = run("predict", "--model", model, "--responses", responses, "--out", tmp_path / "p.csv")
    assert result.exit_code == 2
    assert f"{model}: expected format" in result.output
