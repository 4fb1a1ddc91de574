"""The CASE 1.0 records Pathways keeps: a framework document, its items and their associations."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ASSOCIATION_TYPES",
    "CaseAssociation",
    "CaseDocument",
    "CaseItem",
    "CasePackage",
]

#: The CASE 1.0 ``associationType`` vocabulary (``ext:``-prefixed extensions are also accepted).
ASSOCIATION_TYPES: frozenset[str] = frozenset(
    {
        "isChildOf",
        "isPeerOf",
        "isPartOf",
        "exactMatchOf",
        "precedes",
        "isRelatedTo",
        "replacedBy",
        "exemplar",
        "hasSkillLevel",
    }
)


@dataclass(frozen=True)
class CaseDocument:
    """A CFDocument: one framework (e.g. the Common Core State Standards for Mathematics).

    ``subject`` is one string: CASE 1.0 allows a list, which is read joined with ``", "``.
    ``last_changed`` is ``lastChangeDateTime`` as written in the file ('' if absent).
    """

    identifier: str
    title: str
    creator: str
    subject: str
    version: str
    uri: str
    description: str = ""
    last_changed: str = ""


@dataclass(frozen=True)
class CaseItem:
    """A CFItem: a domain, cluster, standard or component.

    ``code`` is ``humanCodingScheme`` and ``statement`` is ``fullStatement``; ``item_type`` is the
    CFItemType title; ``education_levels`` are grade codes such as ``("KG", "01")``.
    """

    identifier: str
    code: str
    statement: str
    item_type: str
    education_levels: tuple[str, ...]
    list_enumeration: str
    uri: str
    abbreviated_statement: str = ""
    notes: str = ""
    language: str = ""
    last_changed: str = ""


@dataclass(frozen=True)
class CaseAssociation:
    """A CFAssociation: ``origin`` *kind* ``destination``, e.g. A ``precedes`` B, A ``isChildOf`` B.

    ``origin`` and ``destination`` are identifiers; they may name the document (an ``isChildOf``
    to the document marks a top-level item) or a node outside the package (``exactMatchOf``).
    """

    identifier: str
    kind: str
    origin: str
    destination: str
    uri: str
    origin_uri: str = ""
    destination_uri: str = ""
    sequence_number: int | None = None
    last_changed: str = ""


@dataclass(frozen=True)
class CasePackage:
    """A CFPackage: the document, every item and every association, in file order."""

    document: CaseDocument
    items: tuple[CaseItem, ...]
    associations: tuple[CaseAssociation, ...]
