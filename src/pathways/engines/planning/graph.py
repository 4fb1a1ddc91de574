"""The prerequisite graph: a directed acyclic graph of skills, checked when built.

A ``SkillGraph`` maps every skill to the skills it requires. Skill ids are strings (the platform
passes standard codes such as ``4.NF.B.3``). Building one fails with an :class:`InputError` that
names the skills at fault: a prerequisite that is not a skill, or a cycle.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from pathways.engines.errors import InputError
from pathways.engines.tracing import SkillParams

__all__ = ["GRAPH_FORMAT", "SkillGraph", "dump_graph", "parse_graph"]

GRAPH_FORMAT = "pathways-plan-graph/1"


class SkillGraph:
    """Skills and their prerequisites, in a stable topological order.

    ``prerequisites`` maps each skill to the skills it requires. Skills are ordered so that every
    prerequisite comes before the skills that need it; among skills free to go next, the order of
    the mapping is kept.

    Example:
        >>> g = SkillGraph({"add": [], "mul": ["add"], "frac": ["mul"], "count": []})
        >>> g.skills
        ('add', 'mul', 'frac', 'count')
        >>> g.prerequisites("frac"), g.dependents("add")
        (('mul',), ('mul',))
        >>> sorted(g.ancestors("frac"))
        ['add', 'mul']
        >>> SkillGraph({"a": ["b"], "b": ["a"]})
        Traceback (most recent call last):
        ...
        pathways.engines.errors.InputError: graph: prerequisite cycle: b -> a -> b
    """

    def __init__(self, prerequisites: Mapping[str, Iterable[str]], *, source: str = "graph"):
        declared = list(prerequisites)
        pre: dict[str, tuple[str, ...]] = {}
        errors = []
        for skill in declared:
            if not isinstance(skill, str) or not skill:
                raise InputError(source, f"skill ids must be non-empty strings, got {skill!r}")
            needs = tuple(dict.fromkeys(prerequisites[skill]))
            unknown = [p for p in needs if p not in prerequisites]
            if unknown:
                errors.append(f"{skill} requires unknown skill(s) {', '.join(map(str, unknown))}")
            if skill in needs:
                errors.append(f"{skill} requires itself")
            pre[skill] = needs
        if errors:
            raise InputError(source, "; ".join(errors))
        self._source = source
        self._pre = pre
        dependents: dict[str, list[str]] = {s: [] for s in declared}
        for skill, needs in pre.items():
            for p in needs:
                dependents[p].append(skill)
        self._dep = {s: tuple(d) for s, d in dependents.items()}
        self._order = self._toposort(declared)
        self.index: dict[str, int] = {s: i for i, s in enumerate(self._order)}

    def _toposort(self, declared: list[str]) -> tuple[str, ...]:
        position = {s: i for i, s in enumerate(declared)}
        missing = {s: len(self._pre[s]) for s in declared}
        heap = [position[s] for s in declared if missing[s] == 0]
        heapq.heapify(heap)
        order: list[str] = []
        while heap:
            skill = declared[heapq.heappop(heap)]
            order.append(skill)
            for d in self._dep[skill]:
                missing[d] -= 1
                if missing[d] == 0:
                    heapq.heappush(heap, position[d])
        if len(order) < len(declared):
            raise InputError(self._source, f"prerequisite cycle: {self._find_cycle(missing)}")
        return tuple(order)

    def _find_cycle(self, missing: dict[str, int]) -> str:
        # Every skill left with a missing prerequisite lies on or after a cycle: walk back.
        start = next(s for s in missing if missing[s] > 0)
        path: list[str] = []
        seen: dict[str, int] = {}
        skill = start
        while skill not in seen:
            seen[skill] = len(path)
            path.append(skill)
            skill = next(p for p in self._pre[skill] if missing[p] > 0)
        cycle = path[seen[skill] :][::-1]
        return " -> ".join([*cycle, cycle[0]])

    @property
    def skills(self) -> tuple[str, ...]:
        """Every skill, prerequisites first."""
        return self._order

    def prerequisites(self, skill: str) -> tuple[str, ...]:
        """The skills ``skill`` directly requires."""
        return self._pre[self._check(skill)]

    def dependents(self, skill: str) -> tuple[str, ...]:
        """The skills that directly require ``skill``."""
        return self._dep[self._check(skill)]

    def ancestors(self, skill: str) -> set[str]:
        """Every skill ``skill`` requires, directly or not."""
        found: set[str] = set()
        stack = list(self.prerequisites(skill))
        while stack:
            s = stack.pop()
            if s not in found:
                found.add(s)
                stack.extend(self._pre[s])
        return found

    def descendants(self, skill: str) -> set[str]:
        """Every skill that requires ``skill``, directly or not."""
        found: set[str] = set()
        stack = list(self.dependents(skill))
        while stack:
            s = stack.pop()
            if s not in found:
                found.add(s)
                stack.extend(self._dep[s])
        return found

    def edges(self) -> Iterator[tuple[str, str]]:
        """``(prerequisite, skill)`` pairs, in topological order of ``skill``."""
        for skill in self._order:
            for p in self._pre[skill]:
                yield p, skill

    def parent_matrix(self) -> npt.NDArray[np.int64]:
        """Prerequisite indices per skill (topological indices), padded with ``len(self)``.

        Index ``len(self)`` stands for a skill that is always known, so a row can be gathered from
        a state array with one extra column of ``True``.
        """
        n = len(self)
        width = max((len(p) for p in self._pre.values()), default=0)
        out = np.full((n, max(width, 1)), n, dtype=np.int64)
        for i, skill in enumerate(self._order):
            for j, p in enumerate(self._pre[skill]):
                out[i, j] = self.index[p]
        return out

    def _check(self, skill: str) -> str:
        if skill not in self._pre:
            raise InputError(self._source, f"unknown skill {skill!r}")
        return skill

    def __contains__(self, skill: object) -> bool:
        return skill in self._pre

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __repr__(self) -> str:
        return f"SkillGraph({len(self)} skills, {sum(map(len, self._pre.values()))} prerequisites)"


def parse_graph(text: str, *, source: str = "graph") -> tuple[SkillGraph, dict[str, SkillParams]]:
    """Read a ``pathways-plan-graph/1`` file: the graph and the population BKT parameters.

    Skills without parameters get the default :class:`SkillParams`.

    Example:
        >>> graph, params = parse_graph('''{"format": "pathways-plan-graph/1",
        ...   "skills": [{"id": "k0", "prerequisites": []}, {"id": "k1", "prerequisites": ["k0"]}],
        ...   "params": {"k0": {"p_init": 0.45, "p_learn": 0.2, "p_slip": 0.1, "p_guess": 0.2}}}''')
        >>> graph.skills, params["k0"].p_init, params["k1"] == SkillParams()
        (('k0', 'k1'), 0.45, True)
        >>> parse_graph('{"format": "pathways-plan-graph/1", "skills": [{"id": "k1", '
        ...             '"prerequisites": ["k9"]}]}', source="g.json")
        Traceback (most recent call last):
        ...
        pathways.engines.errors.InputError: g.json: k1 requires unknown skill(s) k9
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(source, f"not JSON: {error.msg}", line=error.lineno) from None
    if not isinstance(data, dict):
        raise InputError(source, "expected a JSON object")
    if data.get("format") != GRAPH_FORMAT:
        raise InputError(source, f"expected format {GRAPH_FORMAT!r}, got {data.get('format')!r}")
    skills = data.get("skills")
    if not isinstance(skills, list):
        raise InputError(source, "'skills' must be a list")
    prerequisites: dict[str, list[str]] = {}
    for number, entry in enumerate(skills):
        where = f"skills[{number}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
            raise InputError(source, f"{where}: expected an object with a string 'id'")
        needs = entry.get("prerequisites", [])
        if not isinstance(needs, list) or not all(isinstance(p, str) for p in needs):
            raise InputError(source, f"{where} ({entry['id']}): 'prerequisites' must be strings")
        if entry["id"] in prerequisites:
            raise InputError(source, f"{where}: skill {entry['id']} appears twice")
        prerequisites[entry["id"]] = needs
    graph = SkillGraph(prerequisites, source=source)
    raw = data.get("params", {})
    if not isinstance(raw, dict):
        raise InputError(source, "'params' must be an object")
    params = {s: SkillParams() for s in graph.skills}
    for skill, values in raw.items():
        if skill not in graph:
            raise InputError(source, f"params for unknown skill {skill}")
        params[skill] = _skill_params(values, source, skill)
    return graph, params


