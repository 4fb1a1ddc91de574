"""Packed sequences: many variable-length sequences laid out step-major, so that one numpy
operation advances every sequence by one step (no Python loop per response).

Sequences are sorted by length, longest first; at step ``k`` the active sequences are the first
``counts[k]`` ones, and their rows sit contiguously at ``offsets[k]:offsets[k] + counts[k]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Packed", "pack"]


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
    n = len(group)
    if n_groups is None:
        n_groups = int(group.max()) + 1 if n else 0
    lengths = np.bincount(group, minlength=n_groups)
    if by_group is None:
        by_group = np.argsort(group, kind="stable")
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if n_groups else np.zeros(0, np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[by_group] = np.arange(n, dtype=np.int64) - np.repeat(starts, lengths)
    # Longest first; among groups of equal length, lowest group id first (deterministic).
    seq_order = np.lexsort((np.arange(n_groups), -lengths))
    seq_order = seq_order[lengths[seq_order] > 0]
    seq_pos = np.empty(n_groups, dtype=np.int64)
    seq_pos[seq_order] = np.arange(len(seq_order))
    max_len = int(lengths.max()) if n else 0
    # counts[k] = number of sequences longer than k.
    hist = np.bincount(lengths[seq_order], minlength=max_len + 1)
    counts = (len(seq_order) - np.cumsum(hist))[:max_len]
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    position = offsets[rank] + seq_pos[group]
    rows = np.empty(n, dtype=np.int64)
    rows[position] = np.arange(n, dtype=np.int64)
    has_next = np.empty(n, dtype=bool)
    next_counts = np.append(counts[1:], 0)
    has_next[position] = seq_pos[group] < next_counts[rank]
    return Packed(
        rows=rows,
        offsets=offsets,
        counts=counts.astype(np.int64),
        seq_group=seq_order.astype(np.int64),
        has_next=has_next,
    )
