"""Read a CASE CFPackage (JSON) into records, normalising the pre-1.0 OpenSALT draft shape."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pathways.engines.errors import InputError, InputErrors
from pathways.interop.case._records import (
    ASSOCIATION_TYPES,
    CaseAssociation,
    CaseDocument,
    CaseItem,
    CasePackage,
)

__all__ = ["MAX_CASE_BYTES", "normalise_identifier", "parse_case", "read_case"]

#: Refuse CASE files larger than this (the full CCSS Math package is about 2 MB).
MAX_CASE_BYTES = 64 * 1024 * 1024

_KINDS = ", ".join(sorted(ASSOCIATION_TYPES))
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


def normalise_identifier(identifier: str) -> str:
    """CASE 1.0 identifiers are UUIDs; a draft's ASN URI becomes a stable UUID5 of that URI.

    Example:
        >>> normalise_identifier("5b5f9983-eabb-4661-aca4-9e0c81046772")
        '5b5f9983-eabb-4661-aca4-9e0c81046772'
        >>> normalise_identifier("http://purl.org/ASN/resources/S1143409")
        'bc7021ff-faff-57fe-932a-3dc319385bff'
    """
    identifier = identifier.strip()
    if _UUID.fullmatch(identifier):
        return identifier
    return str(uuid.uuid5(uuid.NAMESPACE_URL, identifier))


def read_case(path: Path) -> CasePackage:
    """Read a CFPackage JSON file; every problem is reported at once as ``InputErrors``."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None
    if size > MAX_CASE_BYTES:
        raise InputError(source, f"file is {size} bytes, more than the {MAX_CASE_BYTES} allowed")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not UTF-8 text: {exc.reason}") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            source, f"not JSON: {exc.msg} (column {exc.colno})", line=exc.lineno
        ) from None
    if not isinstance(data, dict):
        raise InputError(source, "a CFPackage must be a JSON object")
    return parse_case(data, source)


