"""CASE packages: real OpenSALT exports (1.0 and pre-1.0 draft) read, validate, round-trip."""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pathways.interop.case as case_api
from pathways.engines.errors import InputError, InputErrors
from pathways.interop.case import (
    CaseAssociation,
    CaseDocument,
    CaseItem,
    CasePackage,
    dump_case,
    normalise_identifier,
    parse_case,
    read_case,
)

DRAFT = "case/opensalt_ccss-math_pre-v1p0-draft.json"
WHAT = "case/opensalt_what-standards-could-be_20c5134f.json"
ACT = "case/opensalt_act-holistic-framework-math_excerpt.json"
SCHEMA = "case/case-v1p0-cfpackage-schema.json"
UUID_RE = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def _raw(data: Path, name: str) -> dict:
    return json.loads((data / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "items", "associations"), [(DRAFT, 703, 703), (WHAT, 16, 39), (ACT, 28, 28)]
)
def test_real_packages_read_every_item_and_association(
    standards_data: Path, name: str, items: int, associations: int
) -> None:
    raw = _raw(standards_data, name)
    package = read_case(standards_data / name)
    assert len(package.items) == len(raw["CFItems"]) == items
    assert len(package.associations) == len(raw["CFAssociations"]) == associations
    assert package.document.title == raw["CFDocument"]["title"]


def test_draft_ccss_math_is_normalised_to_case_1_0_shapes(standards_data: Path) -> None:
    package = read_case(standards_data / DRAFT)
    # educationalLevel "KG" (a string) becomes the CASE 1.0 tuple ("KG",)
    first = package.items[0]
    assert first.statement == "Standards for Mathematical Practice"
    assert first.education_levels == ("KG",)
    # ASN URIs become stable UUIDs, and references follow them
    assert package.document.identifier == normalise_identifier(
        "http://purl.org/ASN/resources/D10003FB"
    )
    ids = {item.identifier for item in package.items} | {package.document.identifier}
    assert all(_is_uuid(i) for i in ids)
    assert all(a.kind == "isChildOf" for a in package.associations)
    assert all(a.origin in ids and a.destination in ids for a in package.associations)
    assert Counter(i.item_type for i in package.items) == {
        "Standard": 393,
        "Cluster": 147,
        "Component": 124,
        "Domain": 33,
        "": 6,
    }
    assert sum(1 for i in package.items if i.code) == 664
    assert package.document.subject == "Math"


def test_reading_the_draft_twice_gives_the_same_identifiers(standards_data: Path) -> None:
    assert read_case(standards_data / DRAFT) == read_case(standards_data / DRAFT)


def test_opensalt_export_keeps_every_association_kind(standards_data: Path) -> None:
    package = read_case(standards_data / WHAT)
    assert Counter(a.kind for a in package.associations) == {
        "exactMatchOf": 16,
        "isChildOf": 16,
        "precedes": 3,
        "exemplar": 2,
        "isRelatedTo": 2,
    }
    # sequenceNumber written as the string "1" is read as the integer 1
    assert sorted(a.sequence_number for a in package.associations if a.sequence_number) == [1, 2]
    cluster = next(i for i in package.items if i.code == "CCSS.Math.Content.6.RP.A")
    assert cluster.item_type == "Cluster"
    assert cluster.education_levels == ("06",)


def test_items_without_type_or_level_get_empty_values(standards_data: Path) -> None:
    package = read_case(standards_data / ACT)
    assert {i.item_type for i in package.items} == {""}
    assert {i.education_levels for i in package.items} == {()}
    assert package.items[0].abbreviated_statement == "Geometry and Measurement"


@pytest.mark.parametrize("name", [DRAFT, WHAT, ACT])
def test_dump_is_valid_case_1_0_and_reads_back_identically(standards_data: Path, name: str) -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    validator = jsonschema_rs.validator_for(_raw(standards_data, SCHEMA))
    package = read_case(standards_data / name)
    dumped = dump_case(package)
    errors = [str(e) for e in validator.iter_errors(dumped)]
    assert errors == []
    assert parse_case(json.loads(json.dumps(dumped)), "dumped.json") == package


