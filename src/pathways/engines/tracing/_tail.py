"""The last steps of the longest sequences, advanced in plain Python instead of numpy.

The E-step advances every sequence one time step per numpy call (``_packed.py``), which costs
about 1.5 microseconds a step however few sequences are still going. A few students answer one
skill hundreds of times (the ASSISTments 2009 DKT export has a 1,907-row sequence, 2017 one of
745), so most time steps carry a handful of sequences and the loop is all call overhead. Past the
step where at most ``CHAINS`` values (sequences x restarts) remain, each value is advanced by a
Python float loop instead (~55 ns a row). It does the same floating-point operations in the same
order (one multiply, one add, one comparison with the same ceiling), so the results are identical
to the numpy loop's, bit for bit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from pathways.engines.tracing._packed import Packed

__all__ = ["CHAINS", "ScalarTail"]

# At or below this many values per step, Python floats beat a numpy call (measured: 1.5 us for
# a step's three calls against 55 ns a value).
CHAINS = 24
# A tail shorter than this saves too little to be worth its gathers.
_MIN_STEPS = 16


class ScalarTail:
    """Rows at steps ``start`` and later, as chains: one per (sequence, restart), in time order.

    Positions are flat indices into the E-step's row-major (row, restart) arrays. Chain ``i``
    is sequence ``i // restarts`` (the longest sequences come first) with restart
    ``i % restarts``, which is also its index into per-sequence arrays.
    """

    def __init__(self, packed: Packed, restarts: int, start: int) -> None:
        self.start = start
        counts = packed.counts[start:]
        offsets = packed.offsets[start:]
        n_seqs = int(counts[0])
        chains: list[NDArray[np.int64]] = []
        for j in range(n_seqs):
            rows = offsets[: int(np.count_nonzero(counts > j))] + j
            chains.extend(rows * restarts + r for r in range(restarts))
        self.n_chains = len(chains)
        self.lengths = [len(c) for c in chains]
        self.index = np.concatenate(chains)
        self.firsts = np.array([c[0] for c in chains], dtype=np.int64)
        # Forward writes every row but each chain's first, in order; backward every row but
        # each chain's last, from the end.
        self.forward_out = np.concatenate([c[1:] for c in chains])
        self.backward_out = np.concatenate([c[-2::-1] for c in chains])

    @staticmethod
    def plan(packed: Packed, restarts: int) -> ScalarTail | None:
        """The tail worth handing to Python, or None (``counts`` never increases)."""
        few = np.flatnonzero(packed.counts * restarts <= CHAINS)
        if not len(few) or packed.n_steps - int(few[0]) < _MIN_STEPS:
            return None
        return ScalarTail(packed, restarts, int(few[0]))

    def forward(
        self,
        odds: NDArray[np.float64],
        step: NDArray[np.float64],
        add: NDArray[np.float64],
        ceiling: float,
    ) -> None:
        """``odds' = min(odds * step + add, ceiling)`` along each chain, from its first row
        (already set) to its last. ``step`` is per row, ``add`` per chain."""
        a = step.take(self.index).tolist()
        firsts = odds.take(self.firsts).tolist()
        constants = add[: self.n_chains].tolist()
        values: list[float] = []
        append = values.append
        pos = 0
        for s, c, length in zip(firsts, constants, self.lengths, strict=True):
            for i in range(pos, pos + length - 1):
                s = s * a[i] + c
                if s > ceiling:
                    s = ceiling
                append(s)
            pos += length
        odds.put(self.forward_out, values)

    def backward(
        self,
        back: NDArray[np.float64],
        step: NDArray[np.float64],
        add: NDArray[np.float64],
        ceiling: float,
    ) -> None:
        """``back = min(step[next row] * back[next row] + add, ceiling)`` along each chain, from
        its last row (1, already set) back to its first."""
        e = step.take(self.index).tolist()
        constants = add[: self.n_chains].tolist()
        values: list[float] = []
        append = values.append
        end = 0
        for c, length in zip(constants, self.lengths, strict=True):
            start, end = end, end + length
            b = 1.0
            for i in range(end - 1, start, -1):
                b = e[i] * b + c
                if b > ceiling:
                    b = ceiling
                append(b)
        back.put(self.backward_out, values)
