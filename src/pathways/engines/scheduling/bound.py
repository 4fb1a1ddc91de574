"""The linear-relaxation upper bound on the objective, solved with HiGHS through scipy.

The program is :mod:`~pathways.engines.scheduling.formulation`'s aggregated integer program with
integrality dropped: student variables in ``[0, 1]``, fractional group counts. Because the integer
program is exact (every feasible schedule is one of its integer points with the same objective),
the relaxation's optimum is at least the objective of every feasible schedule, the optimal one
included. ``docs/engines/scheduling.md`` gives the argument in full.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from pathways.engines.errors import PathwaysError
from pathways.engines.scheduling.formulation import FloatArray, Formulation, build
from pathways.engines.scheduling.instance import Instance

__all__ = [
    "AT_BOUND_TOLERANCE",
    "InfeasibleInstanceError",
    "Relaxation",
    "at_bound",
    "relax",
    "upper_bound",
]

#: Relative tolerance under which an objective counts as equal to the LP bound (HiGHS solves
#: to about 1e-7; a schedule this close to the bound cannot be improved by more than that).
AT_BOUND_TOLERANCE = 1e-6


def at_bound(value: float, bound: float) -> bool:
    """Whether ``value`` reaches ``bound`` within :data:`AT_BOUND_TOLERANCE`: the schedule is
    then optimal (no feasible schedule scores more than the bound), and searching on is waste.

    Example:
        >>> at_bound(99.99999999, 100.0), at_bound(99.9, 100.0)
        (True, False)
    """
    return value >= bound - AT_BOUND_TOLERANCE * max(1.0, abs(bound))


class InfeasibleInstanceError(PathwaysError):
    """The instance admits no feasible schedule; the message says why."""


@dataclass(frozen=True)
class Relaxation:
    """Optimum of the linear relaxation: ``value`` (the bound) and the solution ``x``."""

    value: float
    x: FloatArray
    seconds: float


def relax(form: Formulation, time_limit: float | None = None, method: str = "highs") -> Relaxation:
    """Solve the linear relaxation of ``form`` (``method`` is scipy's HiGHS method name).

    Raises:
        InfeasibleInstanceError: the relaxation is infeasible, hence the instance too.
        TimeoutError: HiGHS did not finish within ``time_limit`` seconds.
    """
    start = time.perf_counter()
    options: dict[str, float | bool] = {"presolve": True}
    if time_limit is not None:
        options["time_limit"] = max(time_limit, 0.01)
    result = linprog(
        -form.c,
        A_ub=form.a_ub if form.a_ub.shape[0] else None,
        b_ub=form.b_ub if form.a_ub.shape[0] else None,
        A_eq=form.a_eq if form.a_eq.shape[0] else None,
        b_eq=form.b_eq if form.a_eq.shape[0] else None,
        bounds=np.column_stack([np.zeros(form.n_vars), form.upper]),
        method=method,
        options=options,
    )
    if result.status == 2:
        raise InfeasibleInstanceError(
            "even the linear relaxation is infeasible: not enough places (seats, tables, "
            "teachers) or candidate skills and modalities for every student in every session"
        )
    if result.status == 1:
        raise TimeoutError(f"the LP relaxation did not finish within {time_limit} s")
    if result.status != 0:
        raise RuntimeError(f"HiGHS failed on the LP relaxation: {result.message}")
    x = np.asarray(result.x, dtype=np.float64)
    return Relaxation(float(form.c @ x), x, time.perf_counter() - start)


def upper_bound(instance: Instance, *, strong: bool = False) -> float:
    """The optimum of the linear relaxation: no feasible schedule scores more.

    ``strong=True`` adds the valid join rows (see :func:`formulation.build`) and solves with
    HiGHS's interior point method: a tighter bound, much slower (about 2 minutes at 1,000
    students); the plain relaxation is the spec's bound.

    Example:
        >>> from pathways.engines.scheduling.generate import generate
        >>> day = generate(30, seed=0)
        >>> round(upper_bound(day), 3) >= 0
        True
    """
    if strong:
        return relax(build(instance, strong=True), method="highs-ipm").value
    return relax(build(instance)).value
