"""QTI 3: the 1EdTech example packages (BBQs test, Beginner's Guide) read file by file; malformed
and hostile XML refused with file and line; mutated input never crashes the parser."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.engines.errors import InputError, InputErrors
from pathways.interop.qti import (
    SUPPORTED_INTERACTIONS,
    QtiItem,
    QtiPackage,
    StandardRef,
    parse_item,
    read_qti,
)

_OPEN_INTERACTION = re.compile(rb"<(qti-[a-z-]+-interaction)\b")
NS = 'xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"'


def _item(body: str, declarations: str = "", identifier: str = "i1") -> bytes:
    return (
        f'<qti-assessment-item {NS} identifier="{identifier}" title="T">{declarations}'
        f"<qti-item-body>{body}</qti-item-body></qti-assessment-item>"
    ).encode()


def _imported(package: QtiPackage) -> Counter[str]:
    return Counter(i.element for item in package.items for i in item.interactions)


def _reported(package: QtiPackage) -> Counter[str]:
    return Counter(s.interaction for s in package.skipped if s.interaction)


def test_bbqs_package_imports_choice_text_and_extended_and_reports_the_rest(
    standards_data: Path,
) -> None:
    package = read_qti(standards_data / "qti/BBQsTest")
    assert _imported(package) == {
        "qti-choice-interaction": 5,
        "qti-extended-text-interaction": 2,
        "qti-text-entry-interaction": 3,
    }
    assert _reported(package) == {
        "qti-inline-choice-interaction": 4,
        "qti-match-interaction": 2,
        "qti-order-interaction": 2,
        "qti-associate-interaction": 1,
        "qti-gap-match-interaction": 1,
        "qti-select-point-interaction": 1,
        "qti-upload-interaction": 1,
    }
    no_answer = [s for s in package.skipped if s.reason.startswith("no correct response")]
    assert sorted({s.item_identifier for s in no_answer}) == [
        "SineRule-CalcFormQ-001",
        "SineRule-CalcFormQ-002",
        "TheAnswer-001",
    ]
    assert [s.item_identifier for s in package.skipped if "assessment test" in s.reason] == [
        "SPECTATUS-GENERATED-TEST"
    ]
    order = next(s for s in package.skipped if s.item_identifier == "order-maths")
    assert order.source.endswith("id-e475c3c922f6/order-maths.xml")
    assert order.line == 15


def test_every_interaction_in_the_files_is_imported_or_accounted_for(standards_data: Path) -> None:
    """Counted from the raw files: every interaction element is imported, reported by name,
    or sits in an item reported for another reason (no declared answer, or a sibling
    interaction that is unsupported)."""
    for name in ("BBQsTest", "BeginnersGuide"):
        folder = standards_data / "qti" / name
        in_files: Counter[str] = Counter()
        for path in folder.rglob("*.xml"):
            if path.name != "imsmanifest.xml":
                in_files.update(m.decode() for m in _OPEN_INTERACTION.findall(path.read_bytes()))
        package = read_qti(folder)
        accounted = _imported(package) + _reported(package)
        skipped_items = {s.source for s in package.skipped}
        for path in folder.rglob("*.xml"):
            if str(path) in skipped_items:
                found = Counter(m.decode() for m in _OPEN_INTERACTION.findall(path.read_bytes()))
                for element, n in found.items():
                    if element in SUPPORTED_INTERACTIONS:
                        accounted[element] += n
        assert accounted == in_files, name


def test_beginners_guide_items(standards_data: Path) -> None:
    package = read_qti(standards_data / "qti/BeginnersGuide")
    by_id = {item.identifier: item.interactions for item in package.items}
    assert sorted(by_id) == [
        "beginnersguide007",
        "beginnersguide008",
        "beginnersguide009",
        "beginnersguide010",
        "beginnersguide011",
        "firstexample",
    ]
    (multi,) = by_id["beginnersguide008"]
    assert multi.kind == "multiple"
    assert multi.correct == ("A", "C", "D")
    assert multi.max_choices == 3
    (york,) = by_id["beginnersguide010"]
    assert york.kind == "text"
    assert york.correct == ("York",)
    assert york.case_sensitive
    assert york.partial == (("york", 0.5),)
    assert "this sun of [ ? ];" in york.prompt
    (essay,) = by_id["beginnersguide009"]
    assert essay.kind == "extended"
    assert essay.correct == ()
    (first,) = by_id["firstexample"]
    assert first.choices[0] == ("A", "Epinephrine")
    assert first.correct == ("A",)


def test_two_blanks_become_two_interactions_each_marking_its_own_blank(
    standards_data: Path,
) -> None:
    path = standards_data / "qti/BBQsTest/id-d565dbe89933/text_entry-Lycidas.xml"
    item = parse_item(path.read_bytes(), str(path))
    assert isinstance(item, QtiItem)
    first, second = item.interactions
    assert "To-morrow to [ ? ], and ____." in first.prompt
    assert "To-morrow to ____, and [ ? ]." in second.prompt
    assert first.correct == ("fresh woods",)
    assert first.partial == (("fresh fields", 0.5),)


def test_feedback_and_mathml_sources_stay_out_of_choice_texts(standards_data: Path) -> None:
    path = standards_data / "qti/BBQsTest/id-83210b60ed8f/TF-choice.xml"
    item = parse_item(path.read_bytes(), str(path))
    assert isinstance(item, QtiItem)
    assert item.interactions[0].choices == (("ChoiceA", "True"), ("ChoiceB", "False"))
    path = standards_data / "qti/BBQsTest/id-371b0f88774a/MultipleChoice-choice-polynomials.xml"
    item = parse_item(path.read_bytes(), str(path))
    assert isinstance(item, QtiItem)
    assert item.interactions[0].choices[0] == ("ChoiceA", r"\(\sec^2{\theta}\)")


def test_a_zip_package_reads_like_its_folder(standards_data: Path, tmp_path: Path) -> None:
    folder = standards_data / "qti/BeginnersGuide"
    archive = tmp_path / "bg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.rglob("*"):
            zf.write(path, "pkg/" + str(path.relative_to(folder)))
    zipped = read_qti(archive)
    assert [i.identifier for i in zipped.items] == [i.identifier for i in read_qti(folder).items]


def test_a_single_item_file(standards_data: Path) -> None:
    path = standards_data / "qti/BBQsTest/id-be3cd3bdd3d4/order-mountains.xml"
    package = read_qti(path)
    assert package.items == ()
    assert [s.interaction for s in package.skipped] == ["qti-order-interaction"]


def test_standards_come_from_curriculum_standards_metadata(tmp_path: Path) -> None:
    (tmp_path / "q.xml").write_bytes(
        _item(
            '<qti-choice-interaction response-identifier="R" max-choices="1">'
            '<qti-simple-choice identifier="a">A</qti-simple-choice>'
            '<qti-simple-choice identifier="b">B</qti-simple-choice></qti-choice-interaction>',
            '<qti-response-declaration identifier="R" cardinality="single" base-type="identifier">'
            "<qti-correct-response><qti-value>b</qti-value></qti-correct-response>"
            "</qti-response-declaration>",
        )
    )
    (tmp_path / "imsmanifest.xml").write_text(
        '<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" '
        'xmlns:csm="http://www.imsglobal.org/xsd/imscsmetadata_v1p0"><resources>'
        '<resource identifier="r" type="imsqti_item_xmlv3p0" href="q.xml"><metadata>'
        "<csm:curriculumStandardsMetadataSet><csm:curriculumStandardsMetadata>"
        "<csm:setOfGUIDs><csm:labelledGUID><csm:label>4.NF.A.1</csm:label>"
        "<csm:GUID>5b5f9983-eabb-4661-aca4-9e0c81046772</csm:GUID></csm:labelledGUID>"
        "</csm:setOfGUIDs></csm:curriculumStandardsMetadata></csm:curriculumStandardsMetadataSet>"
        '</metadata><file href="q.xml"/></resource></resources></manifest>'
    )
    (item,) = read_qti(tmp_path).items
    assert item.standards == (StandardRef("5b5f9983-eabb-4661-aca4-9e0c81046772", "4.NF.A.1"),)
    assert item.interactions[0].correct == ("b",)


@pytest.mark.parametrize(
    ("data", "reason", "line"),
    [
        (b"<qti-assessment-item>\n<qti-item-body>\n</qti-assessment-item>", "mismatched tag", 3),
        (b"", "no element found", 1),
        (b"<html/>", "not a QTI 3 item", 1),
        (_item("<p/>").replace(b' identifier="i1"', b""), "has no identifier", 1),
        (
            _item('<qti-text-entry-interaction response-identifier="NOPE"/>'),
            "'NOPE' is not declared",
            1,
        ),
        (
            _item(
                '<qti-choice-interaction response-identifier="R">'
                '<qti-simple-choice identifier="a">A</qti-simple-choice></qti-choice-interaction>',
                '<qti-response-declaration identifier="R" cardinality="single">'
                "<qti-correct-response><qti-value>z</qti-value></qti-correct-response>"
                "</qti-response-declaration>",
            ),
            "z of R is not a choice",
            1,
        ),
        (
            _item(
                '<qti-text-entry-interaction response-identifier="R"/>',
                '<qti-response-declaration identifier="R" cardinality="single" base-type="float">'
                "<qti-correct-response><qti-value>1e999</qti-value></qti-correct-response>"
                "</qti-response-declaration>",
            ),
            "is not a float",
            1,
        ),
    ],
)
def test_malformed_items_raise_input_error_with_file_and_line(
    data: bytes, reason: str, line: int
) -> None:
    with pytest.raises(InputError) as caught:
        parse_item(data, "bad.xml")
    assert reason in caught.value.reason
    assert caught.value.source == "bad.xml"
    assert caught.value.line == line


def test_every_malformed_file_in_a_package_is_reported_at_once(
    standards_data: Path, tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "pkg"
    shutil.copytree(standards_data / "qti/BeginnersGuide", folder)
    (folder / "items/BG007.xml").write_text("<qti-assessment-item>\n<oops></qti-assessment-item>")
    (folder / "items/BG010.xml").unlink()
    with pytest.raises(InputErrors) as caught:
        read_qti(folder)
    text = str(caught.value)
    assert f"{folder}/items/BG007.xml:2: malformed XML: mismatched tag" in text
    assert "resource file 'items/BG010.xml' is missing" in text


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE qti-assessment-item [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<qti-assessment-item identifier="x"><qti-item-body><p>&xxe;</p></qti-item-body>
</qti-assessment-item>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<qti-assessment-item identifier="x"><qti-item-body><p>&lol3;</p></qti-item-body>
</qti-assessment-item>"""


