"""``solve(instance, time_limit)``: the entry point the platform and the CLI call.

Strategy: necessary-condition checks (clear reasons for hopeless days), greedy construction and
local search until the time limit (:mod:`.heuristic`), CP-SAT on the exact program for small days
(hinted with the local-search schedule) and as the fallback whenever the construction fails.
Whatever path produced it, the schedule passes :func:`check_feasible` before it is returned.

When the LP bound is known (asked for, or cheap because the day is small) every phase stops as
soon as the incumbent reaches it: such a schedule is optimal, and the rest of the time limit
would be spent proving nothing. ``Result.status`` says why the search stopped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pathways.engines.scheduling.bound import InfeasibleInstanceError, at_bound, relax
from pathways.engines.scheduling.cpsat import solve_exact
from pathways.engines.scheduling.formulation import build, decode, encode
from pathways.engines.scheduling.heuristic import Incomplete, LocalSearch
from pathways.engines.scheduling.instance import Instance
from pathways.engines.scheduling.schedule import Schedule, check_feasible, objective

__all__ = ["BOUND_STUDENTS", "EXACT_STUDENTS", "STATUSES", "Result", "diagnose", "solve"]

#: Days with at most this many students also get CP-SAT on the exact program.
EXACT_STUDENTS = 40
#: Days with at most this many students get the LP bound up front (a few hundredths of a
#: second) even when the caller did not ask for it, so the search can stop once it reaches the
#: bound. Larger days are left alone: with groups the plain bound is loose (the gap stays
#: above zero) and the LP would only take time from the search (1-2 s at 200 students).
BOUND_STUDENTS = EXACT_STUDENTS

#: ``Result.status``: why the search stopped.
STATUSES = {
    "at bound": "optimal at bound",  # the objective reached the LP bound: proved optimal
    "optimal": "proved optimal",  # CP-SAT proved optimality (coefficients rounded to 1e-4)
    "round limit": "round limit",  # ``max_rounds`` ruin-and-repair rounds done
    "local optimum": "local optimum",  # no move improves and there is nothing to ruin
    "time limit": "time limit",
}


@dataclass(frozen=True)
class Result:
    """A feasible schedule, its objective, how it was found and (when asked) the LP bound."""

    schedule: Schedule
    objective: float
    method: str
    seconds: float
    bound: float | None = None
    first_seconds: float | None = None  # when the construction had a complete feasible schedule
    status: str = "time limit"  # why the search stopped: a value of ``STATUSES``

    @property
    def gap(self) -> float | None:
        """``(bound - objective) / bound`` when the bound was computed."""
        if self.bound is None or self.bound == 0:
            return None
        return (self.bound - self.objective) / abs(self.bound)


def diagnose(instance: Instance) -> list[str]:
    """Reasons the day cannot be scheduled that are visible without search (necessary
    conditions); an empty list proves nothing.

    Example:
        >>> from pathways.engines.scheduling.generate import generate
        >>> diagnose(generate(20, seed=0))
        []
    """
    reasons = []
    S = instance.sessions
    if len(instance.modalities) < S:
        reasons.append(
            f"{S} sessions but only {len(instance.modalities)} modalities, and no student may "
            "use a modality twice"
        )
    for st in instance.students:
        if len(st.candidates) < S:
            reasons.append(
                f"student {st.id} has {len(st.candidates)} candidate skills for {S} sessions "
                "(no skill twice in a day)"
            )
    n = len(instance.students)
    for s in range(S):
        teachers = sum(t.available[s] for t in instance.teachers)
        places = 0
        for m in instance.modalities:
            if m.kind == "seats":
                places += m.capacity or 0
            elif m.kind == "table":
                places += (m.tables or 0) * (m.max or 0)
        per_teacher = max(
            [m.max or 0 for m in instance.modalities if m.kind == "teacher_group"]
            + [m.per_teacher or 0 for m in instance.modalities if m.kind == "supervised"],
            default=0,
        )
        places += teachers * per_teacher
        if places < n:
            reasons.append(f"session {s} has places for at most {places} of {n} students")
    return reasons


def solve(
    instance: Instance,
    time_limit: float = 10.0,
    *,
    seed: int = 0,
    workers: int = 1,
    with_bound: bool = False,
    max_rounds: int | None = None,
    stop_at_bound: bool = True,
) -> Result:
    """The best feasible schedule found within about ``time_limit`` seconds.

    Args:
        instance: the day.
        time_limit: seconds of search (construction always completes, even if slower).
        seed: local-search randomness; the same seed gives the same schedule when the search
            ends before the time limit (set ``max_rounds`` for that).
        workers: CP-SAT worker threads.
        with_bound: also compute the LP bound (before the search, not counted in ``seconds``)
            so ``gap`` is set.
        max_rounds: stop the iterated local search after this many ruin-and-repair rounds.
        stop_at_bound: stop every phase once the objective reaches the LP bound (when the
            bound is known: ``with_bound``, or days of at most ``BOUND_STUDENTS`` students,
            where it is computed within a quarter of the time limit).

    Raises:
        InfeasibleInstanceError: the day has no feasible schedule (the message says why), or
            none was found in time.

    Example:
        >>> from pathways.engines.scheduling.generate import generate
        >>> day = generate(100, seed=4)
        >>> result = solve(day, time_limit=1)
        >>> check_feasible(day, result.schedule)
        []
        >>> result.method
        'local search'
    """
    reasons = diagnose(instance)
    if reasons:
        raise InfeasibleInstanceError("; ".join(reasons))
    bound: float | None = None
    # An infeasible relaxation means an infeasible day: the search below says why in the
    # day's own terms (which group, which session), so the LP's generic reason is not raised.
    if with_bound:
        try:
            bound = relax(build(instance)).value
        except InfeasibleInstanceError:
            bound = None
    start = time.perf_counter()
    deadline = start + time_limit
    if not with_bound and stop_at_bound and len(instance.students) <= BOUND_STUDENTS:
        try:
            bound = relax(build(instance), time_limit=time_limit / 4).value
        except (TimeoutError, InfeasibleInstanceError):
            bound = None  # a busy machine: search without the shortcut
    target = bound if stop_at_bound else None
    best: tuple[float, Schedule, str] | None = None
    first: float | None = None
    stopped = "time limit"
    small = len(instance.students) <= EXACT_STUDENTS
    search = LocalSearch(instance, seed=seed)
    try:
        search.construct()
        first = time.perf_counter() - start
        # Small days leave most of the time to CP-SAT, which usually proves optimality.
        search.search(start + time_limit / 4 if small else deadline, max_rounds, target)
        stopped = search.stopped
        schedule = search.schedule()
        if not check_feasible(instance, schedule):
            best = (objective(instance, schedule), schedule, "local search")
    except Incomplete:
        pass
    done = best is not None and target is not None and at_bound(best[0], target)
    if best is None or (small and not done):
        form = build(instance, strong=True)  # the join rows make CP-SAT far faster
        hint = encode(form, best[1]) if best is not None else None
        left = max(deadline - time.perf_counter(), 0.5 if best is not None else time_limit)
        exact = solve_exact(form, left, hint=hint, workers=workers, seed=seed, target=target)
        if exact.status == "infeasible":
            raise InfeasibleInstanceError(
                "no feasible schedule exists (proved by CP-SAT): groups cannot be filled to "
                "their minimum, or places, teachers, candidates and modalities do not add up"
            )
        if exact.values is not None:
            schedule = decode(form, exact.values)
            if not check_feasible(instance, schedule):
                value = objective(instance, schedule)
                if best is None or value > best[0] + 1e-9:
                    best = (value, schedule, f"CP-SAT ({exact.status})")
                    stopped = exact.status if exact.status in STATUSES else "time limit"
                elif exact.status == "optimal":
                    stopped = "optimal"  # CP-SAT proved the local-search schedule optimal
    if best is None:
        raise InfeasibleInstanceError(
            f"no feasible schedule found within {time_limit:g} s (none proved impossible either)"
        )
    seconds = time.perf_counter() - start
    value, schedule, method = best
    if target is not None and at_bound(value, target):
        stopped = "at bound"
    return Result(schedule, value, method, seconds, bound, first, STATUSES[stopped])