def test_every_problem_is_reported_with_its_json_path() -> None:
    data = {
        "CFDocument": {"identifier": "3f0c4a52-5d3a-4d43-9a8e-8d1b1f7a0001", "title": "T"},
        "CFItems": [
            {"identifier": "3f0c4a52-5d3a-4d43-9a8e-8d1b1f7a0002"},
            {"identifier": "3f0c4a52-5d3a-4d43-9a8e-8d1b1f7a0002", "fullStatement": "x"},
            {"identifier": "3f0c4a52-5d3a-4d43-9a8e-8d1b1f7a0003", "fullStatement": 7},
        ],
        "CFAssociations": [
            {
                "identifier": "3f0c4a52-5d3a-4d43-9a8e-8d1b1f7a0010",
                "associationType": "isCousinOf",
                "originNodeURI": {"identifier": "3f0c4a52-5d3a-4d43-9a8e-8d1b1f7a0002"},
            }
        ],
    }
    with pytest.raises(InputErrors) as caught:
        parse_case(data, "bad.json")
    places = {(e.column, e.reason.split(" ")[0]) for e in caught.value.errors}
    assert places == {
        ("CFItems[0].fullStatement", "is"),
        ("CFItems[1].identifier", "duplicate"),
        ("CFItems[2].fullStatement", "expected"),
        ("CFAssociations[0].associationType", "unknown"),
        ("CFAssociations[0].destinationNodeURI", "is"),
    }
    assert str(caught.value).startswith("bad.json: column 'CFItems[0].fullStatement': is required")


def test_broken_json_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "CFDocument": {\n    "title": "x",\n  }\n}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_case(path)
    assert caught.value.line == 4
    assert str(caught.value).startswith(f"{path}:4: not JSON")


def test_a_package_without_a_document_is_refused() -> None:
    with pytest.raises(InputErrors, match="CFDocument"):
        parse_case({"CFItems": []}, "x.json")


def test_all_public_names_are_exported() -> None:
    public = {name for name in dir(case_api) if not name.startswith("_")}
    assert public == set(case_api.__all__)


def _is_uuid(value: str) -> bool:
    return re.fullmatch(UUID_RE, value) is not None


# -- property: dump then parse gives the same records ----------------------------------------

_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20
).filter(str.strip)
_uuid = st.uuids().map(str)
_time = st.datetimes(timezones=st.just(datetime.UTC)).map(lambda d: d.isoformat(timespec="seconds"))


@st.composite
def packages(draw: st.DrawFn) -> CasePackage:
    doc = CaseDocument(
        identifier=draw(_uuid),
        title=draw(_text),
        creator=draw(_text),
        subject=draw(st.just("") | _text.filter(lambda s: ", " not in s)),
        version=draw(st.just("") | _text),
        uri=draw(_text),
        description=draw(st.just("") | _text),
        last_changed=draw(_time),
    )
    items = draw(
        st.lists(
            st.builds(
                CaseItem,
                identifier=_uuid,
                code=st.just("") | _text,
                statement=_text,
                item_type=st.just("") | _text,
                education_levels=st.lists(
                    st.sampled_from(["KG", "01", "02", "09", "12", "PK"]), unique=True
                ).map(tuple),
                list_enumeration=st.just("") | _text,
                uri=_text,
                abbreviated_statement=st.just("") | _text,
                notes=st.just("") | _text,
                language=st.sampled_from(["", "en", "es"]),
                last_changed=_time,
            ),
            max_size=6,
            unique_by=lambda i: i.identifier,
        )
    )
    nodes = [doc.identifier, *(i.identifier for i in items)]
    associations = draw(
        st.lists(
            st.builds(
                CaseAssociation,
                identifier=_uuid,
                kind=st.sampled_from(sorted(case_api.ASSOCIATION_TYPES)),
                origin=st.sampled_from(nodes),
                destination=st.sampled_from(nodes) | _uuid,
                uri=_text,
                origin_uri=_text,
                destination_uri=_text,
                sequence_number=st.none() | st.integers(0, 10_000),
                last_changed=_time,
            ),
            max_size=6,
            unique_by=lambda a: a.identifier,
        )
    )
    return CasePackage(doc, tuple(items), tuple(associations))


@settings(max_examples=60, deadline=None)
@given(packages())
def test_parse_inverts_dump(package: CasePackage) -> None:
    assert parse_case(json.loads(json.dumps(dump_case(package))), "p.json") == package


@st.composite
def damaged_packages(draw: st.DrawFn) -> object:
    from tests.damage import as_json_types, damaged_json

    return draw(damaged_json(as_json_types(dump_case(draw(packages())))))


@settings(max_examples=150, deadline=None)
@given(damaged_packages())
def test_a_damaged_package_parses_or_is_refused_with_its_json_path(data: object) -> None:
    """One value anywhere replaced by any JSON value, or dropped: a package or an InputError
    naming the file, never another exception."""
    try:
        parse_case(data, "p.json")  # type: ignore[arg-type]
    except InputError as error:
        failure: InputError | None = error
    else:
        failure = None
    assert failure is None or failure.source == "p.json"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_in_a_case_file_read_or_raise_input_error(
    tmp_path_factory, content: bytes
) -> None:
    path = tmp_path_factory.mktemp("case") / "p.json"
    path.write_bytes(content)
    try:
        read_case(path)
    except InputError as error:
        failure: InputError | None = error
    else:
        failure = None
    assert failure is None or failure.source == str(path)
