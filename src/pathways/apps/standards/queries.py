"""Reads of standards and the prerequisite graph."""

from __future__ import annotations

from pathways.apps.standards.models import Association, Standard


def standard_by_code(code: str) -> Standard | None:
    """A standard by its code as people type it: '4.NF.A.1' or the full published code."""
    code = code.strip()
    if not code:
        return None
    return (
        Standard.objects.filter(code=code).first()
        or Standard.objects.filter(code__endswith=f".{code}").first()
    )


def prerequisites_of(standard: Standard) -> list[Standard]:
    return [
        a.origin
        for a in Association.objects.filter(
            kind=Association.Kind.PRECEDES, destination=standard
        ).select_related("origin")
    ]


def dependents_of(standard: Standard) -> list[Standard]:
    return [
        a.destination
        for a in Association.objects.filter(
            kind=Association.Kind.PRECEDES, origin=standard
        ).select_related("destination")
    ]
