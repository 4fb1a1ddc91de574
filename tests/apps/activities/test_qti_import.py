"""`pathways import qti`: the 1EdTech example packages into the item bank, idempotent by item
identifier; unsupported interactions reported by name; malformed files exit 2 with file:line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.apps.activities.models import Item
from pathways.apps.activities.scoring import score
from pathways.apps.standards.queries import standard_by_code
from pathways.cli.main import cli

pytestmark = pytest.mark.django_db

QTI = (
    Path(
        os.environ.get(
            "PATHWAYS_STANDARDS_DATA",
            Path(__file__).resolve().parents[3].parent / "shared" / "data" / "standards",
        )
    )
    / "qti"
)


@pytest.fixture
def qti() -> Path:
    if not QTI.is_dir():
        pytest.skip(f"QTI example packages not found at {QTI}")
    return QTI


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _qti_items() -> dict[str, Item]:
    return {i.identifier: i for i in Item.objects.filter(details__format="qti3")}


def test_bbqs_package_imports_and_reimport_changes_nothing(qti: Path) -> None:
    code, out, _ = _run("import", "qti", str(qti / "BBQsTest"), "--standard", "4.NF.A.1")
    assert code == 0, out
    assert "items: 10 created, 0 updated, 0 unchanged" in out
    assert "imported 5 qti-choice-interaction" in out
    assert "imported 3 qti-text-entry-interaction" in out
    assert "imported 2 qti-extended-text-interaction" in out
    assert "not imported: 4 qti-inline-choice-interaction" in out
    assert "not imported: 2 qti-order-interaction" in out
    assert "not imported: 1 qti-upload-interaction" in out
    assert "order-maths.xml:15: order-maths: unsupported interaction <qti-order-interaction>" in out
    items = _qti_items()
    assert len(items) == 10
    standard = standard_by_code("4.NF.A.1")
    assert {i.standard for i in items.values()} == {standard}
    lycidas = items["text_entry-Lycidas#RESPONSE1"]
    assert lycidas.kind == Item.Kind.TEXT
    assert lycidas.answer == ["fresh woods"]
    assert lycidas.details["partial_credit"] == [["fresh fields", 0.5]]
    assert items["MultipleAnswer-choice-materials"].answer == ["Aircraft", "Irrigation pipes"]
    assert items["TF-choice"].answer == "False"
    assert items["essay-vacation"].kind == Item.Kind.EXTENDED
    assert items["essay-vacation"].answer == []

    code, out, _ = _run("import", "qti", str(qti / "BBQsTest"), "--standard", "4.NF.A.1")
    assert code == 0
    assert "items: 0 created, 0 updated, 10 unchanged" in out
    assert len(_qti_items()) == 10


def test_reimport_of_an_edited_item_updates_it(qti: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bg"
    shutil.copytree(qti / "BeginnersGuide", folder)
    assert _run("import", "qti", str(folder), "--standard", "4.NF.A.1")[0] == 0
    assert len(_qti_items()) == 6
    path = folder / "items/BG010.xml"
    path.write_text(
        path.read_text().replace("<qti-value>York</qti-value>", "<qti-value>Yorke</qti-value>")
    )
    code, out, _ = _run("import", "qti", str(folder), "--standard", "4.NF.A.1")
    assert code == 0
    assert "items: 0 created, 1 updated, 5 unchanged" in out
    york = Item.objects.get(identifier="beginnersguide010")
    assert york.answer == ["Yorke", "York"]
    assert score(york, "York")
    assert not score(york, "york")


def test_items_without_alignment_are_reported_not_imported(qti: Path) -> None:
    code, out, _ = _run("import", "qti", str(qti / "BeginnersGuide"))
    assert code == 0
    assert "items: 0 created" in out
    assert "not imported: 6 unaligned item" in out
    assert "no standard alignment in the package; pass --standard CODE" in out
    assert _qti_items() == {}


def test_dry_run_writes_nothing(qti: Path) -> None:
    code, out, _ = _run(
        "import", "qti", str(qti / "BeginnersGuide"), "--standard", "4.NF.A.1", "--dry-run"
    )
    assert code == 0
    assert "items: 6 created" in out
    assert "dry run" in out
    assert _qti_items() == {}


def test_malformed_file_exits_2_with_file_and_line_and_writes_nothing(
    qti: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "bg"
    shutil.copytree(qti / "BeginnersGuide", folder)
    (folder / "items/BG009.xml").write_text('<?xml version="1.0"?>\n<qti-assessment-item>\n<p>')
    code, _, err = _run("import", "qti", str(folder), "--standard", "4.NF.A.1")
    assert code == 2
    assert f"{folder}/items/BG009.xml:3: malformed XML: no element found" in err
    assert _qti_items() == {}


def test_unknown_standard_code_exits_2(qti: Path) -> None:
    code, _, err = _run("import", "qti", str(qti / "BeginnersGuide"), "--standard", "NOPE.1")
    assert code == 2
    assert "no standard with code 'NOPE.1'" in err


def test_multiple_response_scoring_and_rubric_items_refuse_auto_scoring(qti: Path) -> None:
    assert _run("import", "qti", str(qti / "BeginnersGuide"), "--standard", "4.NF.A.1")[0] == 0
    multi = Item.objects.get(identifier="beginnersguide008")
    assert score(multi, list(reversed(multi.answer)))
    assert not score(multi, multi.answer[:2])
    with pytest.raises(ValueError, match="rubric"):
        score(Item.objects.get(identifier="beginnersguide009"), "a postcard")
