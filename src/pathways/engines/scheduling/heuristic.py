"""Greedy construction and local search: the solver's workhorse, linear in students per pass.

Construction: teacher groups are opened greedily (lazy priority queue over ``(session, anchor)``:
the gain of the best ``max`` eligible students over their typical alternative), then peer tables
the same way, then every remaining ``(student, session)`` gets the best seat or supervised place
with room. Local search then repeats, until the time limit: re-plan one student over all sessions
(best combination of places with room, respecting distinct modalities and skills), open new
teacher groups and tables where they pay, dissolve groups that do not, and re-match teachers'
bands. Every move keeps the schedule feasible, so the search can stop at any time.
"""

from __future__ import annotations

import heapq
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pathways.engines.scheduling.bound import at_bound
from pathways.engines.scheduling.instance import Instance
from pathways.engines.scheduling.schedule import Assignment, Group, Schedule

__all__ = ["Incomplete", "LocalSearch"]

_EPS = 1e-9


class Incomplete(Exception):
    """The construction could not place every student; the fallback takes over."""


@dataclass(eq=False)
class _Box:
    """A place in one session: a teacher group, a table, a seats modality or supervised work."""

    s: int
    m: int
    kind: str
    key: int = -1  # anchor skill (teacher group) or skill (table)
    teachers: list[int] = field(default_factory=list)
    members: dict[int, int] = field(default_factory=dict)  # student -> skill
    lo: int = 0
    hi: int = 0  # seats capacity, group max; supervised: per teacher