@pytest.mark.parametrize("data", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_entities_and_dtds_are_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="refused: DTDForbidden"):
        parse_item(data, "evil.xml")


def test_manifest_hrefs_cannot_leave_the_package(tmp_path: Path) -> None:
    (tmp_path / "imsmanifest.xml").write_text(
        '<manifest><resources><resource type="imsqti_item_xmlv3p0" href="../../etc/passwd"/>'
        "</resources></manifest>"
    )
    with pytest.raises(InputError, match="leaves the package"):
        read_qti(tmp_path)


def test_a_folder_without_manifest_and_a_missing_path_are_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no imsmanifest\.xml"):
        read_qti(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_qti(tmp_path / "nothing.xml")


_SEEDS = [
    _item(
        '<p>2+2=<qti-text-entry-interaction response-identifier="R"/></p>',
        '<qti-response-declaration identifier="R" cardinality="single" base-type="integer">'
        "<qti-correct-response><qti-value>4</qti-value></qti-correct-response>"
        '<qti-mapping><qti-map-entry map-key="4" mapped-value="1"/></qti-mapping>'
        "</qti-response-declaration>",
    ),
    _item(
        '<qti-choice-interaction response-identifier="R" max-choices="2"><qti-prompt>P</qti-prompt>'
        '<qti-simple-choice identifier="a">A<qti-feedback-inline>f</qti-feedback-inline>'
        '</qti-simple-choice><qti-simple-choice identifier="b">B</qti-simple-choice>'
        "</qti-choice-interaction>",
        '<qti-response-declaration identifier="R" cardinality="multiple" base-type="identifier">'
        "<qti-correct-response><qti-value>a</qti-value><qti-value>b</qti-value>"
        "</qti-correct-response></qti-response-declaration>",
    ),
    _item(
        '<qti-extended-text-interaction response-identifier="R"/>'
        '<qti-rubric-block view="scorer"><p>4: all</p></qti-rubric-block>',
        '<qti-response-declaration identifier="R" cardinality="single" base-type="string"/>',
    ),
]


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(
            st.one_of(
                st.binary(max_size=8),
                st.sampled_from(
                    [
                        b"<",
                        b">",
                        b"/",
                        b'"',
                        b"&",
                        b"&amp;",
                        b"<!--",
                        b"]]>",
                        b'max-choices="x"',
                        b'mapped-value="y"',
                        b"\xff",
                    ]
                ),
            )
        )
        if action == "insert":
            data[position:position] = chunk
        elif action == "delete":
            del data[position : position + len(chunk) + 1]
        else:
            data[position : position + len(chunk)] = chunk
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_mutated_items_parse_or_raise_input_error_only(data: bytes) -> None:
    try:
        result: object = parse_item(data, "mutated.xml")
    except InputError as error:
        result = error
    assert isinstance(result, (QtiItem, list, InputError))
    if isinstance(result, InputError):
        assert result.source == "mutated.xml"
