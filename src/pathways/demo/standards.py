"""The demo's standards: Common Core math from the shared CASE file, or a built-in subset.

The shared reference data is read in place (its terms forbid copying it into the project). When
it is absent, a small faithful subset of grades 4-6 (codes and paraphrased statements, written
for this project) keeps the demo runnable.
"""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass
from pathlib import Path

from pathways.apps.standards.importers import import_case
from pathways.apps.standards.models import Association, Framework, Standard
from pathways.interop.case import CasePackage, read_case

CCSS_CASE = Path("data/standards/case/opensalt_ccss-math_pre-v1p0-draft.json")
CCSS_PREREQUISITES = Path("data/standards/prerequisites/flywheelmath_ccssm/ccssm-dependencies.csv")
DEMO_GRADES = ("04", "05", "06")
# Pacing order of domains within a grade (the usual order of a Common Core math year).
DOMAIN_ORDER = {"OA": 0, "NBT": 1, "NF": 2, "RP": 0, "NS": 1, "EE": 2, "MD": 3, "G": 4, "SP": 5}
_PREFIX = "CCSS.Math.Content."
_NAMESPACE = uuid.UUID("6f1d2c3e-7a4b-4c5d-9e8f-0a1b2c3d4e5f")


@dataclass(frozen=True)
class LoadedStandards:
    framework: Framework
    by_grade: dict[str, list[Standard]]  # pacing order
    prerequisites: dict[int, list[int]]  # standard id -> ids of its prerequisites
    source: str


def _pacing_key(code: str) -> tuple[int, str, int]:
    parts = code.split(".")  # e.g. 4.NF.A.1
    domain = parts[1] if len(parts) > 1 else ""
    number = int(parts[3]) if len(parts) > 3 and parts[3].isdigit() else 0
    cluster = parts[2] if len(parts) > 2 else ""
    return DOMAIN_ORDER.get(domain, 9), cluster, number


def load_standards(shared_dir: Path) -> LoadedStandards:
    case_file = shared_dir / CCSS_CASE
    if case_file.exists():
        return _load_from_case(
            read_case(case_file), shared_dir / CCSS_PREREQUISITES, str(case_file)
        )
    return _load_builtin()


def _framework(identifier: str, title: str, creator: str, uri: str) -> tuple[Framework, bool]:
    return Framework.objects.get_or_create(
        identifier=identifier,
        defaults={"title": title, "creator": creator, "subject": "Math", "source_uri": uri},
    )


def _load_from_case(package: CasePackage, prerequisites_csv: Path, source: str) -> LoadedStandards:
    """Import the framework as a district would (re-import changes nothing), then prerequisites."""
    import_case(package, source=source)
    framework = Framework.objects.get(identifier=package.document.identifier)
    standards = {s.code: s for s in framework.standards.all()}
    edges: list[tuple[str, str]] = []
    if prerequisites_csv.exists():
        with prerequisites_csv.open(newline="", encoding="utf-8") as handle:
            edges = [
                (row["source"], row["target"])
                for row in csv.DictReader(handle)
                if row["relationship"] == "dependency"
            ]
    by_code = {c.removeprefix(_PREFIX): s for c, s in standards.items()}
    _ensure_prerequisites(framework, by_code, edges)
    return _collect(framework, source)


def _ensure_prerequisites(
    framework: Framework, by_code: dict[str, Standard], edges: list[tuple[str, str]]
) -> None:
    existing = set(
        Association.objects.filter(framework=framework, kind=Association.Kind.PRECEDES).values_list(
            "identifier", flat=True
        )
    )
    new = []
    for source, target in edges:
        origin, destination = by_code.get(source), by_code.get(target)
        if origin is None or destination is None:
            continue
        identifier = str(uuid.uuid5(_NAMESPACE, f"{framework.identifier}:{source}>{target}"))
        if identifier not in existing:
            existing.add(identifier)
            new.append(
                Association(
                    framework=framework,
                    identifier=identifier,
                    kind=Association.Kind.PRECEDES,
                    origin=origin,
                    destination=destination,
                )
            )
    Association.objects.bulk_create(new, batch_size=500)


def _collect(framework: Framework, source: str) -> LoadedStandards:
    by_grade: dict[str, list[Standard]] = {grade: [] for grade in DEMO_GRADES}
    for standard in framework.standards.filter(item_type="Standard"):
        for grade in DEMO_GRADES:
            if grade in standard.education_levels:
                by_grade[grade].append(standard)
    for grade, rows in by_grade.items():
        rows.sort(key=lambda s: _pacing_key(s.short_code))
        by_grade[grade] = rows
    prerequisites: dict[int, list[int]] = {}
    for origin_id, destination_id in Association.objects.filter(
        framework=framework, kind=Association.Kind.PRECEDES
    ).values_list("origin_id", "destination_id"):
        prerequisites.setdefault(destination_id, []).append(origin_id)
    return LoadedStandards(framework, by_grade, prerequisites, source)


