"""The exact aggregated program solved with OR-Tools CP-SAT: optimal schedules for small days,
and the last-resort search for a feasible schedule (or a proof that none exists)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from ortools.sat.python import cp_model

from pathways.engines.scheduling.bound import at_bound
from pathways.engines.scheduling.formulation import FloatArray, Formulation

__all__ = ["ExactResult", "solve_exact"]

_SCALE = 10_000  # objective coefficients are rounded to 1e-4


@dataclass(frozen=True)
class ExactResult:
    """CP-SAT's answer: ``values`` is a solution of the formulation, or ``None``."""

    status: Literal["optimal", "at bound", "feasible", "infeasible", "unknown"]
    values: FloatArray | None


class _StopAtTarget(cp_model.CpSolverSolutionCallback):
    """Stops the search at the first solution whose exact objective (not the rounded one
    CP-SAT maximizes) reaches ``target``, an upper bound: nothing better exists."""

    def __init__(self, variables: list[cp_model.IntVar], c: FloatArray, target: float) -> None:
        super().__init__()
        self.terms = [(variables[int(n)], float(c[n])) for n in np.flatnonzero(c)]
        self.target = target
        self.reached = False

    def on_solution_callback(self) -> None:
        value = sum(coef * self.value(var) for var, coef in self.terms)
        if at_bound(value, self.target):
            self.reached = True
            self.stop_search()


def solve_exact(
    form: Formulation,
    time_limit: float,
    *,
    hint: FloatArray | None = None,
    workers: int = 1,
    seed: int = 0,
    target: float | None = None,
) -> ExactResult:
    """Maximize the objective of ``form`` with CP-SAT within ``time_limit`` seconds.

    ``status`` is ``"optimal"`` when proven optimal (up to 1e-4 rounding of coefficients),
    ``"at bound"`` when a solution reached ``target`` (an upper bound such as the LP bound; the
    search stops there, before CP-SAT's own proof) and ``"infeasible"`` when CP-SAT proved that
    no schedule exists.

    Example:
        >>> from pathways.engines.scheduling.formulation import build
        >>> from pathways.engines.scheduling.generate import generate
        >>> solve_exact(build(generate(8, seed=2), strong=True), time_limit=5).status
        'optimal'
    """
    model = cp_model.CpModel()
    upper = np.rint(form.upper).astype(np.int64)
    v = [model.new_int_var(0, int(upper[n]), f"v{n}") for n in range(form.n_vars)]
    for matrix, rhs, equal in ((form.a_ub, form.b_ub, False), (form.a_eq, form.b_eq, True)):
        csr = matrix.tocsr()
        for r in range(csr.shape[0]):
            lo, hi = csr.indptr[r], csr.indptr[r + 1]
            expr = sum(
                round(float(a)) * v[int(c)]
                for a, c in zip(csr.data[lo:hi], csr.indices[lo:hi], strict=True)
            )
            b = round(float(rhs[r]))
            if isinstance(expr, int):  # an empty row
                if (expr != b) if equal else (expr > b):
                    return ExactResult("infeasible", None)
                continue
            model.add(expr == b if equal else expr <= b)
    coefs = np.rint(form.c * _SCALE).astype(np.int64)
    model.maximize(sum(int(coefs[n]) * v[n] for n in np.flatnonzero(coefs)))
    if hint is not None:
        for n, value in enumerate(np.rint(hint).astype(np.int64)):
            model.add_hint(v[n], int(value))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(float(time_limit), 0.01)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = 2
    stop = _StopAtTarget(v, form.c, target) if target is not None else None
    status = solver.solve(model, stop)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = np.array([solver.value(x) for x in v], dtype=np.float64)
        if stop is not None and stop.reached:
            return ExactResult("at bound", values)
        return ExactResult("optimal" if status == cp_model.OPTIMAL else "feasible", values)
    if status == cp_model.INFEASIBLE:
        return ExactResult("infeasible", None)
    return ExactResult("unknown", None)