def _skill_params(values: Any, source: str, skill: str) -> SkillParams:
    fields = ("p_init", "p_learn", "p_slip", "p_guess", "p_forget")
    if not isinstance(values, dict) or set(values) - set(fields):
        raise InputError(source, f"params of {skill}: expected an object with keys {fields}")
    try:
        return SkillParams(**{k: float(v) for k, v in values.items()})
    except (TypeError, ValueError) as error:
        raise InputError(source, f"params of {skill}: {error}") from None


def dump_graph(graph: SkillGraph, params: Mapping[str, SkillParams]) -> str:
    """The ``pathways-plan-graph/1`` text of a graph and its parameters (``parse_graph`` reads it).

    Example:
        >>> g = SkillGraph({"a": [], "b": ["a"]})
        >>> parse_graph(dump_graph(g, {"a": SkillParams(p_init=0.5)}))[1]["a"].p_init
        0.5
    """
    skills = [{"id": s, "prerequisites": list(graph.prerequisites(s))} for s in graph.skills]
    out = {
        s: {"p_init": p.p_init, "p_learn": p.p_learn, "p_slip": p.p_slip, "p_guess": p.p_guess}
        # Forgetting only where there is some: files of models without it stay as they were.
        | ({"p_forget": p.p_forget} if p.p_forget else {})
        for s, p in params.items()
    }
    return json.dumps({"format": GRAPH_FORMAT, "skills": skills, "params": out})
