"""Where batch work runs: in this process, or on a Dask cluster. Same interface for both."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    name: str

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Results in the order of ``items``."""
        ...


class LocalExecutor:
    """Runs every task here, one after the other (fine up to a few million responses)."""

    name = "local"

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return map(fn, items)


class DaskExecutor:
    """Runs tasks on a Dask cluster (``address`` of its scheduler, or a ``distributed.Client``)."""

    name = "dask"

    def __init__(self, address: str | object) -> None:
        from distributed import Client

        self.client = address if isinstance(address, Client) else Client(address)  # type: ignore[no-untyped-call]
        self.name = f"dask ({self.client.scheduler_info().get('address', 'cluster')})"

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        futures = self.client.map(fn, list(items), pure=False)
        for future in futures:
            yield future.result()
