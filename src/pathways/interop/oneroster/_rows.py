"""Typed access to one CSV row; every problem becomes an ``InputError`` at file:line:column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from pathways.engines.errors import InputError

__all__ = ["MAX_ERRORS", "Problems", "Row"]

#: Stop collecting after this many errors (the rest are counted in one closing line).
MAX_ERRORS = 1000

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?"
)
_YEAR = re.compile(r"\d{4}")
_USER_ID = re.compile(r"\{[^{}:]+:[^{}]*\}")


class Problems:
    """Every error found so far, in the order found (capped at ``MAX_ERRORS``)."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []
        self.dropped = 0

    def add(
        self, source: str, reason: str, line: int | None = None, column: str | None = None
    ) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(InputError(source, reason, line=line, column=column))
        else:
            self.dropped += 1

    def all(self) -> list[InputError]:
        if not self.dropped:
            return list(self.errors)
        closing = InputError("(report)", f"{self.dropped} more errors not shown")
        return [*self.errors, closing]

    def __bool__(self) -> bool:
        return bool(self.errors)


class Row:
    """One data row of a file: ``row.text("title", required=True)`` and friends."""

    __slots__ = ("_values", "delta", "line", "problems", "relaxed", "source", "version")

    def __init__(
        self,
        source: str,
        line: int,
        values: dict[str, str],
        problems: Problems,
        *,
        version: str,
        delta: bool,
    ) -> None:
        self.source = source
        self.line = line
        self._values = values
        self.problems = problems
        self.version = version
        self.delta = delta
        #: A delta ``tobedeleted`` row only needs its sourcedId.
        self.relaxed = delta and self.raw("status") == "tobedeleted"

    def error(self, column: str, reason: str) -> None:
        self.problems.add(self.source, reason, self.line, column)

    def raw(self, column: str) -> str:
        return self._values.get(column, "").strip()

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.raw(column)
        if required and not value and not self.relaxed:
            self.error(column, "a value is required")
        return value

    def enum(self, column: str, allowed: Iterable[str], *, required: bool = False) -> str:
        value = self.text(column, required=required)
        allowed = frozenset(allowed)
        if value and value not in allowed and not value.startswith("ext:"):
            self.error(column, f"{value!r} is not one of {', '.join(sorted(allowed))}")
        return value

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.text(column, required=required)
        if not value:
            return None
        if _DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.error(column, f"{value!r} is not a date (YYYY-MM-DD)")
        return None

    def datetime(self, column: str, *, required: bool = False) -> dt.datetime | None:
        value = self.text(column, required=required)
        if not value:
            return None
        if _DATETIME.fullmatch(value):
            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                if parsed.tzinfo is None:
                    parsed = parsed.replace(tzinfo=dt.UTC)
                return parsed.astimezone(dt.UTC)
        self.error(column, f"{value!r} is not an ISO 8601 date-time (2024-05-01T18:25:43.511Z)")
        return None

    def year(self, column: str, *, required: bool = False) -> int | None:
        value = self.text(column, required=required)
        if not value:
            return None
        if _YEAR.fullmatch(value):
            return int(value)
        self.error(column, f"{value!r} is not a year (YYYY)")
        return None

    def boolean(self, column: str, *, required: bool = False) -> bool | None:
        value = self.text(column, required=required)
        if not value:
            return None
        lowered = value.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        self.error(column, f"{value!r} is not true or false")
        return None

    def ids(self, column: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.text(column, required=required)
        return tuple(part.strip() for part in value.split(",") if part.strip())

    def grades(self, column: str, allowed: frozenset[str]) -> tuple[str, ...]:
        grades = self.ids(column)
        for grade in grades:
            if grade not in allowed and not grade.startswith("ext:"):
                self.error(column, f"{grade!r} is not a grade code (KG, 01-13, PK, ...)")
        return grades

    def user_ids(self, column: str) -> tuple[str, ...]:
        value = self.text(column)
        found = tuple(_USER_ID.findall(value))
        rest = _USER_ID.sub("", value).replace(",", "").strip()
        if rest:
            self.error(column, f"{value!r} is not a list of {{type:identifier}}")
        return found