class LocalSearch:
    """Mutable feasible state plus the moves that improve it.

    Example:
        >>> from pathways.engines.scheduling.generate import generate
        >>> from pathways.engines.scheduling.schedule import check_feasible
        >>> day = generate(60, seed=3)
        >>> search = LocalSearch(day, seed=0)
        >>> search.construct()
        >>> search.improve(deadline=time.perf_counter() + 0.5)
        >>> check_feasible(day, search.schedule())
        []
    """

    def __init__(self, instance: Instance, seed: int = 0) -> None:
        self.inst = instance
        self.rng = random.Random(seed)  # noqa: S311 - search randomness, not security
        w = instance.weights
        self.w_var, self.w_hom, self.w_band = w.variety, w.homogeneity, w.teacher_band
        self.S = instance.sessions
        self.N = len(instance.students)
        self.mods = [m.code for m in instance.modalities]
        self.mkind = [m.kind for m in instance.modalities]
        self.skill_ids = [k.id for k in instance.skills]
        sidx = {k: n for n, k in enumerate(self.skill_ids)}
        self.skill_band = [k.band for k in instance.skills]
        self.nbrs = [[sidx[a] for a in instance.neighbours[k]] for k in self.skill_ids]
        self.t_band = [t.band for t in instance.teachers]
        self.free: list[set[int]] = [
            {n for n, t in enumerate(instance.teachers) if t.available[s]} for s in range(self.S)
        ]
        # cands[i] = list of (skill, value); base[i][m][j] = value * eff - variety.
        self.cands: list[list[tuple[int, float]]] = []
        self.base: list[list[list[float]]] = []
        for st in instance.students:
            cs = [(sidx[c.skill], c.value) for c in st.candidates]
            self.cands.append(cs)
            self.base.append(
                [
                    [
                        v * st.effectiveness[code] - (self.w_var if code in st.yesterday else 0.0)
                        for _, v in cs
                    ]
                    for code in self.mods
                ]
            )
        self.holders: dict[int, list[int]] = defaultdict(list)  # skill -> students
        for i, cs in enumerate(self.cands):
            for k, _ in cs:
                self.holders[k].append(i)
        self.where: list[list[_Box | None]] = [[None] * self.S for _ in range(self.N)]
        self.fixed: list[list[_Box]] = [[] for _ in range(self.S)]  # seats + supervised
        self.groups: list[set[_Box]] = [set() for _ in range(self.S)]
        self.by_key: dict[tuple[int, int, int], set[_Box]] = defaultdict(set)
        self.tables_used = [[0] * len(self.mods) for _ in range(self.S)]
        for s in range(self.S):
            for m, mod in enumerate(instance.modalities):
                if mod.kind == "seats" and (mod.capacity or 0) > 0:
                    self.fixed[s].append(_Box(s, m, "seats", hi=mod.capacity or 0))
                elif mod.kind == "supervised":
                    self.fixed[s].append(_Box(s, m, "supervised", hi=mod.per_teacher or 1))
        # A student's typical alternative to a group: their mean top non-group coefficients.
        self.baseline = []
        for i in range(self.N):
            best = sorted(
                (
                    max(self.base[i][m])
                    for m in range(len(self.mods))
                    if self.mkind[m] in ("seats", "supervised") and self.cands[i]
                ),
                reverse=True,
            )[: self.S]
            self.baseline.append(sum(best) / len(best) if best else 0.0)

    # --- state ---------------------------------------------------------------------------------

    def coef(self, i: int, j: int, box: _Box) -> float:
        """Objective contribution of student ``i`` on candidate ``j`` in ``box``."""
        v = self.base[i][box.m][j]
        if box.kind == "teacher_group":
            if self.cands[i][j][0] != box.key:
                v -= self.w_hom
            if self.skill_band[box.key] == self.t_band[box.teachers[0]]:
                v += self.w_band
        return v

    def fits(self, i: int, j: int, box: _Box) -> bool:
        k = self.cands[i][j][0]
        if box.kind == "table":
            return k == box.key
        if box.kind == "teacher_group":
            return k == box.key or box.key in self.nbrs[k]
        return True

    def room(self, box: _Box) -> bool:
        if box.kind == "supervised":
            return len(box.members) < box.hi * len(box.teachers) or bool(self.free[box.s])
        return len(box.members) < box.hi

    def releasable(self, box: _Box, leaving: int = 1) -> bool:
        return box.kind in ("seats", "supervised") or len(box.members) - leaving >= box.lo

    def add(self, i: int, j: int, box: _Box) -> None:
        if box.kind == "supervised" and len(box.members) >= box.hi * len(box.teachers):
            box.teachers.append(self.free[box.s].pop())
        box.members[i] = j
        self.where[i][box.s] = box

    def remove(self, i: int, s: int) -> _Box:
        box = self.where[i][s]
        assert box is not None
        del box.members[i]
        self.where[i][s] = None
        if box.kind == "supervised":
            while len(box.teachers) > math.ceil(len(box.members) / box.hi):
                self.free[s].add(box.teachers.pop())
        return box

    def open_group(self, s: int, m: int, key: int, teacher: int | None) -> _Box:
        mod = self.inst.modalities[m]
        box = _Box(s, m, mod.kind, key, lo=mod.min or 0, hi=mod.max or 0)
        if teacher is not None:
            self.free[s].discard(teacher)
            box.teachers.append(teacher)
        else:
            self.tables_used[s][m] += 1
        self.groups[s].add(box)
        self.by_key[(s, m, key)].add(box)
        return box

    def close_group(self, box: _Box) -> None:
        assert not box.members
        self.groups[box.s].discard(box)
        self.by_key[(box.s, box.m, box.key)].discard(box)
        if box.kind == "teacher_group":
            self.free[box.s].add(box.teachers[0])
        else:
            self.tables_used[box.s][box.m] -= 1

    def used(self, i: int, skip: int) -> tuple[set[int], set[int]]:
        """Modalities and candidate indices student ``i`` uses outside session ``skip``."""
        mods, skills = set(), set()
        for s, box in enumerate(self.where[i]):
            if box is not None and s != skip:
                mods.add(box.m)
                skills.add(box.members[i])
        return mods, skills

    def total(self) -> float:
        return sum(
            self.coef(i, box.members[i], box)
            for i in range(self.N)
            for box in self.where[i]
            if box is not None
        )

    # --- construction --------------------------------------------------------------------------

    def construct(self) -> None:
        """Teacher groups, then tables, then seats and supervised places for everyone else.

        Raises:
            Incomplete: some student could not be placed in some session.
        """
        for m, kind in enumerate(self.mkind):
            if kind == "teacher_group":
                self._cluster(m, with_teacher=True)
        for m, kind in enumerate(self.mkind):
            if kind == "table":
                self._cluster(m, with_teacher=False)
        self._fill()

    def _reserve(self, s: int) -> int:
        """Teachers to keep for supervised work so that everyone has a place in session ``s``."""
        seats = sum(b.hi for b in self.fixed[s] if b.kind == "seats")
        tables = sum(
            (mod.tables or 0) * (mod.max or 0)
            for mod in self.inst.modalities
            if mod.kind == "table"
        )
        per = max((b.hi for b in self.fixed[s] if b.kind == "supervised"), default=0)
        need = self.N - seats - tables // 2
        return math.ceil(need / per) if per and need > 0 else 0

    def _eligible(self, i: int, s: int, m: int, key: int, teacher_group: bool) -> float | None:
        """Best gain of student ``i`` joining a new group (m, key) in session ``s``, if allowed."""
        if self.where[i][s] is not None:
            return None
        mods, skills = self.used(i, s)
        if m in mods:
            return None
        best = None
        for j, (k, _) in enumerate(self.cands[i]):
            if j in skills:
                continue
            if k == key:
                v = self.base[i][m][j]
            elif teacher_group and key in self.nbrs[k]:
                v = self.base[i][m][j] - self.w_hom
            else:
                continue
            if best is None or v > best:
                best = v
        return None if best is None else best - self.baseline[i]

    def _cluster(self, m: int, *, with_teacher: bool) -> None:
        mod = self.inst.modalities[m]
        lo, hi = mod.min or 0, mod.max or 0
        near: dict[int, list[int]] = defaultdict(list)  # key skill -> students who could join
        for i in range(self.N):
            keys: set[int] = set()
            for k, _ in self.cands[i]:
                keys.add(k)
                if with_teacher:
                    keys.update(self.nbrs[k])
            for key in keys:
                near[key].append(i)
        reserve = [self._reserve(s) for s in range(self.S)]

        def score(s: int, key: int) -> tuple[float, list[tuple[float, int]]]:
            gains = []
            for i in near[key]:
                g = self._eligible(i, s, m, key, with_teacher)
                if g is not None:
                    gains.append((g, i))
            gains.sort(reverse=True)
            bonus = 0.0
            if with_teacher and any(self.t_band[t] == self.skill_band[key] for t in self.free[s]):
                bonus = self.w_band
            top = [(g + bonus, i) for g, i in gains[:hi]]
            while len(top) > lo and top[-1][0] <= 0:
                top.pop()
            if len(top) < lo:
                return -math.inf, []
            return sum(g for g, _ in top), top

        def capacity_left(s: int) -> bool:
            if with_teacher:
                return len(self.free[s]) > reserve[s]
            return self.tables_used[s][m] < (mod.tables or 0)

        heap = [(-math.inf, s, key) for s in range(self.S) for key in near]
        heap = [(-score(s, key)[0], s, key) for _, s, key in heap]
        heapq.heapify(heap)
        while heap:
            neg, s, key = heapq.heappop(heap)
            if -neg <= 0 or not capacity_left(s):
                if -neg <= 0:
                    break
                continue
            value, top = score(s, key)
            if value <= 0:
                continue
            if heap and value < -heap[0][0] - _EPS:
                heapq.heappush(heap, (-value, s, key))
                continue
            teacher = None
            if with_teacher:
                teacher = self._pick_teacher(s, key)
            box = self.open_group(s, m, key, teacher)
            for _, i in top:
                j = self._best_fit(i, box)
                assert j is not None
                self.add(i, j, box)
            heapq.heappush(heap, (-score(s, key)[0], s, key))

    def _pick_teacher(self, s: int, key: int) -> int:
        matching = [t for t in self.free[s] if self.t_band[t] == self.skill_band[key]]
        return min(matching) if matching else min(self.free[s])

    def _best_fit(self, i: int, box: _Box) -> int | None:
        mods, skills = self.used(i, box.s)
        if box.m in mods:
            return None
        best, best_j = -math.inf, None
        for j in range(len(self.cands[i])):
            if j not in skills and self.fits(i, j, box):
                v = self.coef(i, j, box)
                if v > best:
                    best, best_j = v, j
        return best_j

    def _fill(self) -> None:
        order = list(range(self.N))
        for s in range(self.S):
            # Students with fewer free modalities first.
            order.sort(key=lambda i: -len(self.used(i, s)[0]))
            for i in order:
                if self.where[i][s] is not None:
                    continue
                best, place = -math.inf, None
                for box in self.fixed[s]:
                    if not self.room(box):
                        continue
                    j = self._best_fit(i, box)
                    if j is not None and self.coef(i, j, box) > best:
                        best, place = self.coef(i, j, box), (j, box)
                if place is None:
                    for box in self.groups[s]:
                        if self.room(box):
                            j = self._best_fit(i, box)
                            if j is not None and self.coef(i, j, box) > best:
                                best, place = self.coef(i, j, box), (j, box)
                if place is not None:
                    self.add(i, place[0], place[1])
                elif not (self.replan(i) or self._eject(i, s) or self._free_teacher(i, s)):
                    raise Incomplete(
                        f"student {self.inst.students[i].id} has no place in session {s}"
                    )

    def _eject(self, i: int, s: int) -> bool:
        """Place ``i`` in session ``s`` by moving someone from a full place to another place."""
        for box in [*self.fixed[s], *self._boxes_for(i, s)]:
            j = self._best_fit(i, box)
            if j is None or box.kind == "supervised":
                continue
            for other in list(box.members):
                for alt in self._boxes_for(other, s):
                    if alt is box or not self.room(alt):
                        continue
                    jo = self._best_fit(other, alt)
                    if jo is None:
                        continue
                    self.remove(other, s)
                    self.add(other, jo, alt)
                    self.add(i, j, box)
                    return True
        return False

    def _free_teacher(self, i: int, s: int) -> bool:
        """Dissolve the smallest teacher group of session ``s`` so its teacher can supervise."""
        sup = [
            b for b in self.fixed[s] if b.kind == "supervised" and self._best_fit(i, b) is not None
        ]
        groups = sorted(
            (b for b in self.groups[s] if b.kind == "teacher_group"), key=lambda b: len(b.members)
        )
        if not sup or not groups:
            return False
        box = groups[0]
        members = list(box.members)
        for other in members:
            self.remove(other, s)
        self.close_group(box)
        for other in [*members, i]:
            best, place = -math.inf, None
            for alt in self._boxes_for(other, s):
                if self.room(alt):
                    j = self._best_fit(other, alt)
                    if j is not None and self.coef(other, j, alt) > best:
                        best, place = self.coef(other, j, alt), (j, alt)
            if place is None:
                return False
            self.add(other, place[0], place[1])
        return True

    # --- moves ---------------------------------------------------------------------------------

    def replan(self, i: int) -> bool:
        """Re-place student ``i`` in every session it can leave; True when it improved.

        When the student still misses a session, any complete plan is accepted.
        """
        missing = any(box is None for box in self.where[i])
        free_s = [
            s for s in range(self.S) if (box := self.where[i][s]) is None or self.releasable(box)
        ]
        if not free_s:
            return False
        keep_m, keep_j = set(), set()
        current = 0.0
        old: dict[int, tuple[int, _Box]] = {}
        for s in range(self.S):
            box = self.where[i][s]
            if box is None:
                continue
            j = box.members[i]
            if s in free_s:
                current += self.coef(i, j, box)
                old[s] = (j, box)
            else:
                keep_m.add(box.m)
                keep_j.add(j)
        for s in old:
            self.remove(i, s)
        options = []
        for s in free_s:
            opts = []
            for box in self._boxes_for(i, s):
                if box.m in keep_m or not self.room(box):
                    continue
                for j in range(len(self.cands[i])):
                    if j not in keep_j and self.fits(i, j, box):
                        opts.append((self.coef(i, j, box), j, box))
            opts.sort(key=lambda o: -o[0])
            options.append(opts[:12])
        plan = _best_plan(options, keep_m, keep_j)
        if plan is not None and (missing or plan[0] > current + 1e-7):
            for _, j, box in plan[1]:
                self.add(i, j, box)
            return True
        for j, box in old.values():
            self.add(i, j, box)
        return False

    def _boxes_for(self, i: int, s: int) -> Iterable[_Box]:
        yield from self.fixed[s]
        seen: set[int] = set()
        for k, _ in self.cands[i]:
            for key in (k, *self.nbrs[k]):
                if key in seen:
                    continue
                seen.add(key)
                for m, kind in enumerate(self.mkind):
                    if kind == "teacher_group" or (kind == "table" and key == k):
                        yield from self.by_key.get((s, m, key), ())

    def try_open(self, s: int, m: int, key: int) -> bool:
        """Open a group (m, key) in session ``s`` from students who gain by moving into it."""
        mod = self.inst.modalities[m]
        with_teacher = mod.kind == "teacher_group"
        if with_teacher and not self.free[s]:
            return False
        if not with_teacher and self.tables_used[s][m] >= (mod.tables or 0):
            return False
        teacher = self._pick_teacher(s, key) if with_teacher else None
        probe = _Box(s, m, mod.kind, key, [teacher] if teacher is not None else [], {})
        gains = []
        for i in self._near(s, m, key, with_teacher):
            box = self.where[i][s]
            if box is None or box.m == m:
                continue
            mods, skills = self.used(i, s)
            if m in mods:
                continue
            cur = self.coef(i, box.members[i], box)
            best = -math.inf
            for j in range(len(self.cands[i])):
                if j not in skills and self.fits(i, j, probe):
                    best = max(best, self.coef(i, j, probe))
            gains.append((best - cur, i))
        gains.sort(reverse=True)
        chosen: list[int] = []
        leaving: dict[int, int] = defaultdict(int)
        value = 0.0
        for g, i in gains:
            if len(chosen) >= (mod.max or 0) or (g <= 0 and len(chosen) >= (mod.min or 0)):
                break
            box = self.where[i][s]
            assert box is not None
            if not self.releasable(box, leaving[id(box)] + 1):
                continue
            leaving[id(box)] += 1
            chosen.append(i)
            value += g
        if len(chosen) < (mod.min or 0) or value <= 1e-7:
            return False
        box = self.open_group(s, m, key, teacher)
        for i in chosen:
            self.remove(i, s)
            jn = self._best_fit(i, box)
            assert jn is not None
            self.add(i, jn, box)
        return True

    def _near(self, s: int, m: int, key: int, with_teacher: bool) -> list[int]:
        keys = [key, *self.nbrs[key]] if with_teacher else [key]
        out: set[int] = set()
        for k in keys:
            out.update(self.holders.get(k, ()))
        return sorted(out)

    def try_dissolve(self, box: _Box) -> bool:
        """Move every member of ``box`` to its best other place; keep it if that scores more."""
        s = box.s
        members = list(box.members.items())
        before = sum(self.coef(i, j, box) for i, j in members)
        for i, _ in members:
            self.remove(i, s)
        self.close_group(box)
        moved: list[int] = []
        after = 0.0
        ok = True
        for i, _ in members:
            best, place = -math.inf, None
            for other in self._boxes_for(i, s):
                if other is box or not self.room(other):
                    continue
                j = self._best_fit(i, other)
                if j is not None and self.coef(i, j, other) > best:
                    best, place = self.coef(i, j, other), (j, other)
            if place is None:
                ok = False
                break
            self.add(i, place[0], place[1])
            moved.append(i)
            after += best
        if ok and after > before + 1e-7:
            return True
        for i in moved:
            self.remove(i, s)
        restored = self.open_group(s, box.m, box.key, box.teachers[0] if box.teachers else None)
        for i, j in members:
            self.add(i, j, restored)
        return False

    def rematch_teachers(self) -> None:
        """Give teacher groups a teacher of their anchor's band where one is free or swappable."""
        for s in range(self.S):
            groups = [b for b in self.groups[s] if b.kind == "teacher_group"]
            for box in groups:
                want = self.skill_band[box.key]
                if self.t_band[box.teachers[0]] == want:
                    continue
                free = [t for t in self.free[s] if self.t_band[t] == want]
                if free:
                    self.free[s].add(box.teachers[0])
                    self.free[s].discard(free[0])
                    box.teachers[0] = free[0]
                    continue
                for other in groups:
                    t = other.teachers[0]
                    if other is box or self.t_band[t] != want:
                        continue
                    if self.skill_band[other.key] == want:
                        continue
                    box.teachers[0], other.teachers[0] = t, box.teachers[0]
                    break

    def improve(self, deadline: float, target: float | None = None) -> None:
        """Apply improving moves until nothing improves, ``deadline`` (perf_counter) passes, or
        the objective reaches ``target`` (the LP bound: nothing better exists)."""
        keys = sorted({k for cs in self.cands for k, _ in cs})
        group_mods = [m for m, k in enumerate(self.mkind) if k in ("teacher_group", "table")]
        while time.perf_counter() < deadline:
            improved = False
            self.rematch_teachers()
            order = list(range(self.N))
            self.rng.shuffle(order)
            for n, i in enumerate(order):
                if n % 256 == 0 and time.perf_counter() >= deadline:
                    return
                improved |= self.replan(i)
            for s in range(self.S):
                for box in sorted(self.groups[s], key=lambda b: (len(b.members), _order(b))):
                    if time.perf_counter() >= deadline:
                        return
                    if box in self.groups[s]:
                        improved |= self.try_dissolve(box)
            tries = [(s, m, k) for s in range(self.S) for m in group_mods for k in keys]
            self.rng.shuffle(tries)
            for n, (s, m, k) in enumerate(tries):
                if n % 64 == 0 and time.perf_counter() >= deadline:
                    return
                improved |= self.try_open(s, m, k)
            if not improved or self.reached(target):
                return

    def reached(self, target: float | None) -> bool:
        """Whether the current objective is at ``target`` (the LP bound) within tolerance."""
        return target is not None and at_bound(self.total(), target)

    tolerance = 0.05  # objective units a ruin-and-repair round may lose and still be kept
    rounds = 0

    #: Why :meth:`search` stopped: "at bound", "round limit", "local optimum", "time limit".
    stopped = "time limit"

    def search(
        self, deadline: float, max_rounds: int | None = None, target: float | None = None
    ) -> None:
        """Local search, then iterated local search until ``deadline``: ruin a few random groups,
        repair, improve; keep the result when it scores more, else go back to the best state.

        ``target`` is an upper bound on the objective (the LP bound): the search stops as soon
        as the best state reaches it, because no schedule can score more.
        """
        if target is not None and at_bound(self.total(), target):
            self.stopped, self.rounds = "at bound", 0
            return
        self.improve(deadline, target)
        best_total = current_total = self.total()
        best = current = self._snapshot()
        rounds = 0
        n_groups = sum(len(g) for g in self.groups)
        self.stopped = "time limit"
        if target is not None and at_bound(best_total, target):
            self.stopped = "at bound"
        elif not n_groups and time.perf_counter() < deadline:
            self.stopped = "local optimum"  # no group to ruin: the moves have converged
        while (
            time.perf_counter() < deadline
            and n_groups
            and rounds != max_rounds
            and self.stopped != "at bound"
        ):
            rounds += 1
            students, keys = self._ruin(self.rng.randint(1, max(1, min(6, n_groups // 10))))
            if rounds % 8:
                self._improve_near(students, keys, deadline)
            else:  # now and then the whole neighbourhood, which finds moves far from the ruin
                self.improve(deadline, target)
            total = self.total()
            if total > best_total + 1e-7:
                best_total, best = total, self._snapshot()
                if target is not None and at_bound(best_total, target):
                    self.stopped = "at bound"
            if total >= current_total - self.tolerance:
                current_total, current = total, self._snapshot()
            else:
                self._restore(current)
        if rounds == max_rounds and self.stopped != "at bound":
            self.stopped = "round limit"
        self._restore(best)
        self.rounds = rounds

    def _improve_near(self, students: set[int], keys: set[int], deadline: float) -> None:
        """The improving moves, restricted to ``students`` and groups on ``keys``."""
        group_mods = [m for m, k in enumerate(self.mkind) if k in ("teacher_group", "table")]
        near = set(keys)
        for k in keys:
            near.update(self.nbrs[k])
        tries = sorted((s, m, k) for s in range(self.S) for m in group_mods for k in near)
        improved = True
        while improved and time.perf_counter() < deadline:
            improved = False
            self.rng.shuffle(tries)
            for s, m, k in tries:
                improved |= self.try_open(s, m, k)
            for i in sorted(students):
                improved |= self.replan(i)
            self.rematch_teachers()

    def _ruin(self, count: int) -> tuple[set[int], set[int]]:
        """Force ``count`` random groups closed, moving members to their best place with room.

        Returns the students moved and the keys (anchors, table skills) of the closed groups.
        """
        boxes = [b for s in range(self.S) for b in sorted(self.groups[s], key=_order)]
        self.rng.shuffle(boxes)
        moved: set[int] = set()
        keys: set[int] = set()
        for box in boxes[:count]:
            keys.add(box.key)
            moved.update(box.members)
            s = box.s
            members = list(box.members.items())
            for i, _ in members:
                self.remove(i, s)
            self.close_group(box)
            for n, (i, _) in enumerate(members):
                best, place = -math.inf, None
                for other in self._boxes_for(i, s):
                    if not self.room(other):
                        continue
                    jo = self._best_fit(i, other)
                    if jo is not None and self.coef(i, jo, other) > best:
                        best, place = self.coef(i, jo, other), (jo, other)
                if place is None:  # cannot ruin this one: put everybody back
                    for k, _ in members[:n]:
                        self.remove(k, s)
                    back = self.open_group(
                        s, box.m, box.key, box.teachers[0] if box.teachers else None
                    )
                    for k, jk in members:
                        self.add(k, jk, back)
                    break
                self.add(i, place[0], place[1])
        return moved, keys

    def _snapshot(self) -> tuple[object, ...]:
        boxes = [b for s in range(self.S) for b in (*self.fixed[s], *self.groups[s])]
        return (
            [row[:] for row in self.where],
            {b: (dict(b.members), list(b.teachers)) for b in boxes},
            [set(f) for f in self.free],
            [set(g) for g in self.groups],
            {k: set(v) for k, v in self.by_key.items() if v},
            [row[:] for row in self.tables_used],
        )

    def _restore(self, snap: tuple[object, ...]) -> None:
        where, boxes, free, groups, by_key, tables_used = snap
        self.where = [row[:] for row in where]  # type: ignore[attr-defined]
        for box, (members, teachers) in boxes.items():  # type: ignore[attr-defined]
            box.members = dict(members)
            box.teachers = list(teachers)
        self.free = [set(f) for f in free]  # type: ignore[attr-defined]
        self.groups = [set(g) for g in groups]  # type: ignore[attr-defined]
        self.by_key = defaultdict(set, {k: set(v) for k, v in by_key.items()})  # type: ignore[attr-defined]
        self.tables_used = [row[:] for row in tables_used]  # type: ignore[attr-defined]

    # --- output --------------------------------------------------------------------------------

    def complete(self) -> bool:
        return all(box is not None for row in self.where for box in row)

    def schedule(self) -> Schedule:
        """The current state as a :class:`Schedule` (groups numbered per session)."""
        inst = self.inst
        groups: list[Group] = []
        names: dict[int, str] = {}
        for s in range(self.S):
            boxes = sorted(
                [b for b in self.fixed[s] if b.kind == "supervised" and b.members]
                + sorted(self.groups[s], key=lambda b: (b.m, b.key, b.teachers)),
                key=lambda b: b.m,
            )
            for box in boxes:
                gid = f"s{s}g{len(names) + 1}"
                names[id(box)] = gid
                code = self.mods[box.m]
                if box.kind == "teacher_group":
                    groups.append(
                        Group(
                            gid,
                            s,
                            code,
                            teacher=inst.teachers[box.teachers[0]].id,
                            anchor=self.skill_ids[box.key],
                        )
                    )
                elif box.kind == "table":
                    groups.append(Group(gid, s, code, skill=self.skill_ids[box.key]))
                else:
                    groups.append(
                        Group(
                            gid, s, code, teachers=tuple(inst.teachers[t].id for t in box.teachers)
                        )
                    )
        assignments = []
        for i, st in enumerate(inst.students):
            for s, at in enumerate(self.where[i]):
                if at is None:
                    continue
                box = at
                k = self.skill_ids[self.cands[i][box.members[i]][0]]
                assignments.append(Assignment(st.id, s, self.mods[box.m], k, names.get(id(box))))
        return Schedule(tuple(groups), tuple(assignments))


def _order(box: _Box) -> tuple[int, int, int, list[int]]:
    return (box.s, box.m, box.key, box.teachers)


def _best_plan(
    options: list[list[tuple[float, int, _Box]]], keep_m: set[int], keep_j: set[int]
) -> tuple[float, list[tuple[float, int, _Box]]] | None:
    """Best choice of one option per session with distinct modalities and candidates (DFS)."""
    best: list[float] = [-math.inf]
    best_plan: list[list[tuple[float, int, _Box]]] = [[]]
    tops = [o[0][0] if o else -math.inf for o in options]
    suffix = [0.0] * (len(options) + 1)
    for n in range(len(options) - 1, -1, -1):
        suffix[n] = suffix[n + 1] + tops[n]
    chosen: list[tuple[float, int, _Box]] = []

    def dfs(n: int, value: float, mods: set[int], cands: set[int]) -> None:
        if n == len(options):
            if value > best[0]:
                best[0] = value
                best_plan[0] = list(chosen)
            return
        if value + suffix[n] <= best[0]:
            return
        for opt in options[n]:
            v, j, box = opt
            if box.m in mods or j in cands:
                continue
            if value + v + suffix[n + 1] <= best[0]:
                break
            chosen.append(opt)
            dfs(n + 1, value + v, mods | {box.m}, cands | {j})
            chosen.pop()

    dfs(0, 0.0, set(keep_m), set(keep_j))
    if best[0] == -math.inf:
        return None
    return best[0], best_plan[0]
