"""The day as an integer program over aggregated groups; its linear relaxation is the bound.

Variables (all non-negative):

* ``x[i, s, o]`` -- student ``i`` takes option ``o`` in session ``s``. An option is a modality, a
  skill and, for teacher groups, an anchor and whether the leading teacher's band matches the
  anchor's band. Its objective coefficient is the spec's per-assignment term, so the objective is
  linear in ``x``.
* ``g[s, m, a, b]`` -- number of teacher groups of modality ``m`` with anchor ``a`` led by teachers
  of band ``b`` in session ``s``.
* ``h[s, m, k]`` -- number of tables of modality ``m`` working on skill ``k`` in session ``s``.
* ``p[s, m, b]`` -- number of band-``b`` teachers supervising modality ``m`` in session ``s``.

Constraints: one option per student and session; each modality and each skill at most once per
student and day; for each ``(s, m, a)`` the students with a matching (non-matching) band option lie
between ``min`` and ``max`` times the number of groups with a matching (non-matching) teacher band;
tables likewise per skill, with at most ``tables`` groups per session; seats capacities;
supervised students at most ``per_teacher`` times the supervising teachers; per session and band,
groups led plus teachers supervising at most the available teachers of that band.

Teachers of one band available in one session are interchangeable (a teacher's sessions are
independent), and ``n`` students fit in ``G`` groups of ``min..max`` exactly when
``min * G <= n <= max * G``, so **with integer variables this program is exact**: every integer
solution decodes into a feasible schedule with the same objective (:func:`decode`), and every
feasible schedule encodes into an integer solution. Its linear relaxation is therefore a valid
upper bound.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from pathways.engines.scheduling.instance import Instance
from pathways.engines.scheduling.schedule import Assignment, Group, Schedule

__all__ = ["Formulation", "GroupVar", "Option", "build", "decode", "encode"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_EPS: Final = 1e-6


class Option(NamedTuple):
    """What a student does in a session: modality, skill and, for teacher groups, the anchor and
    whether the teacher's band matches the anchor's band."""

    modality: str
    skill: str
    anchor: str | None = None
    match: bool = False


class GroupVar(NamedTuple):
    """A group-count variable: kind is 'g' (teacher groups), 'h' (tables) or 'p' (supervisors)."""

    kind: str
    session: int
    modality: str
    key: str | None
    band: int | None


@dataclass
class Formulation:
    """Matrices of the aggregated program (maximize ``c @ v``) plus what each column means."""

    instance: Instance
    c: FloatArray
    a_ub: sp.csr_array
    b_ub: FloatArray
    a_eq: sp.csr_array
    b_eq: FloatArray
    upper: FloatArray
    options: list[list[Option]]
    x_student: IntArray
    x_session: IntArray
    x_option: IntArray
    groups: list[GroupVar]

    @property
    def n_x(self) -> int:
        return len(self.x_student)

    @property
    def n_vars(self) -> int:
        return len(self.c)


def student_options(instance: Instance) -> tuple[list[list[Option]], list[list[float]]]:
    """Every option of every student with its objective coefficient."""
    w = instance.weights
    bands = {t.band for t in instance.teachers}
    skill = instance.skill_by_id
    options: list[list[Option]] = []
    coefs: list[list[float]] = []
    for student in instance.students:
        opts: list[Option] = []
        cs: list[float] = []
        for m in instance.modalities:
            base = student.effectiveness[m.code]
            penalty = w.variety if m.code in student.yesterday else 0.0
            for cand in student.candidates:
                v = cand.value * base - penalty
                if m.kind != "teacher_group":
                    opts.append(Option(m.code, cand.skill))
                    cs.append(v)
                    continue
                for anchor in (cand.skill, *instance.neighbours[cand.skill]):
                    hv = v - (w.homogeneity if anchor != cand.skill else 0.0)
                    anchor_band = skill[anchor].band
                    if anchor_band in bands:
                        opts.append(Option(m.code, cand.skill, anchor, True))
                        cs.append(hv + w.teacher_band)
                    if bands - {anchor_band}:
                        opts.append(Option(m.code, cand.skill, anchor, False))
                        cs.append(hv)
        options.append(opts)
        coefs.append(cs)
    return options, coefs


class _Rows:
    def __init__(self) -> None:
        self.index: dict[object, int] = {}
        self.rhs: list[float] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []

    def row(self, key: object, rhs: float) -> int:
        r = self.index.get(key)
        if r is None:
            r = self.index[key] = len(self.rhs)
            self.rhs.append(rhs)
        return r

    def add(self, row: int, col: int, val: float) -> None:
        self.rows.append(row)
        self.cols.append(col)
        self.vals.append(val)

    def matrix(self, n_cols: int) -> tuple[sp.csr_array, FloatArray]:
        a = sp.csr_array(
            (np.array(self.vals), (np.array(self.rows, dtype=np.int64), np.array(self.cols))),
            shape=(len(self.rhs), n_cols),
        )
        return a, np.array(self.rhs, dtype=np.float64)


def build(instance: Instance, *, strong: bool = False) -> Formulation:
    """The aggregated integer program of ``instance`` (see the module docstring).

    ``strong`` adds the valid "join" rows ``sum_k x[i, s, (m, k, a, match)] <= G`` (a student can
    only join a group that exists). They tighten the relaxation (a lot on small days) and make
    CP-SAT much faster, but HiGHS far slower on the LP (minutes at 200 students), so the bound
    leaves them out by default.
    """
    mods = instance.modality_by_code
    skill = instance.skill_by_id
    teachers: dict[tuple[int, int], int] = defaultdict(int)
    for t in instance.teachers:
        for s, ok in enumerate(t.available):
            if ok:
                teachers[(s, t.band)] += 1
    bands_at = [
        sorted(b for (s2, b), n in teachers.items() if s2 == s and n > 0)
        for s in range(instance.sessions)
    ]
    options, coefs = student_options(instance)

    def usable(o: Option, s: int) -> bool:
        m = mods[o.modality]
        if m.kind == "teacher_group":
            band = skill[o.anchor or ""].band
            return any((b == band) == o.match for b in bands_at[s])
        if m.kind == "supervised":
            return bool(bands_at[s])
        if m.kind == "table":
            return (m.tables or 0) > 0
        return (m.capacity or 0) > 0

    xs_student: list[int] = []
    xs_session: list[int] = []
    xs_option: list[int] = []
    c: list[float] = []
    for i, opts in enumerate(options):
        for s in range(instance.sessions):
            for o, opt in enumerate(opts):
                if usable(opt, s):
                    xs_student.append(i)
                    xs_session.append(s)
                    xs_option.append(o)
                    c.append(coefs[i][o])
    n_x = len(c)

    # Group variables.
    groups: list[GroupVar] = []
    group_col: dict[GroupVar, int] = {}
    anchors: dict[tuple[int, str], set[str]] = defaultdict(set)
    table_skills: dict[tuple[int, str], set[str]] = defaultdict(set)
    for i, s, o in zip(xs_student, xs_session, xs_option, strict=True):
        opt = options[i][o]
        kind = mods[opt.modality].kind
        if kind == "teacher_group":
            anchors[(s, opt.modality)].add(opt.anchor or "")
        elif kind == "table":
            table_skills[(s, opt.modality)].add(opt.skill)
    upper_groups: list[float] = []
    for s in range(instance.sessions):
        for m in instance.modalities:
            if m.kind == "teacher_group":
                for a in sorted(anchors[(s, m.code)]):
                    for b in bands_at[s]:
                        gv = GroupVar("g", s, m.code, a, b)
                        group_col[gv] = n_x + len(groups)
                        groups.append(gv)
                        upper_groups.append(teachers[(s, b)])
            elif m.kind == "table":
                for k in sorted(table_skills[(s, m.code)]):
                    gv = GroupVar("h", s, m.code, k, None)
                    group_col[gv] = n_x + len(groups)
                    groups.append(gv)
                    upper_groups.append(m.tables or 0)
            elif m.kind == "supervised":
                for b in bands_at[s]:
                    gv = GroupVar("p", s, m.code, None, b)
                    group_col[gv] = n_x + len(groups)
                    groups.append(gv)
                    upper_groups.append(teachers[(s, b)])
    n_vars = n_x + len(groups)

    eq = _Rows()
    ub = _Rows()
    multi = instance.sessions > 1
    # "join" rows: a student can only be in a group that exists (x <= number of groups).
    joins: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for col, (i, s, o) in enumerate(zip(xs_student, xs_session, xs_option, strict=True)):
        opt = options[i][o]
        eq.add(eq.row(("one", i, s), 1.0), col, 1.0)
        if multi:
            ub.add(ub.row(("mod", i, opt.modality), 1.0), col, 1.0)
            ub.add(ub.row(("skill", i, opt.skill), 1.0), col, 1.0)
        m = mods[opt.modality]
        if m.kind == "teacher_group":
            key: tuple[object, ...] = ("tl", s, opt.modality, opt.anchor, opt.match)
            ub.add(ub.row((*key, "max"), 0.0), col, 1.0)
            ub.add(ub.row((*key, "min"), 0.0), col, -1.0)
            if strong:
                ub.add(ub.row((*key, "join", i), 0.0), col, 1.0)
                joins[key].append(ub.index[(*key, "join", i)])
        elif m.kind == "table":
            key = ("tb", s, opt.modality, opt.skill)
            ub.add(ub.row((*key, "max"), 0.0), col, 1.0)
            ub.add(ub.row((*key, "min"), 0.0), col, -1.0)
            if strong:
                ub.add(ub.row((*key, "join", i), 0.0), col, 1.0)
                joins[key].append(ub.index[(*key, "join", i)])
        elif m.kind == "seats":
            ub.add(ub.row(("seats", s, opt.modality), float(m.capacity or 0)), col, 1.0)
        else:
            ub.add(ub.row(("sup", s, opt.modality), 0.0), col, 1.0)
    for gv, col in group_col.items():
        m = mods[gv.modality]
        low, high = float(m.min or 0), float(m.max or 0)
        if gv.kind == "g":
            assert gv.band is not None
            ub.add(ub.row(("teach", gv.session, gv.band), teachers[(gv.session, gv.band)]), col, 1)
            match = skill[gv.key or ""].band == gv.band
            key = ("tl", gv.session, gv.modality, gv.key, match)
            if (*key, "max") in ub.index:
                ub.add(ub.index[(*key, "max")], col, -high)
                ub.add(ub.index[(*key, "min")], col, low)
                for row in dict.fromkeys(joins[key]):
                    ub.add(row, col, -1.0)
            else:  # no student can join such a group: it stays empty
                ub.add(ub.row((*key, "max"), 0.0), col, -high)
                ub.add(ub.row((*key, "min"), 0.0), col, low)
        elif gv.kind == "h":
            key = ("tb", gv.session, gv.modality, gv.key)
            ub.add(ub.index[(*key, "max")], col, -high)
            ub.add(ub.index[(*key, "min")], col, low)
            for row in dict.fromkeys(joins[key]):
                ub.add(row, col, -1.0)
            ub.add(ub.row(("tables", gv.session, gv.modality), float(m.tables or 0)), col, 1.0)
        else:
            assert gv.band is not None
            ub.add(ub.row(("teach", gv.session, gv.band), teachers[(gv.session, gv.band)]), col, 1)
            ub.add(ub.row(("sup", gv.session, gv.modality), 0.0), col, -float(m.per_teacher or 1))
    a_eq, b_eq = eq.matrix(n_vars)
    a_ub, b_ub = ub.matrix(n_vars)
    # Every (student, session) needs a row even when no option is usable there: 0 = 1 is then
    # an honest "infeasible".
    missing = [
        (i, s)
        for i in range(len(instance.students))
        for s in range(instance.sessions)
        if ("one", i, s) not in eq.index
    ]
    if missing:
        extra = sp.csr_array((len(missing), n_vars))
        a_eq = sp.csr_array(sp.vstack([a_eq, extra]))
        b_eq = np.concatenate([b_eq, np.ones(len(missing))])
    upper = np.concatenate([np.ones(n_x), np.array(upper_groups, dtype=np.float64)])
    return Formulation(
        instance=instance,
        c=np.array(c + [0.0] * len(groups), dtype=np.float64),
        a_ub=a_ub,
        b_ub=b_ub,
        a_eq=a_eq,
        b_eq=b_eq,
        upper=upper,
        options=options,
        x_student=np.array(xs_student, dtype=np.int64),
        x_session=np.array(xs_session, dtype=np.int64),
        x_option=np.array(xs_option, dtype=np.int64),
        groups=groups,
    )


def decode(form: Formulation, values: FloatArray) -> Schedule:
    """Turn an integer solution of ``form`` into a schedule with the same objective.

    Students sharing an ``(s, m, a, match)`` are split evenly over the groups counted for them,
    each group gets a teacher of the counted band, and supervisors are trimmed to what the
    students need.
    """
    inst = form.instance
    mods = inst.modality_by_code
    skill = inst.skill_by_id
    rounded = np.rint(values)
    chosen = np.flatnonzero(rounded[: form.n_x] > 0.5)
    free: dict[tuple[int, int], list[str]] = defaultdict(list)
    for t in reversed(inst.teachers):
        for s, ok in enumerate(t.available):
            if ok:
                free[(s, t.band)].append(t.id)
    counts: dict[GroupVar, int] = {}
    for gv, v in zip(form.groups, rounded[form.n_x :], strict=True):
        if v > 0.5:
            counts[gv] = int(v)
    buckets: dict[tuple[object, ...], list[tuple[str, str]]] = defaultdict(list)
    assignments: list[Assignment] = []
    for col in chosen:
        i, s = int(form.x_student[col]), int(form.x_session[col])
        opt = form.options[i][int(form.x_option[col])]
        sid = inst.students[i].id
        kind = mods[opt.modality].kind
        if kind == "teacher_group":
            buckets[("g", s, opt.modality, opt.anchor, opt.match)].append((sid, opt.skill))
        elif kind == "table":
            buckets[("h", s, opt.modality, opt.skill)].append((sid, opt.skill))
        elif kind == "supervised":
            buckets[("p", s, opt.modality)].append((sid, opt.skill))
        else:
            assignments.append(Assignment(sid, s, opt.modality, opt.skill))
    groups: list[Group] = []

    def new_id() -> str:
        return f"g{len(groups) + 1}"

    # Teacher groups and tables: split each bucket evenly over its groups.
    lead: dict[tuple[object, ...], list[str]] = defaultdict(list)
    tables: dict[tuple[object, ...], int] = defaultdict(int)
    supervisors: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for gv, n in counts.items():
        if gv.kind == "g":
            assert gv.band is not None
            match = skill[gv.key or ""].band == gv.band
            for _ in range(n):
                lead[("g", gv.session, gv.modality, gv.key, match)].append(
                    free[(gv.session, gv.band)].pop()
                )
        elif gv.kind == "h":
            tables[("h", gv.session, gv.modality, gv.key)] += n
        else:
            assert gv.band is not None
            supervisors[("p", gv.session, gv.modality)].extend([gv.band] * n)
    for key, members in sorted(buckets.items(), key=lambda kv: repr(kv[0])):
        s = int(str(key[1]))
        code = str(key[2])
        if key[0] == "p":
            need = math.ceil(len(members) / (mods[code].per_teacher or 1))
            bands = supervisors[key][:need]
            gid = new_id()
            names = tuple(free[(s, b)].pop() for b in bands)
            groups.append(Group(gid, s, code, teachers=names))
            assignments.extend(Assignment(sid, s, code, k, gid) for sid, k in members)
            continue
        if key[0] == "g":
            heads = lead[key]
            n_groups = len(heads)
        else:
            heads = []
            n_groups = tables[key]
        n_groups = max(n_groups, 1)
        for part in range(n_groups):
            share = members[part::n_groups]
            gid = new_id()
            if key[0] == "g":
                groups.append(
                    Group(gid, s, code, teacher=heads[part] if heads else None, anchor=str(key[3]))
                )
            else:
                groups.append(Group(gid, s, code, skill=str(key[3])))
            assignments.extend(Assignment(sid, s, code, k, gid) for sid, k in share)
    order = {st.id: n for n, st in enumerate(inst.students)}
    assignments.sort(key=lambda a: (order[a.student], a.session))
    return Schedule(tuple(groups), tuple(assignments))


def encode(form: Formulation, schedule: Schedule) -> FloatArray:
    """The integer point of ``form`` that a feasible ``schedule`` corresponds to (the inverse of
    :func:`decode` up to group names): ``form.c @ encode(form, s) == objective(instance, s)``.

    Raises:
        ValueError: an assignment has no column (the schedule is not feasible).
    """
    inst = form.instance
    mods = inst.modality_by_code
    skill = inst.skill_by_id
    index = {sid.id: n for n, sid in enumerate(inst.students)}
    column: dict[tuple[int, int, Option], int] = {}
    for col, (i, s, o) in enumerate(
        zip(form.x_student, form.x_session, form.x_option, strict=True)
    ):
        column[(int(i), int(s), form.options[int(i)][int(o)])] = col
    group_column = {gv: form.n_x + n for n, gv in enumerate(form.groups)}
    groups = {g.id: g for g in schedule.groups}
    values = np.zeros(form.n_vars)
    for a in schedule.assignments:
        opt = Option(a.modality, a.skill)
        if mods[a.modality].kind == "teacher_group":
            grp = groups[a.group or ""]
            band = inst.teacher_by_id[grp.teacher or ""].band
            opt = Option(a.modality, a.skill, grp.anchor, band == skill[grp.anchor or ""].band)
        found = column.get((index[a.student], a.session, opt))
        if found is None:
            raise ValueError(f"no column for {a}")
        values[found] += 1
    for g in schedule.groups:
        kind = mods[g.modality].kind
        if kind == "teacher_group":
            band = inst.teacher_by_id[g.teacher or ""].band
            values[group_column[GroupVar("g", g.session, g.modality, g.anchor, band)]] += 1
        elif kind == "table":
            values[group_column[GroupVar("h", g.session, g.modality, g.skill, None)]] += 1
        elif kind == "supervised":
            for t in g.teachers or ():
                band = inst.teacher_by_id[t].band
                values[group_column[GroupVar("p", g.session, g.modality, None, band)]] += 1
    return values
