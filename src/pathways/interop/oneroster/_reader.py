"""Read and validate a OneRoster 1.1/1.2 CSV set: every problem is reported, with its row."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Set
from pathlib import Path
from typing import Any

from pathways.engines.errors import InputErrors
from pathways.interop.oneroster._records import (
    MANIFEST_TABLES,
    Manifest,
    RosterPackage,
)
from pathways.interop.oneroster._rows import Problems, Row
from pathways.interop.oneroster._source import Limits, open_csv_set
from pathways.interop.oneroster._tables import TABLES, Table

__all__ = ["parse_oneroster", "read_oneroster"]

_MODES = ("absent", "bulk", "delta")
_ROSTER_TABLES = {t.name: t for t in TABLES}

# (table, column, target table, ids of a record under that column)
_REFERENCES: tuple[tuple[str, str, str, Callable[[Any], tuple[str, ...]]], ...] = (
    ("academicSessions", "parentSourcedId", "academicSessions", lambda r: (r.parent,)),
    ("orgs", "parentSourcedId", "orgs", lambda r: (r.parent,)),
    ("courses", "schoolYearSourcedId", "academicSessions", lambda r: (r.school_year,)),
    ("courses", "orgSourcedId", "orgs", lambda r: (r.org,)),
    ("classes", "courseSourcedId", "courses", lambda r: (r.course,)),
    ("classes", "schoolSourcedId", "orgs", lambda r: (r.school,)),
    ("classes", "termSourcedIds", "academicSessions", lambda r: r.terms),
    ("users", "orgSourcedIds", "orgs", lambda r: r.orgs),
    ("users", "primaryOrgSourcedId", "orgs", lambda r: (r.primary_org,)),
    ("users", "agentSourcedIds", "users", lambda r: r.agents),
    ("userProfiles", "userSourcedId", "users", lambda r: (r.user,)),
    ("roles", "userSourcedId", "users", lambda r: (r.user,)),
    ("roles", "orgSourcedId", "orgs", lambda r: (r.org,)),
    ("roles", "userProfileSourcedId", "userProfiles", lambda r: (r.user_profile,)),
    ("enrollments", "classSourcedId", "classes", lambda r: (r.class_,)),
    ("enrollments", "schoolSourcedId", "orgs", lambda r: (r.school,)),
    ("enrollments", "userSourcedId", "users", lambda r: (r.user,)),
    ("demographics", "sourcedId", "users", lambda r: (r.sourced_id,)),
)

_FIELDS = {
    "academicSessions": "academic_sessions",
    "orgs": "orgs",
    "courses": "courses",
    "classes": "classes",
    "users": "users",
    "userProfiles": "user_profiles",
    "roles": "roles",
    "enrollments": "enrollments",
    "demographics": "demographics",
}


def read_oneroster(
    path: Path,
    *,
    known: Mapping[str, Set[str]] | None = None,
    limits: Limits | None = None,
) -> RosterPackage:
    """Read a folder or zip of OneRoster CSV files; raise ``InputErrors`` listing every problem.

    ``known`` gives, per table name (``"users"``, ``"classes"``...), the sourcedIds the destination
    already holds: a delta file may refer to them without repeating them.
    """
    return parse_oneroster(open_csv_set(path, limits), known=known)


def _decode(name: str, data: bytes, problems: Problems) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(name, f"not UTF-8 text (byte {exc.start})", line)
        return None


def _rows(
    name: str, text: str, problems: Problems
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for values in reader:
            start = previous + 1
            previous = reader.line_num
            if not values or values == [""]:
                continue
            if not header:
                header = [v.strip() for v in values]
                continue
            rows.append((start, values))
    except csv.Error as exc:
        problems.add(name, f"malformed CSV: {exc}", reader.line_num)
    return header, rows


def _manifest(files: Mapping[str, bytes], problems: Problems) -> tuple[Manifest, dict[str, int]]:
    name = "manifest.csv"
    lines: dict[str, int] = {}
    empty = Manifest(oneroster_version="", files={})
    if name not in files:
        problems.add(name, "missing: every OneRoster CSV set starts with manifest.csv")
        return empty, lines
    text = _decode(name, files[name], problems)
    if text is None:
        return empty, lines
    header, rows = _rows(name, text, problems)
    if header[:2] != ["propertyName", "value"]:
        problems.add(name, f"header must be propertyName,value (got {','.join(header)})", 1)
        return empty, lines
    properties: dict[str, str] = {}
    for line, values in rows:
        key = values[0].strip()
        value = values[1].strip() if len(values) > 1 else ""
        if key in properties:
            problems.add(
                name, f"{key} is given twice (also line {lines[key]})", line, "propertyName"
            )
        properties[key] = value
        lines[key] = line
    version = properties.get("oneroster.version", "")
    if version not in ("1.1", "1.2"):
        problems.add(
            name,
            f"oneroster.version must be 1.1 or 1.2, got {version!r}",
            lines.get("oneroster.version", 1),
            "value",
        )
    if properties.get("manifest.version", "1.0") != "1.0":
        problems.add(name, "manifest.version must be 1.0", lines["manifest.version"], "value")
    modes: dict[str, str] = {}
    for key, value in properties.items():
        if not key.startswith("file."):
            continue
        table = key.removeprefix("file.")
        if value not in _MODES:
            problems.add(
                name, f"{key} must be absent, bulk or delta, got {value!r}", lines[key], "value"
            )
        elif table not in MANIFEST_TABLES:
            problems.add(name, f"unknown file {table!r}", lines[key], "propertyName")
        modes[table] = value
    return (
        Manifest(
            oneroster_version=version,
            files=modes,
            manifest_version=properties.get("manifest.version", "1.0"),
            source_system_name=properties.get("source.systemName", ""),
            source_system_code=properties.get("source.systemCode", ""),
        ),
        lines,
    )


def _check_file_names(files: Mapping[str, bytes], manifest: Manifest, problems: Problems) -> None:
    expected = {f"{t}.csv" for t in MANIFEST_TABLES} | {"manifest.csv"}
    by_lower = {e.lower(): e for e in expected}
    for file_name in files:
        if file_name in expected:
            table = file_name.removesuffix(".csv")
            if table != "manifest" and manifest.mode(table) == "absent":
                problems.add(file_name, f"is present but the manifest says file.{table} is absent")
        elif file_name.lower() in by_lower:
            problems.add(
                file_name, f"unexpected file name: did you mean {by_lower[file_name.lower()]}?"
            )


def _check_header(
    table: Table, name: str, header: list[str], version: str, problems: Problems
) -> bool:
    ok = True
    spec = table.columns(version)
    seen: set[str] = set()
    for index, column in enumerate(header, start=1):
        if not column:
            problems.add(name, f"header column {index} has no name", 1)
        elif column in seen:
            problems.add(name, "column appears twice in the header", 1, column)
        elif column not in spec and not column.startswith("metadata."):
            hint = next((s for s in spec if s.lower() == column.lower()), None)
            hint = hint or next((s for s in spec if _close(s, column)), None)
            problems.add(
                name,
                f"unknown column for OneRoster {version}"
                + (f" (did you mean {hint!r}?)" if hint else ""),
                1,
                column,
            )
        seen.add(column)
    required = table.required + (
        ("orgSourcedIds", "role") if table.name == "users" and version == "1.1" else ()
    )
    for column in required:
        if column not in seen:
            problems.add(name, "required column is missing from the header", 1, column)
            ok = False
    return ok


def _close(a: str, b: str) -> bool:
    """Names at most two edits apart (typos such as dataLastModified or prefferedGivenName)."""
    a, b = a.lower(), b.lower()
    if abs(len(a) - len(b)) > 2:
        return False
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1] <= 2


def _read_table(
    table: Table,
    data: bytes,
    version: str,
    delta: bool,
    problems: Problems,
) -> tuple[list[Any], dict[str, int]]:
    name = table.file_name
    text = _decode(name, data, problems)
    if text is None:
        return [], {}
    header, rows = _rows(name, text, problems)
    if not header:
        problems.add(name, "empty file: the header row is missing", 1)
        return [], {}
    if not _check_header(table, name, header, version, problems):
        return [], {}
    records: list[Any] = []
    lines: dict[str, int] = {}
    for line, values in rows:
        if len(values) != len(header):
            problems.add(name, f"expected {len(header)} fields, found {len(values)}", line)
            continue
        row = Row(
            name,
            line,
            dict(zip(header, values, strict=True)),
            problems,
            version=version,
            delta=delta,
        )
        record = table.build(row)
        sourced_id = getattr(record, "sourced_id", "")
        if sourced_id in lines:
            row.error(
                "sourcedId", f"duplicate sourcedId {sourced_id!r} (also line {lines[sourced_id]})"
            )
            continue
        if sourced_id:
            lines[sourced_id] = line
        records.append(record)
    return records, lines


def _check_references(
    tables: dict[str, tuple[list[Any], dict[str, int]]],
    known: Mapping[str, Set[str]],
    problems: Problems,
) -> None:
    for table_name, column, target, ids_of in _REFERENCES:
        if table_name not in tables:
            continue
        records = tables[table_name][0]
        target_ids = tables.get(target, ([], {}))[1]
        outside = known.get(target, frozenset())
        for record in records:
            if record.status == "tobedeleted":
                continue
            for ref in ids_of(record):
                if ref and ref not in target_ids and ref not in outside:
                    problems.add(
                        f"{table_name}.csv",
                        f"refers to {ref!r}, which is not in {target}.csv",
                        record.line,
                        column,
                    )
    if "enrollments" in tables:
        records = tables["enrollments"][0]
        seen: dict[tuple[str, str, str], int] = {}
        for record in records:
            key = (record.class_, record.user, record.role)
            line = record.line
            if key in seen and record.status != "tobedeleted":
                problems.add(
                    "enrollments.csv",
                    f"user {record.user!r} is already enrolled as {record.role} in class "
                    f"{record.class_!r} (line {seen[key]})",
                    line,
                    "userSourcedId",
                )
            elif record.status != "tobedeleted":
                seen[key] = line


def parse_oneroster(
    files: Mapping[str, bytes],
    *,
    known: Mapping[str, Set[str]] | None = None,
) -> RosterPackage:
    """Validate a CSV set given as ``{file name: bytes}`` and return its records.

    Errors name the file, the line (the header is line 1) and the column, e.g.
    ``users.csv:12: column 'role': 'pupil' is not one of ...``.
    """
    problems = Problems()
    manifest, manifest_lines = _manifest(files, problems)
    version = manifest.oneroster_version
    tables: dict[str, tuple[list[Any], dict[str, int]]] = {}
    skipped: list[str] = []
    if version:
        _check_file_names(files, manifest, problems)
        for table_name, mode in manifest.files.items():
            if mode != "absent" and table_name not in _ROSTER_TABLES:
                skipped.append(f"{table_name}.csv")
        for table in TABLES:
            mode = manifest.mode(table.name)
            if mode not in ("bulk", "delta"):
                continue
            if version == "1.1" and not table.columns_v11:
                problems.add(
                    "manifest.csv",
                    f"{table.file_name} is not part of OneRoster 1.1",
                    manifest_lines.get(f"file.{table.name}"),
                    "propertyName",
                )
                continue
            if table.file_name not in files:
                problems.add(
                    "manifest.csv",
                    f"file.{table.name} is {mode} but {table.file_name} is missing",
                    manifest_lines.get(f"file.{table.name}"),
                    "value",
                )
                continue
            tables[table.name] = _read_table(
                table, files[table.file_name], version, mode == "delta", problems
            )
        _check_references(tables, known or {}, problems)
    if problems:
        raise InputErrors(problems.all())
    fields = {_FIELDS[name]: tuple(records) for name, (records, _) in tables.items()}
    return RosterPackage(manifest=manifest, skipped=tuple(skipped), **fields)
