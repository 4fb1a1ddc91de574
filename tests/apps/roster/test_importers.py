"""OneRoster import: spec-built and real sets land with the right counts and roles, re-import
changes nothing, delta deactivates, bulk replaces, bad sets write nothing, export round-trips.

The database starts from the demo district (Riverbend, sourcedIds ``demo-...``)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.apps.accounts.models import User
from pathways.apps.roster.exporters import export_oneroster
from pathways.apps.roster.importers import import_oneroster, known_ids
from pathways.apps.roster.models import (
    Course,
    District,
    Enrollment,
    Guardianship,
    Membership,
    School,
    Section,
    Term,
)
from pathways.engines.errors import InputErrors
from pathways.interop.oneroster import dump_oneroster, open_csv_set, parse_oneroster

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "interop" / "oneroster" / "fixtures"
SPEC_12 = FIXTURES / "v1p2_bulk_spec"
SPEC_11 = FIXTURES / "v1p1_bulk_spec"
STANDARDS = Path(
    os.environ.get(
        "PATHWAYS_STANDARDS_DATA",
        Path(__file__).resolve().parents[3].parent / "shared" / "data" / "standards",
    )
)
DATAGEN = STANDARDS / "oneroster/v1p2_delta_datagen_catalyst"


def _files(folder: Path) -> dict[str, bytes]:
    return dict(open_csv_set(folder))


def _import(files: dict[str, bytes], **kwargs: bool):
    return import_oneroster(parse_oneroster(files, known=known_ids()), **kwargs)


def _snapshot() -> dict[str, list[tuple[object, ...]]]:
    def rows(model: type, *fields: str) -> list[tuple[object, ...]]:
        return sorted(model.objects.values_list(*fields), key=repr)

    return {
        "districts": rows(District, "sourced_id", "name", "active"),
        "schools": rows(School, "sourced_id", "name", "identifier", "district_id", "active"),
        "terms": rows(
            Term,
            "sourced_id",
            "title",
            "kind",
            "start_date",
            "end_date",
            "parent_id",
            "school_year",
            "active",
        ),
        "courses": rows(
            Course,
            "sourced_id",
            "title",
            "code",
            "subject",
            "grade_levels",
            "school_id",
            "district_id",
            "active",
        ),
        "sections": rows(
            Section,
            "sourced_id",
            "title",
            "code",
            "location",
            "course_id",
            "school_id",
            "term_id",
            "active",
        ),
        "users": rows(
            User,
            "sourced_id",
            "username",
            "first_name",
            "last_name",
            "email",
            "preferred_name",
            "grade_level",
            "is_active",
            "password",
        ),
        "memberships": rows(Membership, "user_id", "role", "district_id", "school_id", "active"),
        "guardianships": rows(Guardianship, "guardian_id", "student_id", "relation", "active"),
        "enrollments": rows(
            Enrollment,
            "sourced_id",
            "section_id",
            "user_id",
            "role",
            "primary",
            "begin_date",
            "end_date",
            "active",
        ),
    }


def test_spec_1_2_set_creates_every_record() -> None:
    report = _import(_files(SPEC_12))
    assert dict(report.created) == {
        "District": 1,
        "School": 2,
        "Term": 4,
        "Course": 3,
        "Section": 4,
        "User": 10,
        "Membership": 11,
        "Guardianship": 3,
        "Enrollment": 11,
    }
    assert report.skipped["orgs that are not districts or schools"] == 1  # the department


def test_roles_guardians_and_enrollments_map_onto_ours() -> None:
    _import(_files(SPEC_12))
    north = School.objects.get(sourced_id="org-north")
    assert north.district.name == "Riverbend Unified School District"
    maya = User.objects.get(sourced_id="usr-maya")
    assert (maya.first_name, maya.last_name, maya.grade_level) == ("Maya", "Chen", "04")
    assert maya.memberships.get().role == "student"
    assert maya.memberships.get().school == north
    theo = User.objects.get(sourced_id="usr-theo")
    assert theo.preferred_name == "Theo"
    assert sorted(theo.guardianships.values_list("guardian__username", "relation")) == [
        ("dana.brooks", "guardian"),
        ("sam.brooks", "relative"),
    ]
    assert maya.guardianships.get().relation == "parent"
    garcia = Membership.objects.get(user__sourced_id="usr-garcia")
    assert (garcia.role, garcia.school) == ("district_admin", None)
    assert Membership.objects.get(user__sourced_id="usr-patel").role == "principal"
    assert sorted(
        Membership.objects.filter(user__sourced_id="usr-okafor").values_list("school__name", "role")
    ) == [("North Elementary School", "teacher"), ("South Middle School, Campus A", "teacher")]
    math4 = Section.objects.get(sourced_id="cls-math4-a")
    assert math4.term.sourced_id == "as-2025-s1"  # first of its terms
    assert math4.term.parent is not None
    assert math4.term.parent.sourced_id == "as-2025"
    assert sorted(math4.enrollments.values_list("user__username", "role", "primary")) == [
        ("cokafor", "aide", False),
        ("maya.chen", "student", False),
        ("mrivera", "teacher", True),
        ("theo.brooks", "student", False),
    ]
    assert not User.objects.get(sourced_id="usr-ava").is_active  # enabledUser false


def test_reimporting_the_same_files_changes_nothing() -> None:
    _import(_files(SPEC_12))
    _import(_files(SPEC_11))
    before = _snapshot()
    for folder in (SPEC_12, SPEC_11):
        report = _import(_files(folder))
        assert not report.changed, report.lines()
    assert _snapshot() == before


def test_passwords_in_the_files_are_never_imported() -> None:
    _import(_files(SPEC_11))
    kim = User.objects.get(sourced_id="u-kim")
    assert not kim.has_usable_password()
    assert not kim.check_password("Secret123!")
    assert User.objects.get(sourced_id="u-boss").memberships.get().role == "district_admin"


def test_real_datagen_delta_set_imports_one_of_each(shared_datagen: Path) -> None:
    report = _import(_files(shared_datagen))
    assert {k: v for k, v in report.created.items() if v} == {
        "District": 1,
        "School": 1,
        "Term": 1,
        "Course": 1,
        "Section": 1,
        "User": 1,
        "Membership": 1,
        "Enrollment": 1,
    }
    gotham = School.objects.get(sourced_id="ORG_1")
    assert gotham.district.sourced_id == "oneroster:DataGen"  # the files name no district
    bruce = User.objects.get(sourced_id="USER_0")
    assert bruce.enrollments.get().section.title == "Basic Detection"
    assert not bruce.has_usable_password()
    assert not _import(_files(shared_datagen)).changed


@pytest.fixture
def shared_datagen() -> Path:
    if not DATAGEN.is_dir():
        pytest.skip(f"real OneRoster files not found at {DATAGEN}")
    return DATAGEN


def _delta(rows: dict[str, bytes]) -> dict[str, bytes]:
    tables = ["users", "enrollments", "classes"]
    manifest = "propertyName,value\r\nmanifest.version,1.0\r\noneroster.version,1.2\r\n" + "".join(
        f"file.{t},delta\r\n" for t in tables
    )
    headers = {name: _files(SPEC_12)[name].split(b"\r\n")[0] for name in rows}
    return {
        "manifest.csv": manifest.encode(),
        **{n: headers[n] + b"\r\n" + r for n, r in rows.items()},
        **{
            f"{t}.csv": _files(SPEC_12)[f"{t}.csv"].split(b"\r\n")[0] + b"\r\n"
            for t in tables
            if f"{t}.csv" not in rows
        },
    }


def test_delta_tobedeleted_deactivates_and_leaves_the_rest_alone() -> None:
    _import(_files(SPEC_12))
    before = _snapshot()
    report = _import(
        _delta(
            {
                "enrollments.csv": b"enr-maya-math4,tobedeleted,2024-09-01T00:00:00Z,,,,,,,\r\n",
                "users.csv": b"usr-theo,tobedeleted,2024-09-01T00:00:00Z" + b"," * 19 + b"\r\n",
                "classes.csv": b"cls-math6-b,active,2024-09-01T00:00:00Z,Math 6 - Okafor (B),06,"
                b"crs-math6,MATH6-B,scheduled,Room 305,org-south,as-2025-s1,Math,MATH,4\r\n",
            }
        )
    )
    assert dict(+report.deactivated) == {"Enrollment": 1, "User": 1}
    assert dict(+report.updated) == {"Section": 1}
    assert not Enrollment.objects.get(sourced_id="enr-maya-math4").active
    assert not User.objects.get(sourced_id="usr-theo").is_active
    assert Section.objects.get(sourced_id="cls-math6-b").location == "Room 305"
    after = _snapshot()
    assert after["enrollments"] != before["enrollments"]
    assert after["memberships"] == before["memberships"]  # not mentioned: untouched


def test_a_delta_row_older_than_the_database_is_skipped() -> None:
    _import(_files(SPEC_12))  # rows stamped 2024-07-01T12:00Z
    row = b"crs-math6,MATH6-B,scheduled,Room 999,org-south,as-2025-s1,Math,MATH,4\r\n"
    stale = b"cls-math6-b,active,2024-06-01T00:00:00Z,Old title,06," + row
    report = _import(_delta({"classes.csv": stale}))
    assert report.skipped["Section rows older than the database"] == 1
    assert not report.changed
    fresh = b"cls-math6-b,active,2024-07-02T00:00:00Z,New title,06," + row
    report = _import(_delta({"classes.csv": fresh}))
    section = Section.objects.get(sourced_id="cls-math6-b")
    assert (section.title, section.location) == ("New title", "Room 999")
    assert section.date_last_modified is not None
    assert section.date_last_modified.isoformat() == "2024-07-02T00:00:00+00:00"


def test_bulk_deactivates_what_the_file_leaves_out_and_brings_it_back() -> None:
    files = _files(SPEC_12)
    _import(files)
    lines = files["enrollments.csv"].split(b"\r\n")
    without_theo = b"\r\n".join(line for line in lines if b"enr-theo-ela4" not in line)
    report = _import({**files, "enrollments.csv": without_theo})
    assert dict(+report.deactivated) == {"Enrollment": 1}
    assert not Enrollment.objects.get(sourced_id="enr-theo-ela4").active
    report = _import(files)
    assert dict(+report.updated) == {"Enrollment": 1}
    assert Enrollment.objects.get(sourced_id="enr-theo-ela4").active


def test_bulk_never_touches_other_districts() -> None:
    demo_before = _snapshot()["enrollments"]
    _import(_files(SPEC_12))
    demo_after = [e for e in _snapshot()["enrollments"] if not str(e[0]).startswith("enr-")]
    assert demo_after == demo_before


def test_a_username_owned_by_another_account_is_refused_and_nothing_written(
    person: object,
) -> None:
    taken = User.objects.exclude(sourced_id__startswith="usr-").first()
    assert taken is not None
    files = _files(SPEC_12)
    files["users.csv"] = files["users.csv"].replace(
        b",theo.brooks,", f",{taken.username},".encode()
    )
    before = _snapshot()
    with pytest.raises(InputErrors) as caught:
        _import(files)
    assert [str(e) for e in caught.value.errors] == [
        f"users.csv:5: column 'username': username {taken.username!r} belongs to another account"
    ]
    assert _snapshot() == before


CORRUPTIONS = {
    "users.csv": [("enabledUser", b"maybe"), ("givenName", b""), ("username", b"")],
    "classes.csv": [("classType", b"lab"), ("title", b""), ("termSourcedIds", b"as-1999")],
    "enrollments.csv": [("role", b"pupil"), ("beginDate", b"2024-99-99"), ("userSourcedId", b"")],
    "orgs.csv": [("type", b"campus"), ("name", b"")],
}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_corrupted_row_is_reported_and_nothing_is_written(data: st.DataObject) -> None:
    files = _files(SPEC_12)
    name = data.draw(st.sampled_from(sorted(CORRUPTIONS)))
    column, value = data.draw(st.sampled_from(CORRUPTIONS[name]))
    lines = files[name].split(b"\r\n")
    header = lines[0].decode().split(",")
    row = data.draw(st.integers(2, len([line for line in lines if line])))
    fields = next(csv.reader([lines[row - 1].decode()]))
    fields[header.index(column)] = value.decode()
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    lines[row - 1] = buffer.getvalue().encode()
    files[name] = b"\r\n".join(lines)
    before = _snapshot()
    with pytest.raises(InputErrors) as caught:
        _import(files)
    places = {(e.source, e.line, e.column) for e in caught.value.errors}
    assert (name, row, column) in places, str(caught.value)
    assert _snapshot() == before


def test_dry_run_reports_and_writes_nothing() -> None:
    before = _snapshot()
    report = _import(_files(SPEC_12), dry_run=True)
    assert report.created["Enrollment"] == 11
    assert _snapshot() == before


def test_export_then_import_changes_nothing() -> None:
    _import(_files(SPEC_12))
    district = District.objects.get(sourced_id="org-district")
    before = _snapshot()
    exported = parse_oneroster(dump_oneroster(export_oneroster([district])), known=known_ids())
    assert len(exported.users) == 10
    assert len(exported.enrollments) == 11
    report = import_oneroster(exported)
    assert not report.changed, report.lines()
    assert _snapshot() == before


def test_the_demo_district_exports_as_valid_oneroster_and_reimports_unchanged() -> None:
    demo = District.objects.get(sourced_id__startswith="demo-")
    before = _snapshot()
    package = parse_oneroster(dump_oneroster(export_oneroster([demo])))
    assert (
        len(package.enrollments)
        == Enrollment.objects.filter(section__school__district=demo).count()
    )
    report = import_oneroster(package)
    assert not report.changed, "\n".join(report.lines())
    assert _snapshot() == before
