"""CASE 1.0 (Competencies and Academic Standards Exchange) packages in and out, without Django.

Example:
    >>> from pathways.interop.case import CaseDocument, CasePackage, dump_case, parse_case
    >>> doc = CaseDocument("20c5134f-423d-4097-a971-3dd5152bf507", "Math", "Us", "", "", "")
    >>> package = CasePackage(doc, (), ())
    >>> parse_case(dump_case(package), "example.json").document.title
    'Math'
"""

from pathways.interop.case._reader import (
    MAX_CASE_BYTES,
    normalise_identifier,
    parse_case,
    read_case,
)
from pathways.interop.case._records import (
    ASSOCIATION_TYPES,
    CaseAssociation,
    CaseDocument,
    CaseItem,
    CasePackage,
)
from pathways.interop.case._writer import DEFAULT_CHANGED, dump_case

__all__ = [
    "ASSOCIATION_TYPES",
    "DEFAULT_CHANGED",
    "MAX_CASE_BYTES",
    "CaseAssociation",
    "CaseDocument",
    "CaseItem",
    "CasePackage",
    "dump_case",
    "normalise_identifier",
    "parse_case",
    "read_case",
]
