"""Properties: every corruption of a valid set is reported at its row; write-then-read is exact."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.engines.errors import InputErrors
from pathways.interop.oneroster import (
    Manifest,
    Org,
    RosterPackage,
    User,
    dump_oneroster,
    open_csv_set,
    parse_oneroster,
)

SPEC_12 = Path(__file__).parent / "fixtures" / "v1p2_bulk_spec"
VALID = dict(open_csv_set(SPEC_12))

# file -> corruptible columns, by kind of corruption
REQUIRED = {
    "academicSessions.csv": ["sourcedId", "title", "type", "startDate", "endDate", "schoolYear"],
    "orgs.csv": ["sourcedId", "name", "type"],
    "courses.csv": ["sourcedId", "title", "orgSourcedId"],
    "classes.csv": ["title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"],
    "users.csv": ["sourcedId", "enabledUser", "username", "givenName", "familyName"],
    "roles.csv": ["userSourcedId", "roleType", "role", "orgSourcedId"],
    "enrollments.csv": ["classSourcedId", "schoolSourcedId", "userSourcedId", "role"],
    "userProfiles.csv": ["userSourcedId", "profileType", "vendorId", "credentialType"],
}
ENUMS = {
    "academicSessions.csv": ["type", "status"],
    "orgs.csv": ["type", "status"],
    "classes.csv": ["classType"],
    "roles.csv": ["roleType", "role"],
    "enrollments.csv": ["role"],
    "demographics.csv": ["sex"],
}
DATES = {
    "academicSessions.csv": ["startDate", "endDate"],
    "roles.csv": ["beginDate", "endDate"],
    "enrollments.csv": ["beginDate", "endDate"],
    "demographics.csv": ["birthDate"],
    "users.csv": ["dateLastModified"],
    "courses.csv": ["dateLastModified"],
}
REFERENCES = {
    "academicSessions.csv": ["parentSourcedId"],
    "orgs.csv": ["parentSourcedId"],
    "courses.csv": ["orgSourcedId", "schoolYearSourcedId"],
    "classes.csv": ["courseSourcedId", "schoolSourcedId", "termSourcedIds"],
    "users.csv": ["primaryOrgSourcedId", "agentSourcedIds"],
    "roles.csv": ["userSourcedId", "orgSourcedId"],
    "enrollments.csv": ["classSourcedId", "schoolSourcedId", "userSourcedId"],
    "demographics.csv": ["sourcedId"],
    "userProfiles.csv": ["userSourcedId"],
}
BOOLEANS = {
    "users.csv": ["enabledUser"],
    "enrollments.csv": ["primary"],
    "demographics.csv": ["asian"],
}
BAD = {
    "required": [""],
    "enum": ["bogus", "Active", "STUDENT"],
    "date": ["2024-13-01", "1/05/2023", "yesterday", "2024-02-30"],
    "reference": ["missing-404"],
    "boolean": ["yes", "1", "T"],
}
KINDS = {
    "required": REQUIRED,
    "enum": ENUMS,
    "date": DATES,
    "reference": REFERENCES,
    "boolean": BOOLEANS,
}


def _table(name: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(VALID[name].decode(), newline="")))
    return rows[0], rows[1:]


def _encode(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue().encode()


@st.composite
def corruptions(draw: st.DrawFn) -> tuple[dict[str, bytes], str, int, str]:
    kind = draw(st.sampled_from(sorted(KINDS)))
    name = draw(st.sampled_from(sorted(KINDS[kind])))
    column = draw(st.sampled_from(KINDS[kind][name]))
    header, rows = _table(name)
    index = draw(st.integers(0, len(rows) - 1))
    value = draw(st.sampled_from(BAD[kind]))
    rows[index][header.index(column)] = value
    return {**VALID, name: _encode(header, rows)}, name, index + 2, column


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corruptions())
def test_every_corruption_is_reported_at_its_row_and_column(
    case: tuple[dict[str, bytes], str, int, str],
) -> None:
    files, name, line, column = case
    with pytest.raises(InputErrors) as caught:
        parse_oneroster(files)
    places = {(e.source, e.line, e.column) for e in caught.value.errors}
    assert (name, line, column) in places, str(caught.value)


@st.composite
def shuffled_or_truncated(draw: st.DrawFn) -> tuple[dict[str, bytes], str, int]:
    name = draw(st.sampled_from(sorted(n for n in VALID if n != "manifest.csv")))
    header, rows = _table(name)
    index = draw(st.integers(0, len(rows) - 1))
    rows[index] = rows[index][: draw(st.integers(1, len(header) - 1))]
    return {**VALID, name: _encode(header, rows)}, name, index + 2


@settings(max_examples=40, deadline=None)
@given(shuffled_or_truncated())
def test_rows_with_missing_fields_are_reported(case: tuple[dict[str, bytes], str, int]) -> None:
    files, name, line = case
    with pytest.raises(InputErrors) as caught:
        parse_oneroster(files)
    assert any(e.source == name and e.line == line for e in caught.value.errors), str(caught.value)


def test_spec_set_round_trips_exactly() -> None:
    package = parse_oneroster(VALID)
    assert parse_oneroster(dump_oneroster(package)) == package


# -- generated packages survive the writer (quotes, commas, newlines, any script) -------------

_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
)
_spaced = st.lists(_text, min_size=1, max_size=3).map(" ".join)
_ids = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=10)
_stamp = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)


@st.composite
def packages(draw: st.DrawFn) -> RosterPackage:
    org_ids = draw(st.lists(_ids, min_size=1, max_size=4, unique=True))
    orgs = tuple(
        Org(
            sourced_id=sid,
            status=draw(st.sampled_from(["active", "tobedeleted"])),
            date_last_modified=draw(st.none() | _stamp),
            name=draw(_spaced),
            type=draw(st.sampled_from(["district", "school", "department"])),
            identifier=draw(st.just("") | _ids),
            parent=draw(st.just("") | st.sampled_from(org_ids)),
        )
        for sid in org_ids
    )
    user_ids = draw(st.lists(_ids.map(lambda s: f"u{s}"), max_size=5, unique=True))
    users = tuple(
        User(
            sourced_id=sid,
            status="active",
            date_last_modified=draw(_stamp),
            enabled=draw(st.booleans()),
            username=draw(_text),
            user_ids=tuple(f"{{LDAP:{x}}}" for x in draw(st.lists(_ids, max_size=2))),
            given_name=draw(_spaced),
            family_name=draw(_spaced),
            middle_name=draw(st.just("") | _text),
            identifier="",
            email=draw(st.just("") | st.emails()),
            sms="",
            phone="",
            agents=tuple(draw(st.lists(st.sampled_from(user_ids), max_size=2, unique=True))),
            grades=tuple(draw(st.lists(st.sampled_from(["KG", "01", "04", "12"]), max_size=2))),
            preferred_given_name=draw(st.just("") | _text),
            primary_org=draw(st.sampled_from(org_ids)),
            pronouns=draw(st.sampled_from(["", "she/her", "they/them"])),
        )
        for sid in user_ids
    )
    manifest = Manifest(oneroster_version="1.2", files={})
    return RosterPackage(manifest=manifest, orgs=orgs, users=users)


@settings(max_examples=60, deadline=None)
@given(packages())
def test_written_records_read_back_identically(package: RosterPackage) -> None:
    again = parse_oneroster(dump_oneroster(package))
    assert again.orgs == package.orgs
    assert again.users == package.users


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_a_repeated_row_is_reported_at_the_copy(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(n for n in VALID if n != "manifest.csv")))
    header, rows = _table(name)
    index = data.draw(st.integers(0, len(rows) - 1))
    rows.append(list(rows[index]))
    with pytest.raises(InputErrors) as caught:
        parse_oneroster({**VALID, name: _encode(header, rows)})
    copy_line = len(rows) + 1
    assert (name, copy_line, "sourcedId") in {
        (e.source, e.line, e.column) for e in caught.value.errors
    }


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_a_missing_required_column_is_reported_in_the_header(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(REQUIRED)))
    column = data.draw(st.sampled_from(REQUIRED[name]))
    header, rows = _table(name)
    drop = header.index(column)
    header = header[:drop] + header[drop + 1 :]
    rows = [row[:drop] + row[drop + 1 :] for row in rows]
    with pytest.raises(InputErrors) as caught:
        parse_oneroster({**VALID, name: _encode(header, rows)})
    assert (name, 1, column) in {(e.source, e.line, e.column) for e in caught.value.errors}


@st.composite
def damaged_sets(draw: st.DrawFn) -> tuple[dict[str, bytes], str]:
    """The spec's valid set with one file's text damaged (characters, quotes, NUL, lines, its
    end) or replaced by arbitrary bytes."""
    from tests.damage import damaged_text

    name = draw(st.sampled_from(sorted(VALID)))
    files = dict(VALID)
    if draw(st.booleans()):
        files[name] = draw(damaged_text(VALID[name].decode("utf-8"))).encode("utf-8")
    else:
        files[name] = draw(st.binary(max_size=300))
    return files, name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_sets())
def test_a_damaged_file_reads_or_is_reported_in_that_file(
    case: tuple[dict[str, bytes], str],
) -> None:
    files, _damaged = case
    try:
        parse_oneroster(files)
    except InputErrors as error:
        failure: InputErrors | None = error
    else:
        failure = None
    if failure is not None:
        # Every problem names a file of the set (the damaged one, or one that refers to it).
        assert {e.source for e in failure.errors} <= set(files)
