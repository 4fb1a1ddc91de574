"""District tools: roster upload (all or nothing, errors with their place), the graph editor."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pathways.apps.roster.exporters import export_oneroster
from pathways.apps.roster.models import District, Enrollment
from pathways.apps.standards.models import Association
from pathways.apps.standards.queries import standard_by_code
from pathways.interop.oneroster import write_oneroster

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    assert (
        client.post("/signin/", {"username": username, "password": "pathways-demo"}).status_code
        == 302
    )
    return client


def demo_zip(tmp_path: Path, edit=None) -> SimpleUploadedFile:
    folder = tmp_path / "export"
    write_oneroster(export_oneroster(District.objects.filter(sourced_id="demo-district")), folder)
    if edit:
        edit(folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return SimpleUploadedFile("district.zip", buffer.getvalue(), content_type="application/zip")


def test_dry_run_of_the_districts_own_export_reports_and_changes_nothing(tmp_path: Path) -> None:
    before = Enrollment.objects.count()
    response = signed_in("district1").post(
        "/district/rosters/", {"package": demo_zip(tmp_path), "dry_run": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200, page[:2000]
    assert "Dry run" in page
    assert Enrollment.objects.count() == before


def test_a_broken_file_is_refused_whole_with_file_line_and_reason(tmp_path: Path) -> None:
    def break_enrollment(folder: Path) -> None:
        enrollments = folder / "enrollments.csv"
        lines = enrollments.read_text().splitlines()
        header = lines[0].split(",")
        cells = lines[1].split(",")
        cells[header.index("classSourcedId")] = "no-such-class"
        lines[1] = ",".join(cells)
        enrollments.write_text("\n".join(lines) + "\n")

    before = Enrollment.objects.count()
    response = signed_in("district1").post(
        "/district/rosters/", {"package": demo_zip(tmp_path, break_enrollment)}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert "enrollments.csv:2" in page
    assert Enrollment.objects.count() == before


def test_only_district_administrators_upload_rosters(tmp_path: Path) -> None:
    for username in ("principal1", "teacher1", "student1"):
        assert (
            signed_in(username)
            .post("/district/rosters/", {"package": demo_zip(tmp_path)})
            .status_code
            == 404
        )


def test_a_non_zip_upload_is_refused_with_a_reason() -> None:
    upload = SimpleUploadedFile("roster.csv", b"a,b\n1,2\n")
    response = signed_in("district1").post("/district/rosters/", {"package": upload})
    assert response.status_code == 400
    assert ".zip" in response.content.decode()


def test_adding_and_removing_a_prerequisite_and_refusing_a_cycle() -> None:
    client = signed_in("district1")
    first, second = standard_by_code("4.NF.A.1"), standard_by_code("4.NF.B.3")
    Association.objects.filter(origin=first, destination=second).delete()
    client.post(
        "/district/prerequisites/edit/",
        {"standard": "4.NF.B.3", "prerequisite": "4.NF.A.1", "action": "add"},
    )
    assert Association.objects.filter(kind="precedes", origin=first, destination=second).exists()
    client.post(
        "/district/prerequisites/edit/",
        {"standard": "4.NF.A.1", "prerequisite": "4.NF.B.3", "action": "add"},
    )
    assert not Association.objects.filter(
        kind="precedes", origin=second, destination=first
    ).exists()
    page = client.get("/district/prerequisites/?code=4.NF.A.1").content.decode()
    assert "would make a cycle" in page
    client.post(
        "/district/prerequisites/edit/",
        {"standard": "4.NF.B.3", "prerequisite": "4.NF.A.1", "action": "remove"},
    )
    assert not Association.objects.filter(
        kind="precedes", origin=first, destination=second
    ).exists()


def test_teachers_cannot_edit_the_graph() -> None:
    response = signed_in("teacher1").post(
        "/district/prerequisites/edit/",
        {"standard": "4.NF.B.3", "prerequisite": "4.NF.A.1", "action": "add"},
    )
    assert response.status_code == 404