class _Collector:
    """Accumulates errors while fields are read, so one pass reports them all."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[InputError] = []

    def error(self, where: str, reason: str) -> None:
        self.errors.append(InputError(self.source, reason, column=where))

    def text(self, obj: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
        value = obj.get(key)
        if value is None:
            if required:
                self.error(f"{where}.{key}", "is required")
            return ""
        if not isinstance(value, str):
            self.error(f"{where}.{key}", f"expected a string, got {type(value).__name__}")
            return ""
        if required and not value.strip():
            self.error(f"{where}.{key}", "must not be empty")
        return value

    def identifier(self, obj: Mapping[str, Any], key: str, where: str) -> str:
        value = self.text(obj, key, where, required=True)
        return normalise_identifier(value) if value.strip() else ""

    def link(self, obj: Mapping[str, Any], key: str, where: str) -> tuple[str, str]:
        """(identifier, uri) of a LinkURI; a draft may give ``<key without URI>Identifier`` too."""
        value = obj.get(key)
        draft_key = key.removesuffix("URI") + "Identifier"
        if isinstance(value, dict):
            ident = self.identifier(value, "identifier", f"{where}.{key}")
            uri = value.get("uri")
            return ident, uri if isinstance(uri, str) else ""
        if isinstance(obj.get(draft_key), str):
            return normalise_identifier(obj[draft_key]), ""
        if value is None:
            self.error(f"{where}.{key}", "is required")
        else:
            self.error(f"{where}.{key}", "expected an object with an identifier")
        return "", ""


def _levels(value: object, where: str, out: _Collector) -> tuple[str, ...]:
    # CASE 1.0 has an ``educationLevel`` array; the draft a comma-separated ``educationalLevel``.
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    out.error(where, "expected a list of grade codes")
    return ()


def _subject(value: object, where: str, out: _Collector) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    out.error(where, "expected a string or a list of strings")
    return ""


def _document(data: Mapping[str, Any], out: _Collector) -> CaseDocument:
    doc = data.get("CFDocument")
    if not isinstance(doc, dict):
        out.error("CFDocument", "is required (an object)")
        doc = {}
    where = "CFDocument"
    return CaseDocument(
        identifier=out.identifier(doc, "identifier", where),
        title=out.text(doc, "title", where, required=True),
        creator=out.text(doc, "creator", where),
        subject=_subject(doc.get("subject"), f"{where}.subject", out),
        version=out.text(doc, "version", where),
        uri=out.text(doc, "uri", where),
        description=out.text(doc, "description", where),
        last_changed=out.text(doc, "lastChangeDateTime", where),
    )


def _item(raw: object, where: str, out: _Collector) -> CaseItem | None:
    if not isinstance(raw, dict):
        out.error(where, "expected an object")
        return None
    item_type = out.text(raw, "CFItemType", where)
    type_link = raw.get("CFItemTypeURI")
    if not item_type and isinstance(type_link, dict) and isinstance(type_link.get("title"), str):
        item_type = type_link["title"]
    levels_key = "educationLevel" if "educationLevel" in raw else "educationalLevel"
    return CaseItem(
        identifier=out.identifier(raw, "identifier", where),
        code=out.text(raw, "humanCodingScheme", where),
        statement=out.text(raw, "fullStatement", where, required=True),
        item_type=item_type,
        education_levels=_levels(raw.get(levels_key), f"{where}.{levels_key}", out),
        list_enumeration=out.text(raw, "listEnumeration", where),
        uri=out.text(raw, "uri", where),
        abbreviated_statement=out.text(raw, "abbreviatedStatement", where),
        notes=out.text(raw, "notes", where),
        language=out.text(raw, "language", where),
        last_changed=out.text(raw, "lastChangeDateTime", where),
    )


def _sequence(value: object, where: str, out: _Collector) -> int | None:
    # OpenSALT writes sequenceNumber as a string ("1"); CASE 1.0 says integer. Accept both.
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", value):
        return int(value)
    out.error(where, f"expected an integer, got {value!r}")
    return None


def _association(raw: object, where: str, out: _Collector) -> CaseAssociation | None:
    if not isinstance(raw, dict):
        out.error(where, "expected an object")
        return None
    kind = out.text(raw, "associationType", where, required=True)
    if kind and kind not in ASSOCIATION_TYPES and not kind.startswith("ext:"):
        out.error(
            f"{where}.associationType",
            f"unknown association type {kind!r}; expected one of {_KINDS} or ext:<name>",
        )
    origin, origin_uri = out.link(raw, "originNodeURI", where)
    destination, destination_uri = out.link(raw, "destinationNodeURI", where)
    sequence = _sequence(raw.get("sequenceNumber"), f"{where}.sequenceNumber", out)
    return CaseAssociation(
        identifier=out.identifier(raw, "identifier", where),
        kind=kind,
        origin=origin,
        destination=destination,
        uri=out.text(raw, "uri", where),
        origin_uri=origin_uri,
        destination_uri=destination_uri,
        sequence_number=sequence,
        last_changed=out.text(raw, "lastChangeDateTime", where),
    )


def _list(data: Mapping[str, Any], key: str, out: _Collector) -> list[object]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        out.error(key, "expected a list")
        return []
    return value


def _check_unique(package: CasePackage, out: _Collector) -> None:
    seen: dict[str, str] = {package.document.identifier: "CFDocument"}
    for index, item in enumerate(package.items):
        where = f"CFItems[{index}].identifier"
        if item.identifier and item.identifier in seen:
            out.error(
                where, f"duplicate identifier {item.identifier} (also {seen[item.identifier]})"
            )
        seen.setdefault(item.identifier, where)
    assoc_seen: dict[str, str] = {}
    for index, assoc in enumerate(package.associations):
        where = f"CFAssociations[{index}].identifier"
        if assoc.identifier and assoc.identifier in assoc_seen:
            out.error(
                where,
                f"duplicate identifier {assoc.identifier} (also {assoc_seen[assoc.identifier]})",
            )
        assoc_seen.setdefault(assoc.identifier, where)


def parse_case(data: Mapping[str, Any], source: str) -> CasePackage:
    """Turn a decoded CFPackage into records; raise ``InputErrors`` listing every problem.

    Accepts CASE 1.0 and the pre-1.0 OpenSALT draft (``educationalLevel`` strings, ASN URIs as
    identifiers, ``originNodeIdentifier``); unknown keys are ignored. ``column`` in each error is
    the JSON path of the offending value, e.g. ``CFItems[3].fullStatement``.
    """
    out = _Collector(source)
    document = _document(data, out)
    items = [_item(raw, f"CFItems[{i}]", out) for i, raw in enumerate(_list(data, "CFItems", out))]
    associations = [
        _association(raw, f"CFAssociations[{i}]", out)
        for i, raw in enumerate(_list(data, "CFAssociations", out))
    ]
    package = CasePackage(
        document=document,
        items=tuple(i for i in items if i is not None),
        associations=tuple(a for a in associations if a is not None),
    )
    _check_unique(package, out)
    if out.errors:
        raise InputErrors(out.errors)
    return package
