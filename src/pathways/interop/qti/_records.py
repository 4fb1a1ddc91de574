"""The QTI 3 records Pathways keeps: scorable interactions, items, and what was not imported."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "SUPPORTED_INTERACTIONS",
    "QtiInteraction",
    "QtiItem",
    "QtiPackage",
    "QtiSkipped",
    "StandardRef",
]

#: Interactions Pathways can score, by their QTI 3 element name.
SUPPORTED_INTERACTIONS: frozenset[str] = frozenset(
    {"qti-choice-interaction", "qti-text-entry-interaction", "qti-extended-text-interaction"}
)


@dataclass(frozen=True)
class StandardRef:
    """A standard an item is aligned to: a CASE identifier (GUID) and/or a human code."""

    identifier: str = ""
    code: str = ""


@dataclass(frozen=True)
class QtiInteraction:
    """One scorable interaction of an item.

    ``kind`` is the item-bank kind: ``choice`` (one answer), ``multiple`` (several answers),
    ``numeric`` or ``text`` (a text entry) or ``extended`` (free text scored with a rubric).
    ``choices`` are ``(identifier, text)`` pairs; ``correct`` holds the correct choice
    identifiers or the accepted texts; ``partial`` holds ``(text, credit)`` pairs worth less than
    full credit (a text entry's mapping).
    """

    element: str
    response_identifier: str
    kind: str
    prompt: str
    line: int
    choices: tuple[tuple[str, str], ...] = ()
    correct: tuple[str, ...] = ()
    partial: tuple[tuple[str, float], ...] = ()
    case_sensitive: bool = False
    max_choices: int = 1
    rubric: str = ""


@dataclass(frozen=True)
class QtiItem:
    """A ``qti-assessment-item`` whose every interaction can be scored by Pathways."""

    identifier: str
    title: str
    source: str
    interactions: tuple[QtiInteraction, ...]
    standards: tuple[StandardRef, ...] = ()


@dataclass(frozen=True)
class QtiSkipped:
    """An item (or file) left out, and why: ``interaction`` names the unsupported element, or is
    empty when the reason is something else (no declared correct answer, a test file...)."""

    source: str
    line: int | None
    item_identifier: str
    reason: str
    interaction: str = ""

    def __str__(self) -> str:
        place = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{place}: {self.item_identifier or '-'}: {self.reason}"


@dataclass(frozen=True)
class QtiPackage:
    """What a package (or a single file) holds: importable items and everything left out."""

    source: str
    items: tuple[QtiItem, ...] = ()
    skipped: tuple[QtiSkipped, ...] = field(default=())
