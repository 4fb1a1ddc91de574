"""OneRoster CSV sets: real exports and spec-built fixtures read with the right counts, bad sets
are refused with every error at file:line:column, and unsafe zips are never unpacked."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

import pathways.interop.oneroster as oneroster_api
from pathways.engines.errors import InputError, InputErrors
from pathways.interop.oneroster import (
    Limits,
    all_roles,
    dump_oneroster,
    parse_oneroster,
    read_oneroster,
)

FIXTURES = Path(__file__).parent / "fixtures"
SPEC_12 = FIXTURES / "v1p2_bulk_spec"
SPEC_11 = FIXTURES / "v1p1_bulk_spec"


def _counts(package: oneroster_api.RosterPackage) -> dict[str, int]:
    names = ("academic_sessions", "orgs", "courses", "classes", "users", "roles", "enrollments")
    return {name: len(getattr(package, name)) for name in (*names, "demographics", "user_profiles")}


def _data_rows(folder: Path, name: str) -> int:
    return len((folder / name).read_text(encoding="utf-8").strip().splitlines()) - 1


def _errors(folder_or_files: Path | dict[str, bytes]) -> list[str]:
    if isinstance(folder_or_files, Path):
        folder_or_files = dict(oneroster_api.open_csv_set(folder_or_files))
    with pytest.raises(InputErrors) as caught:
        parse_oneroster(folder_or_files)
    return [InputError.__str__(e) for e in caught.value.errors]


# -- real exports ---------------------------------------------------------------------------


def test_datagen_delta_set_reads_one_record_per_file(standards_data: Path) -> None:
    folder = standards_data / "oneroster/v1p2_delta_datagen_catalyst"
    package = read_oneroster(folder)
    assert package.is_delta
    assert package.manifest.source_system_name == "DataGen"
    counts = _counts(package)
    assert counts == {
        "academic_sessions": _data_rows(folder, "academicSessions.csv"),
        "orgs": _data_rows(folder, "orgs.csv"),
        "courses": _data_rows(folder, "courses.csv"),
        "classes": _data_rows(folder, "classes.csv"),
        "users": _data_rows(folder, "users.csv"),
        "roles": _data_rows(folder, "roles.csv"),
        "enrollments": _data_rows(folder, "enrollments.csv"),
        "demographics": _data_rows(folder, "demographics.csv"),
        "user_profiles": _data_rows(folder, "userProfiles.csv"),
    }
    assert set(counts.values()) == {1}
    bruce = package.users[0]
    assert (bruce.given_name, bruce.family_name, bruce.username) == ("Bruce", "Wayne", "brucewayne")
    assert bruce.date_last_modified == dt.datetime(2023, 10, 2, tzinfo=dt.UTC)
    assert not hasattr(bruce, "password")
    assert package.demographics[0].birth_date == dt.date(2010, 4, 17)


def test_catalyst_1_1_set_is_refused_for_its_dangling_references(standards_data: Path) -> None:
    errors = _errors(standards_data / "oneroster/v1p1_bulk_catalyst")
    assert errors == [
        "classes.csv:2: column 'classType': 'Scheduled' is not one of homeroom, scheduled",
        "academicSessions.csv:3: column 'parentSourcedId': refers to 'as-syr-222-2023', "
        "which is not in academicSessions.csv",
        "academicSessions.csv:6: column 'parentSourcedId': refers to 'as-syr-222-2023', "
        "which is not in academicSessions.csv",
        "orgs.csv:2: column 'parentSourcedId': refers to 'org-sch-222-3456', "
        "which is not in orgs.csv",
        "classes.csv:2: column 'courseSourcedId': refers to 'crs-222-2023-456-12345', "
        "which is not in courses.csv",
    ]


def test_catalyst_1_1_set_reads_once_the_missing_records_are_known(standards_data: Path) -> None:
    folder = standards_data / "oneroster/v1p1_bulk_catalyst"
    files = oneroster_api.open_csv_set(folder)
    files = {**files, "classes.csv": files["classes.csv"].replace(b"Scheduled", b"scheduled")}
    known = {
        "academicSessions": {"as-syr-222-2023"},
        "orgs": {"org-sch-222-3456"},
        "courses": {"crs-222-2023-456-12345", "crs-222-2023-456-23456"},
    }
    package = parse_oneroster(files, known=known)
    assert _counts(package) == {
        "academic_sessions": 5,
        "orgs": 1,
        "courses": 0,
        "classes": 2,
        "users": 6,
        "roles": 0,
        "enrollments": 6,
        "demographics": 0,
        "user_profiles": 0,
    }
    # 1.1 keeps roles in users.csv: one role per (user, org)
    assert sorted(r.role for r in all_roles(package)) == [
        "parent",
        "student",
        "student",
        "student",
        "teacher",
        "teacher",
    ]
    assert package.academic_sessions[2].status == "inactive"  # allowed in 1.1
    assert package.classes[1].terms == ("as-trm-222-1234", "as-trm-222-1235")


def test_catalyst_1_2_set_reports_each_known_defect(standards_data: Path) -> None:
    errors = _errors(standards_data / "oneroster/v1p2_bulk_catalyst")
    expected_fragments = [
        "manifest.csv:22: column 'value': file.userProfiles must be absent, bulk or delta, got ''",
        "userprofiles.csv: unexpected file name: did you mean userProfiles.csv?",
        "academicSessions.csv:4: column 'status': 'inactive' is not one of active, tobedeleted",
        "users.csv:1: column 'prefferedGivenName': unknown column for OneRoster 1.2 "
        "(did you mean 'preferredGivenName'?)",
        "users.csv:2: column 'dateLastModified': '1/05/2023' is not an ISO 8601 date-time",
        "roles.csv:1: column 'dataLastModified': unknown column for OneRoster 1.2 "
        "(did you mean 'dateLastModified'?)",
        "roles.csv:1: header column 10 has no name",
        "roles.csv:2: expected 11 fields, found 9",
    ]
    for fragment in expected_fragments:
        assert any(e.startswith(fragment) for e in errors), fragment
    assert len(errors) == 28


# -- spec-built fixtures ----------------------------------------------------------------------


def test_spec_1_2_bulk_set_reads_every_file() -> None:
    package = read_oneroster(SPEC_12)
    assert _counts(package) == {
        "academic_sessions": 4,
        "orgs": 4,
        "courses": 3,
        "classes": 4,
        "users": 10,
        "roles": 11,
        "enrollments": 11,
        "demographics": 3,
        "user_profiles": 1,
    }
    assert not package.is_delta
    south = next(o for o in package.orgs if o.sourced_id == "org-south")
    assert south.name == "South Middle School, Campus A"
    theo = next(u for u in package.users if u.sourced_id == "usr-theo")
    assert theo.agents == ("usr-dana", "usr-sam")
    assert theo.preferred_given_name == "Theo"
    okafor = next(u for u in package.users if u.sourced_id == "usr-okafor")
    assert okafor.user_ids == ("{LDAP:cokafor}", "{SSO:c.okafor}")
    math4 = package.classes[0]
    assert math4.terms == ("as-2025-s1", "as-2025-s2")
    assert package.enrollments[0].primary is True
    assert package.enrollments[5].begin_date == dt.date(2024, 8, 19)


def test_spec_1_1_set_drops_passwords_and_derives_roles_from_users() -> None:
    package = read_oneroster(SPEC_11)
    assert _counts(package)["users"] == 4
    roles = {(r.user, r.role, r.org) for r in all_roles(package)}
    assert roles == {
        ("u-kim", "teacher", "o-hill"),
        ("u-noor", "student", "o-hill"),
        ("u-rana", "parent", "o-hill"),
        ("u-boss", "administrator", "o-lakeside"),
    }
    dumped = dump_oneroster(package)
    assert b"Secret123!" not in dumped["users.csv"]
    assert b"hunter2" not in b"".join(dumped.values())


def test_a_1_1_manifest_cannot_list_1_2_files() -> None:
    files = dict(oneroster_api.open_csv_set(SPEC_11))
    files["manifest.csv"] += b"file.roles,bulk\r\n"
    assert _errors(files) == [
        "manifest.csv:19: column 'propertyName': roles.csv is not part of OneRoster 1.1"
    ]


def test_zip_reads_the_same_as_the_folder(tmp_path: Path) -> None:
    archive = tmp_path / "roster.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in SPEC_12.iterdir():
            zf.write(path, f"export-2024/{path.name}")
    assert read_oneroster(archive) == read_oneroster(SPEC_12)


def test_missing_manifest_is_the_first_thing_reported(tmp_path: Path) -> None:
    assert _errors(tmp_path) == [
        "manifest.csv: missing: every OneRoster CSV set starts with manifest.csv"
    ]


def test_file_listed_in_the_manifest_must_be_there() -> None:
    files = oneroster_api.open_csv_set(SPEC_12)
    del files["courses.csv"]  # type: ignore[attr-defined]
    errors = _errors(dict(files))
    assert (
        errors[0]
        == "manifest.csv:8: column 'value': file.courses is bulk but courses.csv is missing"
    )
    assert any(e.startswith("classes.csv:2: column 'courseSourcedId'") for e in errors)


def test_delta_rows_need_status_and_date_but_deletions_only_an_id() -> None:
    files = dict(oneroster_api.open_csv_set(SPEC_12))
    files["manifest.csv"] = files["manifest.csv"].replace(b",bulk", b",delta")
    files["orgs.csv"] += b"org-gone,tobedeleted,2024-07-02T00:00:00Z,,,,\r\n"
    files["courses.csv"] = files["courses.csv"].replace(b"crs-math4,active,", b"crs-math4,,")
    errors = _errors(files)
    assert errors == ["courses.csv:2: column 'status': a value is required"]


def test_duplicate_sourced_ids_and_double_enrollments_are_reported() -> None:
    files = dict(oneroster_api.open_csv_set(SPEC_12))
    files["users.csv"] += (
        b"usr-maya,active,2024-07-01T12:00:00.000Z,true,maya2,,Maya,Chen,,,,,,,04,,,,,,,\r\n"
    )
    files["enrollments.csv"] += (
        b"enr-maya-again,active,2024-07-01T12:00:00.000Z,cls-math4-a,org-north,usr-maya,student,,,\r\n"
    )
    assert _errors(files) == [
        "users.csv:12: column 'sourcedId': duplicate sourcedId 'usr-maya' (also line 4)",
        "enrollments.csv:13: column 'userSourcedId': user 'usr-maya' is already enrolled as "
        "student in class 'cls-math4-a' (line 7)",
    ]


def test_quoted_multiline_values_keep_their_starting_line() -> None:
    files = dict(oneroster_api.open_csv_set(SPEC_12))
    files["orgs.csv"] += (
        b'org-x,active,2024-07-01T12:00:00Z,"Two\r\nLines",school,,org-district\r\n'
    )
    files["orgs.csv"] += b"org-y,active,2024-07-01T12:00:00Z,Bad,campus,,org-district\r\n"
    assert _errors(files) == [
        "orgs.csv:8: column 'type': 'campus' is not one of department, district, local, "
        "national, school, state"
    ]


def test_non_utf8_files_are_refused_with_their_line() -> None:
    files = dict(oneroster_api.open_csv_set(SPEC_12))
    files["orgs.csv"] = files["orgs.csv"].replace(b"North", b"N\xf6rth")
    assert _errors(files)[0] == "orgs.csv:3: not UTF-8 text (byte 213)"


def test_all_public_names_are_exported() -> None:
    public = {name for name in dir(oneroster_api) if not name.startswith("_")}
    assert public == set(oneroster_api.__all__)


# -- unsafe archives ----------------------------------------------------------------------------


def _zip(tmp_path: Path, members: dict[str, bytes], name: str = "set.zip") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return path


@pytest.mark.parametrize("member", ["../manifest.csv", "/etc/manifest.csv", "a\\..\\manifest.csv"])
def test_zip_members_outside_the_archive_are_refused(tmp_path: Path, member: str) -> None:
    path = _zip(tmp_path, {member: b"propertyName,value\r\n"})
    with pytest.raises(InputError, match="refused member"):
        read_oneroster(path)


def test_zip_symlinks_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "links.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("manifest.csv")
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(InputError, match="symbolic link"):
        read_oneroster(path)


def test_zip_bombs_are_stopped_while_inflating(tmp_path: Path) -> None:
    path = _zip(tmp_path, {"users.csv": b"0" * 3_000_000, "manifest.csv": b"propertyName,value\n"})
    with pytest.raises(InputError, match="compression ratio"):
        read_oneroster(path)


def test_zip_size_limits_hold_even_when_the_archive_lies(tmp_path: Path) -> None:
    path = _zip(tmp_path, {"users.csv": bytes(range(256)) * 400})
    with pytest.raises(InputError, match="byte limit"):
        read_oneroster(path, limits=Limits(max_file_bytes=50_000))
    with pytest.raises(InputError, match="members"):
        read_oneroster(
            _zip(tmp_path, {f"f{i}.csv": b"" for i in range(5)}, "many.zip"),
            limits=Limits(max_files=4),
        )


def test_files_in_several_folders_are_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path, {"a/manifest.csv": b"x", "b/users.csv": b"y"})
    with pytest.raises(InputError, match="sit together"):
        read_oneroster(path)


def test_something_that_is_not_a_set_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match=r"expected a folder or a \.zip"):
        read_oneroster(text)
    with pytest.raises(InputError, match="no such file"):
        read_oneroster(tmp_path / "nope.zip")
