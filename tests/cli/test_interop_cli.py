"""`pathways import|export case|oneroster`: reports on stdout, every error on stderr with exit 2."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.apps.accounts.models import User
from pathways.apps.roster.models import Enrollment
from pathways.apps.standards.models import Framework
from pathways.cli.main import cli
from pathways.interop.case import read_case
from pathways.interop.oneroster import read_oneroster

pytestmark = pytest.mark.django_db

SPEC_12 = Path(__file__).resolve().parents[1] / "interop/oneroster/fixtures/v1p2_bulk_spec"
STANDARDS = Path(
    os.environ.get(
        "PATHWAYS_STANDARDS_DATA",
        Path(__file__).resolve().parents[2].parent / "shared" / "data" / "standards",
    )
)
WHAT = STANDARDS / "case/opensalt_what-standards-could-be_20c5134f.json"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_oneroster_prints_what_it_did_and_reimport_changes_nothing() -> None:
    code, out, _ = _run("import", "oneroster", str(SPEC_12))
    assert code == 0
    assert "User: 10 created, 0 updated, 0 unchanged, 0 deactivated" in out
    assert User.objects.filter(sourced_id__startswith="usr-").count() == 10
    code, out, _ = _run("import", "oneroster", str(SPEC_12))
    assert code == 0
    assert "Enrollment: 0 created, 0 updated, 11 unchanged, 0 deactivated" in out


def test_import_oneroster_from_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "roster.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in SPEC_12.iterdir():
            zf.write(path, path.name)
    code, out, _ = _run("import", "oneroster", str(archive))
    assert code == 0
    assert "Section: 4 created" in out


def test_bad_roster_exits_2_with_every_error_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    shutil.copytree(SPEC_12, folder)
    users = (folder / "users.csv").read_text(encoding="utf-8")
    (folder / "users.csv").write_text(users.replace(",true,mrivera,", ",yes,mrivera,"), "utf-8")
    enrollments = (folder / "enrollments.csv").read_text(encoding="utf-8")
    (folder / "enrollments.csv").write_text(enrollments.replace(",student,", ",pupil,"), "utf-8")
    before = Enrollment.objects.count()
    code, out, err = _run("import", "oneroster", str(folder))
    assert code == 2
    assert out == ""
    lines = [line for line in err.splitlines() if not line.startswith("...")]
    assert lines[0] == "error: 7 problem(s); nothing was written"
    assert "users.csv:2: column 'enabledUser': 'yes' is not true or false" in lines
    assert sum(1 for line in lines if "column 'role': 'pupil'" in line) == 6
    assert Enrollment.objects.count() == before


def test_dry_run_validates_against_the_database_and_writes_nothing() -> None:
    code, out, _ = _run("import", "oneroster", str(SPEC_12), "--dry-run")
    assert code == 0
    assert "User: 10 created" in out
    assert "dry run" in out
    assert not User.objects.filter(sourced_id__startswith="usr-").exists()


def test_export_oneroster_writes_a_set_that_reads_back(tmp_path: Path) -> None:
    _run("import", "oneroster", str(SPEC_12))
    code, out, _ = _run("export", "oneroster", str(tmp_path / "out"), "--district", "org-district")
    assert code == 0, out
    package = read_oneroster(tmp_path / "out")
    assert len(package.users) == 10
    assert package.manifest.oneroster_version == "1.2"
    assert b"password" in (tmp_path / "out/users.csv").read_bytes().split(b"\r\n")[0]
    assert "Password" not in (tmp_path / "out/users.csv").read_text(encoding="utf-8")


def test_export_of_an_unknown_district_exits_2(tmp_path: Path) -> None:
    code, _, err = _run("export", "oneroster", str(tmp_path), "--district", "nowhere")
    assert code == 2
    assert "unknown district sourcedId(s): nowhere" in err


@pytest.fixture
def what() -> Path:
    if not WHAT.exists():
        pytest.skip("real CASE files not found")
    return WHAT


def test_import_then_export_case_round_trips(what: Path, tmp_path: Path) -> None:
    code, out, _ = _run("import", "case", str(what))
    assert code == 0
    assert "Standard: 16 created" in out
    out_file = tmp_path / "framework.json"
    code, out, _ = _run("export", "case", "What Standards Could Be", "--out", str(out_file))
    assert code == 0, out
    exported = read_case(out_file)
    assert len(exported.items) == 16
    assert json.loads(out_file.read_text(encoding="utf-8"))["CFDocument"]["title"] == (
        "What Standards Could Be"
    )
    code, out, _ = _run("import", "case", str(out_file))
    assert code == 0
    assert "Standard: 0 created, 0 updated, 16 unchanged" in out


def test_bad_case_file_exits_2_with_its_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"CFDocument": {"title": "x"}, "CFItems": [{}]}', encoding="utf-8")
    frameworks = Framework.objects.count()
    code, _, err = _run("import", "case", str(bad))
    assert code == 2
    assert f"{bad}: column 'CFDocument.identifier': is required" in err
    assert f"{bad}: column 'CFItems[0].fullStatement': is required" in err
    assert Framework.objects.count() == frameworks


def test_unknown_framework_exits_2(tmp_path: Path) -> None:
    code, _, err = _run("export", "case", "No Such Framework", "--out", str(tmp_path / "x.json"))
    assert code == 2
    assert "is not a framework" in err
