"""Errors raised by engines and format readers, each saying where and why.

Hierarchy::

    PathwaysError
    ├── InputError          bad input at a known place (file, line, column)
    │   └── InputErrors     several InputErrors found in one pass (reported together)
    └── NotFittedError      a model used before it was fitted

The CLI turns an ``InputError`` into exit status 2, the API into a 400 with the same text, and an
importer into a report, with nothing written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["InputError", "InputErrors", "NotFittedError", "PathwaysError"]


class PathwaysError(Exception):
    """Base of every error Pathways raises on purpose."""


@dataclass(eq=True)
class InputError(PathwaysError):
    """Bad input at a known place.

    Example:
        >>> str(InputError("train.csv", "expected 0 or 1, got 'yes'", line=418, column="correct"))
        "train.csv:418: column 'correct': expected 0 or 1, got 'yes'"
    """

    source: str
    reason: str
    line: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        place = self.source
        if self.line is not None:
            place += f":{self.line}"
        if self.column is not None:
            return f"{place}: column '{self.column}': {self.reason}"
        return f"{place}: {self.reason}"


class InputErrors(InputError):
    """Every error found in one validation pass, so a user can fix them all at once."""

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors: Sequence[InputError] = tuple(errors)
        if not self.errors:
            raise ValueError("InputErrors needs at least one error")
        first = self.errors[0]
        super().__init__(first.source, first.reason, first.line, first.column)

    def __str__(self) -> str:
        return "\n".join(InputError.__str__(e) for e in self.errors)


class NotFittedError(PathwaysError, ValueError):
    """A model was asked to predict before ``fit`` was called."""
