"""Write records back as a CASE 1.0 CFPackage (a JSON-ready dict)."""

from __future__ import annotations

from typing import Any

from pathways.interop.case._records import CaseAssociation, CaseItem, CasePackage

__all__ = ["DEFAULT_CHANGED", "dump_case"]

#: ``lastChangeDateTime`` is required by CASE 1.0; records that carry none get this value.
DEFAULT_CHANGED = "1970-01-01T00:00:00+00:00"


def _link(title: str, identifier: str, uri: str) -> dict[str, str]:
    return {"title": title, "identifier": identifier, "uri": uri or f"urn:uuid:{identifier}"}


def _item(item: CaseItem, doc_link: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "identifier": item.identifier,
        "uri": item.uri or f"urn:uuid:{item.identifier}",
        "fullStatement": item.statement,
        "lastChangeDateTime": item.last_changed or DEFAULT_CHANGED,
        "CFDocumentURI": doc_link,
    }
    optional = {
        "humanCodingScheme": item.code,
        "CFItemType": item.item_type,
        "listEnumeration": item.list_enumeration,
        "abbreviatedStatement": item.abbreviated_statement,
        "notes": item.notes,
        "language": item.language,
    }
    out.update({key: value for key, value in optional.items() if value})
    if item.education_levels:
        out["educationLevel"] = list(item.education_levels)
    return out


def _association(
    assoc: CaseAssociation, titles: dict[str, tuple[str, str]], doc_link: dict[str, str]
) -> dict[str, Any]:
    origin_title, origin_uri = titles.get(assoc.origin, ("", ""))
    dest_title, dest_uri = titles.get(assoc.destination, ("", ""))
    out: dict[str, Any] = {
        "identifier": assoc.identifier,
        "uri": assoc.uri or f"urn:uuid:{assoc.identifier}",
        "associationType": assoc.kind,
        "originNodeURI": _link(
            origin_title or "Origin", assoc.origin, assoc.origin_uri or origin_uri
        ),
        "destinationNodeURI": _link(
            dest_title or "Destination", assoc.destination, assoc.destination_uri or dest_uri
        ),
        "lastChangeDateTime": assoc.last_changed or DEFAULT_CHANGED,
        "CFDocumentURI": doc_link,
    }
    if assoc.sequence_number is not None:
        out["sequenceNumber"] = assoc.sequence_number
    return out


def dump_case(package: CasePackage) -> dict[str, Any]:
    """The package as a CASE 1.0 CFPackage; ``parse_case(dump_case(p), ...) == p`` for full records.

    Empty optional fields are left out; a missing ``uri`` becomes ``urn:uuid:<identifier>`` and a
    missing ``lastChangeDateTime`` becomes ``DEFAULT_CHANGED`` (both are required by CASE 1.0).
    """
    doc = package.document
    doc_uri = doc.uri or f"urn:uuid:{doc.identifier}"
    doc_link = {"title": doc.title, "identifier": doc.identifier, "uri": doc_uri}
    document: dict[str, Any] = {
        "identifier": doc.identifier,
        "uri": doc_uri,
        "creator": doc.creator,
        "title": doc.title,
        "lastChangeDateTime": doc.last_changed or DEFAULT_CHANGED,
        "CFPackageURI": doc_link,
    }
    if doc.subject:
        document["subject"] = [doc.subject]
    if doc.version:
        document["version"] = doc.version
    if doc.description:
        document["description"] = doc.description
    titles = {doc.identifier: (doc.title, doc_uri)}
    for item in package.items:
        titles[item.identifier] = (item.code or item.statement[:60], item.uri)
    return {
        "CFDocument": document,
        "CFItems": [_item(item, doc_link) for item in package.items],
        "CFAssociations": [_association(a, titles, doc_link) for a in package.associations],
    }
