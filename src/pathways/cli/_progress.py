"""Progress bars for long work, on standard error so standard output stays machine-readable."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

import click

T = TypeVar("T")


def progress(items: Iterable[T], *, label: str, length: int | None = None) -> Iterator[T]:
    """Yield ``items`` while drawing a progress bar on stderr (hidden when stderr is not a TTY)."""
    with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
        yield from bar
