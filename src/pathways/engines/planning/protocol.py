"""The JSON-lines codec behind ``pathways plan serve`` (protocol ``specs/planner-protocol.md``).

One request per line: ``{"observations": [{"student", "skill", "correct"}...], "ask": [...]}``;
one answer per line: ``{"next": {student: skill or null}}``, or ``{"error": "..."}`` for a
malformed line, in which case nothing of that line is applied.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from pathways.engines.planning.gain import GainPlanner
from pathways.engines.planning.graph import SkillGraph
from pathways.engines.planning.policies import Planner
from pathways.engines.tracing import SkillParams

__all__ = ["PlanServer", "RequestError"]


class RequestError(ValueError):
    """A request line that does not follow the protocol (its text is the answer's error)."""


class PlanServer:
    """Answers protocol lines for a growing set of students, with one planner for them all.

    Example:
        >>> graph = SkillGraph({"k0": [], "k1": ["k0"]})
        >>> server = PlanServer(graph, {"k0": SkillParams(p_init=0.45), "k1": SkillParams(0.2)})
        >>> server.handle('{"observations": [], "ask": ["s1"]}')
        '{"next": {"s1": "k0"}}'
        >>> server.handle('{"ask": "s1"}')
        '{"error": "\\'ask\\' must be a list of student ids"}'
    """

    def __init__(
        self,
        graph: SkillGraph,
        params: Mapping[str, SkillParams],
        planner: Callable[[SkillGraph, Mapping[str, SkillParams]], Planner] = GainPlanner,
    ) -> None:
        self.graph = graph
        self.planner = planner(graph, params)
        self.slots: dict[str, int] = {}

    def handle(self, line: str) -> str:
        """The answer line for one request line (never raises on bad input)."""
        try:
            observations, ask = self.parse(line)
        except RequestError as error:
            return json.dumps({"error": str(error)})
        return json.dumps({"next": self.answer(observations, ask)})

    def parse(self, line: str) -> tuple[list[tuple[str, int, bool]], list[str]]:
        """Observations as ``(student, skill index, correct)`` and the students asked."""
        try:
            request = json.loads(line)
        except json.JSONDecodeError as error:
            raise RequestError(f"not JSON: {error.msg} (column {error.colno})") from None
        if not isinstance(request, dict):
            raise RequestError("a request must be a JSON object")
        # Other fields (a simulator's own bookkeeping) are ignored.
        raw = request.get("observations", [])
        if not isinstance(raw, list):
            raise RequestError("'observations' must be a list")
        observations = []
        index = self.graph.index
        for number, item in enumerate(raw):
            # The usual well-formed observation is checked inline (thousands per request);
            # anything else goes through ``_observation`` for its precise error.
            if type(item) is dict:
                student, skill, correct = (
                    item.get("student"),
                    item.get("skill"),
                    item.get("correct"),
                )
                if type(student) is str and student and type(correct) is bool:
                    k = index.get(skill) if type(skill) is str else None
                    if k is not None:
                        observations.append((student, k, correct))
                        continue
            observations.append(self._observation(number, item))
        ask = request.get("ask", [])
        if not isinstance(ask, list) or not all(isinstance(s, str) and s for s in ask):
            raise RequestError("'ask' must be a list of student ids")
        return observations, ask

    def _observation(self, number: int, item: Any) -> tuple[str, int, bool]:
        where = f"observations[{number}]"
        if not isinstance(item, dict):
            raise RequestError(f"{where}: expected an object")
        student, skill, correct = item.get("student"), item.get("skill"), item.get("correct")
        if not isinstance(student, str) or not student:
            raise RequestError(f"{where}: 'student' must be a non-empty string")
        if not isinstance(skill, str) or skill not in self.graph:
            raise RequestError(f"{where}: unknown skill {skill!r}")
        if not isinstance(correct, bool):
            raise RequestError(f"{where}: 'correct' must be true or false")
        return student, self.graph.index[skill], correct

    def answer(
        self, observations: list[tuple[str, int, bool]], ask: list[str]
    ) -> dict[str, str | None]:
        """Apply the observations in order, then choose for every student asked."""
        slots = self.slots
        students = [o[0] for o in observations]
        new = [s for s in dict.fromkeys([*students, *ask]) if s not in slots]
        if new:
            start = len(slots)
            slots.update({s: start + i for i, s in enumerate(new)})
            self.planner.add_students(len(new))
        if len(set(students)) == len(students):  # the usual request: one answer each
            rounds = [[(slots[s], k, c) for s, k, c in observations]] if observations else []
        else:
            # Rounds in which each student appears once keep every student's own order.
            rounds = []
            seen: dict[str, int] = {}
            for student, skill, correct in observations:
                r = seen.get(student, 0)
                seen[student] = r + 1
                if r == len(rounds):
                    rounds.append([])
                rounds[r].append((slots[student], skill, correct))
        for batch in rounds:
            columns = np.array(batch, dtype=np.int64).T
            self.planner.observe(columns[0], columns[1], columns[2].astype(bool))
        if not ask:
            return {}
        chosen = self.planner.choose(np.array([slots[s] for s in ask], dtype=np.int64))
        skills = self.graph.skills
        return {
            s: (skills[k] if k >= 0 else None) for s, k in zip(ask, chosen.tolist(), strict=True)
        }
