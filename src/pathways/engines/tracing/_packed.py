"""Packed sequences: many variable-length sequences laid out step-major, so that one numpy
operation advances every sequence by one step (no Python loop per response).

Sequences are sorted by length, longest first; at step ``k`` the active sequences are the first
``counts[k]`` ones, and their rows sit contiguously at ``offsets[k]:offsets[k] + counts[k]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Packed", "pack", "pack_sorted"]


@dataclass(frozen=True, eq=False)
class Packed:
    """``rows[p]`` is the log row stored at packed position ``p``; ``seq_group[j]`` is the group
    of the ``j``-th longest sequence; ``has_next[p]`` says whether the row has a successor."""

    rows: NDArray[np.int64]
    offsets: NDArray[np.int64]
    counts: NDArray[np.int64]
    seq_group: NDArray[np.int64]
    has_next: NDArray[np.bool_]

    @property
    def n_steps(self) -> int:
        return len(self.counts)

    def step(self, k: int) -> tuple[slice, int]:
        start = int(self.offsets[k])
        n = int(self.counts[k])
        return slice(start, start + n), n

    def steps(self) -> list[tuple[int, int, int]]:
        """``(start, stop, n)`` per step, as plain ints (cheap to loop over)."""
        starts = self.offsets.tolist()
        counts = self.counts.tolist()
        return [(s, s + n, n) for s, n in zip(starts, counts, strict=True)]


def pack(
    group: NDArray[np.integer],
    n_groups: int | None = None,
    by_group: NDArray[np.int64] | None = None,
) -> Packed:
    """Pack the rows of each group (in their given order) into step-major sequences.

    ``by_group``, when the caller has it, is ``np.argsort(group, kind="stable")`` (saves a sort).

    Example:
        >>> p = pack(np.array([0, 1, 0, 0, 1]))
        >>> p.rows.tolist(), p.counts.tolist(), p.seq_group.tolist()
        ([0, 1, 2, 4, 3], [2, 2, 1], [0, 1])
    """
    group = np.asarray(group, dtype=np.int64)
    if n_groups is None:
        n_groups = int(group.max()) + 1 if len(group) else 0
    lengths = np.bincount(group, minlength=n_groups)
    if by_group is None:
        by_group = np.argsort(group, kind="stable")
    return pack_sorted(by_group, lengths)


def pack_sorted(by_group: NDArray[np.int64], lengths: NDArray[np.integer]) -> Packed:
    """:func:`pack` for rows already listed group by group: ``by_group`` holds the rows of
    group 0 (in order), then those of group 1, ...; ``lengths[g]`` is the size of group ``g``.
    Everything is computed in that listed order, so no per-row group array is needed.

    Example:
        >>> p = pack_sorted(np.array([0, 2, 3, 1, 4]), np.array([3, 2]))
        >>> p.rows.tolist(), p.counts.tolist(), p.has_next.tolist()
        ([0, 1, 2, 4, 3], [2, 2, 1], [True, True, True, False, False])
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    n = len(by_group)
    n_groups = len(lengths)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Packed(empty, empty, empty, empty, np.zeros(0, dtype=bool))
    max_len = int(lengths.max())
    # Longest first; among groups of equal length, lowest group id first (deterministic).
    # A stable sort on a small unsigned key is a radix sort in numpy (linear time).
    key = max_len - lengths
    key = key.astype(np.uint16) if max_len < 2**16 else key
    seq_order = np.argsort(key, kind="stable")
    seq_order = seq_order[lengths[seq_order] > 0]
    seq_pos = np.empty(n_groups, dtype=np.int64)
    seq_pos[seq_order] = np.arange(len(seq_order))
    # counts[k] = number of sequences longer than k.
    hist = np.bincount(lengths[seq_order], minlength=max_len + 1)
    counts = (len(seq_order) - np.cumsum(hist))[:max_len]
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    # Rank of each listed row inside its group, and where it goes.
    starts = np.cumsum(lengths) - lengths
    rank = np.arange(n, dtype=np.int64)
    rank -= np.repeat(starts, lengths)
    position = offsets[rank]
    position += np.repeat(seq_pos, lengths)
    rows = np.empty(n, dtype=np.int64)
    rows[position] = by_group
    has_next = np.empty(n, dtype=bool)
    rank += 1
    has_next[position] = rank < np.repeat(lengths, lengths)
    return Packed(
        rows=rows,
        offsets=offsets,
        counts=counts.astype(np.int64),
        seq_group=seq_order.astype(np.int64),
        has_next=has_next,
    )