# A faithful subset of Common Core math, grades 4-6, paraphrased: (code, statement, prerequisites).
BUILTIN: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("4.OA.A.1", "Interpret a multiplication equation as a comparison.", ()),
    (
        "4.OA.A.2",
        "Multiply or divide to solve word problems involving multiplicative comparison.",
        ("4.OA.A.1",),
    ),
    (
        "4.OA.A.3",
        "Solve multistep word problems with whole numbers using the four operations.",
        ("4.OA.A.2",),
    ),
    ("4.OA.B.4", "Find all factor pairs for a whole number from 1 to 100.", ()),
    (
        "4.NBT.A.1",
        "Recognize that a digit in one place is ten times what it represents to its right.",
        (),
    ),
    ("4.NBT.A.2", "Read, write and compare multi-digit whole numbers.", ("4.NBT.A.1",)),
    ("4.NBT.B.4", "Fluently add and subtract multi-digit whole numbers.", ("4.NBT.A.2",)),
    (
        "4.NBT.B.5",
        "Multiply a whole number of up to four digits by a one-digit number.",
        ("4.NBT.A.1",),
    ),
    ("4.NF.A.1", "Explain why fractions are equivalent using visual fraction models.", ()),
    (
        "4.NF.A.2",
        "Compare two fractions with different numerators and denominators.",
        ("4.NF.A.1",),
    ),
    ("4.NF.B.3", "Understand a fraction a/b with a > 1 as a sum of fractions 1/b.", ("4.NF.A.1",)),
    ("4.MD.A.3", "Apply the area and perimeter formulas for rectangles.", ("4.NBT.B.5",)),
    ("5.OA.A.1", "Use parentheses, brackets or braces in numerical expressions.", ("4.OA.A.3",)),
    (
        "5.NBT.A.1",
        "A digit in one place is ten times what it represents to its right, with decimals.",
        ("4.NBT.A.1",),
    ),
    ("5.NBT.B.5", "Fluently multiply multi-digit whole numbers.", ("4.NBT.B.5",)),
    ("5.NBT.B.6", "Find whole-number quotients with up to four-digit dividends.", ("5.NBT.B.5",)),
    ("5.NF.A.1", "Add and subtract fractions with unlike denominators.", ("4.NF.B.3", "4.NF.A.1")),
    (
        "5.NF.A.2",
        "Solve word problems involving addition and subtraction of fractions.",
        ("5.NF.A.1",),
    ),
    ("5.NF.B.4", "Multiply a fraction or whole number by a fraction.", ("5.NF.A.1",)),
    ("5.MD.C.5", "Relate volume to multiplication and addition.", ("4.MD.A.3",)),
    ("6.RP.A.1", "Understand the concept of a ratio and use ratio language.", ("5.NF.B.4",)),
    ("6.RP.A.3", "Use ratio and rate reasoning to solve real-world problems.", ("6.RP.A.1",)),
    ("6.NS.A.1", "Interpret and compute quotients of fractions.", ("5.NF.B.4",)),
    (
        "6.NS.B.2",
        "Fluently divide multi-digit numbers using the standard algorithm.",
        ("5.NBT.B.6",),
    ),
    ("6.NS.C.5", "Understand positive and negative numbers in context.", ()),
    (
        "6.EE.A.1",
        "Write and evaluate numerical expressions with whole-number exponents.",
        ("5.OA.A.1",),
    ),
    (
        "6.EE.A.2",
        "Write, read and evaluate expressions in which letters stand for numbers.",
        ("6.EE.A.1",),
    ),
    ("6.EE.B.7", "Solve one-step equations of the form x + p = q and px = q.", ("6.EE.A.2",)),
    ("6.G.A.1", "Find the area of triangles, quadrilaterals and polygons.", ("5.MD.C.5",)),
    ("6.SP.B.5", "Summarize numerical data sets in relation to their context.", ()),
)


def _load_builtin() -> LoadedStandards:
    framework, created = _framework(
        str(uuid.uuid5(_NAMESPACE, "builtin-ccss-math-subset")),
        "Common Core State Standards for Mathematics (grades 4-6 subset)",
        "Pathways demo (paraphrased from the Common Core State Standards)",
        "",
    )
    if created or not framework.standards.exists():
        Standard.objects.bulk_create(
            Standard(
                framework=framework,
                identifier=str(uuid.uuid5(_NAMESPACE, f"builtin:{code}")),
                code=code,
                statement=statement,
                item_type="Standard",
                education_levels=[f"0{code[0]}"],
                position=position,
            )
            for position, (code, statement, _) in enumerate(BUILTIN)
        )
    by_code = {s.code: s for s in framework.standards.all()}
    edges = [
        (prerequisite, code) for code, _, prerequisites in BUILTIN for prerequisite in prerequisites
    ]
    _ensure_prerequisites(framework, by_code, edges)
    return _collect(framework, "built-in subset")
