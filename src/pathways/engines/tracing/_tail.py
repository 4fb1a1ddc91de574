"""The last steps of the longest sequences, advanced block by block instead of step by step.

The E-step advances every sequence one time step per numpy call (``_packed.py``), which costs
about 1.5 microseconds a step however few sequences are still going. A few students answer one
skill hundreds of times (the ASSISTments 2009 DKT export has a 1,907-row sequence, 2017 one of
745), so most time steps carried a handful of values and the loop was all call overhead.

Both passes of the E-step without forgetting are the same recursion along each sequence,
``x' = min(f x + c, ceiling)`` with ``f > 0`` per row and ``c > 0`` per sequence (forward: the
inverse odds; backward, read from the end: the ratio ``b``). Such clamped affine maps compose
into maps of the same kind, ``x -> min(A x + C, D)``:

    (A2, C2, D2) after (A1, C1, D1) = (A2 A1, A2 C1 + C2, min(A2 D1 + C2, D2))

So past the step where the tail starts, each sequence's remaining steps are cut into blocks of
``BLOCK`` steps laid side by side: (1) every block's composed map, ``BLOCK`` vectorised steps
over all blocks at once; (2) the value entering each block, one step per block along the
sequences; (3) the values inside every block from its entering value, ``BLOCK`` vectorised
steps again. A 1,500-step tail takes some 450 numpy calls instead of 4,500. The composition is
exact, the floors and ceilings included; only rounding differs from the step-by-step loop
(relative 1e-15; tested against it, also where the ceilings bind).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from pathways.engines.tracing._packed import Packed

__all__ = ["BLOCK", "BlockedTail"]

# Steps per block. Within the parameter bounds a step's factor lies in [1e-6, 1e12], so the
# product of 16 stays inside float range (1e-96 to 1e192): a composed map never overflows
# where its true value would not.
BLOCK = 16
# Cost model of one pass, in units of about a microsecond: a step of the step-by-step loop is
# three calls. Measured on the 2-core bench machine: a loop step 1.5 us, a call of the blocked
# scan 0.7 us, a grid cell 0.004-0.03 us (small to large grids). Constants closer to those
# (0.7 and 0.03 against a 1.5 us step) start the tail later on the bench logs and fitted
# within noise of these (fresh-process fits, DKT export, 2009, 2017).
_CALL_US = 1.0
_CELL_US = 0.015


class BlockedTail:
    """The rows at steps ``start`` and later, as chains: one per (sequence, restart).

    Positions are flat indices into the E-step's row-major (row, restart) arrays. Chain ``i``
    is sequence ``i // restarts`` (the longest sequences come first) with restart
    ``i % restarts``, which is also its index into the per-sequence arrays.
    """

    def __init__(self, packed: Packed, restarts: int, start: int) -> None:
        self.start = start
        counts = packed.counts[start:]
        offsets = packed.offsets[start:]
        chains: list[NDArray[np.int64]] = []
        for j in range(int(counts[0])):
            rows = offsets[: int(np.count_nonzero(counts > j))] + j
            chains.extend(rows * restarts + r for r in range(restarts))
        self.n_chains = len(chains)
        # Forward: x' = min(x * factor + add, ceiling) from each chain's first row (already
        # set), with the factor of the row it leaves. Backward: the same from each chain's last
        # row (1, already set) back, with the factor of the later row.
        self.forward = _Grid(chains)
        self.backward = _Grid([c[::-1] for c in chains])

    @staticmethod
    def plan(packed: Packed, restarts: int) -> BlockedTail | None:
        """Where a tail saves the most time by the cost model, or None if nowhere."""
        n = packed.n_steps
        if n <= 2 * BLOCK:
            return None
        starts = np.arange(n - 2 * BLOCK)
        width = n - starts
        blocks = np.ceil(width / BLOCK)
        tail = _CALL_US * (10 * BLOCK + 3 * blocks + 12)
        tail += _CELL_US * packed.counts[starts] * restarts * blocks * BLOCK
        cost = 3 * _CALL_US * starts + tail
        best = int(np.argmin(cost))
        if cost[best] >= 3 * _CALL_US * n:
            return None
        return BlockedTail(packed, restarts, best)


class _Grid:
    """The chains' steps (a step leaves one row for the next) laid out as (offset in block,
    block, chain), steps past a chain's end padded with the identity map."""

    def __init__(self, chains: list[NDArray[np.int64]]) -> None:
        n_chains = len(chains)
        steps = [len(c) - 1 for c in chains]
        self.n_blocks = max(1, math.ceil(max(steps) / BLOCK))
        shape = (BLOCK, self.n_blocks, n_chains)
        chain = np.repeat(np.arange(n_chains), steps)
        step = np.concatenate([np.arange(n) for n in steps]) if n_chains else chain
        cells = np.ravel_multi_index((step % BLOCK, step // BLOCK, chain), shape)
        self.shape = shape
        self.cells = cells  # the grid cell of every real step, chain by chain
        self.factor_rows = np.zeros(shape, dtype=np.int64)  # padding reads row 0, then is reset
        self.factor_rows.flat[cells] = np.concatenate([c[:-1] for c in chains])
        self.out_rows = np.concatenate([c[1:] for c in chains])  # the row each step enters
        self.is_step = np.zeros(shape, dtype=bool)
        self.is_step.flat[cells] = True
        self.is_padding = ~self.is_step
        self.firsts = np.array([c[0] for c in chains], dtype=np.int64)

    def run(
        self,
        values: NDArray[np.float64],
        factors: NDArray[np.float64],
        add: NDArray[np.float64],
        ceiling: float,
    ) -> None:
        """Set ``values`` at every chain's later rows from its first row's value, with
        ``factors`` per row and ``add`` per chain."""
        factor = factors.take(self.factor_rows)
        n_chains = self.shape[2]
        np.copyto(factor, 1.0, where=self.is_padding)  # identity past a chain's end
        constant = self.is_step * add[:n_chains]
        multiply, minimum = np.multiply, np.minimum
        with np.errstate(over="ignore"):
            # (1) Every block's map x -> min(scale x + shift, cap), all blocks at once.
            scale = np.ones(self.shape[1:])
            shift = np.zeros(self.shape[1:])
            cap = np.full(self.shape[1:], np.inf)
            for f, c in zip(factor, constant, strict=True):
                scale *= f
                multiply(shift, f, out=shift)
                shift += c
                multiply(cap, f, out=cap)
                cap += c
                minimum(cap, ceiling, out=cap)
            # (2) The value entering each block, block after block.
            entering = np.empty(self.shape[1:])
            entering[0] = values.take(self.firsts)
            for b in range(self.n_blocks - 1):
                nxt = multiply(scale[b], entering[b], out=entering[b + 1])
                nxt += shift[b]
                minimum(nxt, cap[b], out=nxt)
            # (3) Every value inside every block, from its entering value (as the loop does).
            out = np.empty(self.shape)
            x = entering
            for f, c, y in zip(factor, constant, out, strict=True):
                multiply(x, f, out=y)
                y += c
                minimum(y, ceiling, out=y)
                x = y
        values.put(self.out_rows, out.take(self.cells))
