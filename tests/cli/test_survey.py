"""``pathways survey compare`` from CSV files, checked against scipy."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from pathways.cli import survey as survey_cli
from pathways.cli.main import cli

TOP = "Agree a lot,Mostly agree"


def _write(path: Path, rows: list[tuple[str, str, str]]) -> str:
    lines = ["respondent_id,item_id,answer", *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_compare_writes_the_documented_json(tmp_path: Path) -> None:
    ours = [(f"t{i}", "pace", "Agree a lot" if i < 70 else "Disagree") for i in range(100)]
    ours += [(f"t{i}", "choice", "Mostly agree" if i < 50 else "Disagree") for i in range(100)]
    theirs = [(f"n{i}", "pace", "Agree a lot" if i < 400 else "Disagree") for i in range(1000)]
    theirs += [(f"n{i}", "choice", "Mostly agree" if i < 480 else "Disagree") for i in range(1000)]
    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        cli,
        [
            "survey",
            "compare",
            "--responses",
            _write(tmp_path / "a.csv", ours),
            "--benchmark",
            _write(tmp_path / "b.csv", theirs),
            "--top",
            TOP,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    items = {row["item_id"]: row for row in json.loads(out.read_text())["items"]}
    assert set(items["pace"]) == {
        "item_id",
        "n",
        "share",
        "benchmark_n",
        "benchmark_share",
        "difference",
        "p_value",
        "p_holm",
        "significant",
    }
    expected = stats.chi2_contingency([[70, 30], [400, 600]], correction=False)[1]
    assert items["pace"]["p_value"] == pytest.approx(expected)
    assert items["pace"]["significant"] is True
    assert items["choice"]["significant"] is False
    assert items["choice"]["p_holm"] >= items["choice"]["p_value"]


def test_a_missing_column_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent_id,answer\nx,Agree a lot\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["survey", "compare", "--responses", str(bad), "--benchmark", str(bad), "--top", TOP]
    )
    assert result.exit_code == 2
    assert "missing column(s) item_id" in result.output


@st.composite
def survey_files(draw: st.DrawFn) -> bytes:
    """A valid answers CSV with its text damaged, or arbitrary bytes."""
    from tests.damage import damaged_text

    rows = draw(
        st.lists(
            st.tuples(st.sampled_from(["r1", "r2", "r3"]), st.sampled_from(["Q1", "Q2"])),
            min_size=1,
            max_size=6,
        )
    )
    text = "respondent_id,item_id,answer\n" + "".join(f"{r},{q},Agree a lot\n" for r, q in rows)
    if draw(st.booleans()):
        return draw(damaged_text(text)).encode("utf-8")
    return draw(st.binary(max_size=200))


@settings(max_examples=150, deadline=None)
@given(survey_files())
def test_a_damaged_answers_file_reads_or_is_refused_naming_it(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.csv"
        path.write_bytes(content)
        try:
            answers = survey_cli._read(str(path))
        except click.ClickException as error:
            message: str | None = error.message
        else:
            message = None
    if message is None:
        assert all(isinstance(v, list) for v in answers.values())
    else:
        assert message.startswith(str(path))
