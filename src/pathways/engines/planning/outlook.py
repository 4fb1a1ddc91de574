"""One student's answers read by the planner: what each skill is worth practising now.

The platform's path (:func:`~pathways.engines.planning.path.plan_path`) ranks skills with the same
:class:`~pathways.engines.planning.gain.GainPlanner` the simulation benchmark measures: the
student's answers, in order, update its prerequisite-aware belief (individual learn rate,
evidence from a skill about its prerequisites, a fallible graph), and each skill's value is the
expected learning of one opportunity on it now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from pathways.engines.errors import InputError
from pathways.engines.planning.gain import GainPlanner
from pathways.engines.planning.graph import SkillGraph
from pathways.engines.tracing import SkillParams

__all__ = ["Outlook", "read_answers"]

#: A skill's belief counts as shown, for the skills that build on it, from this P(known) on,
#: when answers on it or on the skills that build on it back it; a mastered skill whose belief
#: has fallen below it comes back for another look. (Right answers on a dependent lift a
#: prerequisite to at most 1 - the planner's ``edge_error``, 0.9: a stated edge may be wrong,
#: so the mastery rule's 0.95 cannot be reached that way.)
SHOWN_BELIEF = 0.8


@dataclass(frozen=True)
class Outlook:
    """The planner's view of one student after their answers."""

    value: Mapping[str, float]  # expected learning from one opportunity now, per skill
    known: Mapping[str, float]  # P(known now), per skill
    answered: Mapping[str, int]  # answers on each skill (skills without answers are absent)
    wrong_since: Mapping[str, int]  # wrong answers on each skill since its last right one

    def evidenced(self, graph: SkillGraph, skill: str) -> bool:
        """Whether answers on ``skill`` or on a skill that builds on it inform its belief."""
        return skill in self.answered or any(d in self.answered for d in graph.descendants(skill))

    def shown(self, graph: SkillGraph, skill: str) -> bool:
        """Believed known from the student's answers (not from the population's prior)."""
        return self.known[skill] >= SHOWN_BELIEF and self.evidenced(graph, skill)


def read_answers(
    graph: SkillGraph,
    params: Mapping[str, SkillParams],
    answers: Sequence[tuple[str, bool]],
    *,
    p_init_meaning: str = "conditional",
) -> Outlook:
    """Replay one student's answers, oldest first, through a :class:`GainPlanner`.

    ``answers`` holds (skill, right) pairs; skills outside ``graph`` are refused. Where
    ``params`` lacks a skill the planner's defaults apply. ``p_init_meaning`` as in
    :class:`GainPlanner`; "conditional" by default, as the platform's mastery engine calibrates
    ``p_init`` on each student's first evidence on the skill.

    Example:
        >>> graph = SkillGraph({"a": [], "b": ["a"]})
        >>> params = {"a": SkillParams(p_init=0.5), "b": SkillParams(p_init=0.3)}
        >>> before = read_answers(graph, params, [])
        >>> after = read_answers(graph, params, [("b", True)] * 4)
        >>> before.known["a"] < 0.6 < after.known["a"], after.shown(graph, "a")
        (True, True)
    """
    planner = GainPlanner(graph, params, p_init_meaning=p_init_meaning)
    planner.add_students(1)
    one = np.zeros(1, dtype=np.int64)
    answered: dict[str, int] = {}
    wrong_since: dict[str, int] = {}
    # Round r holds each skill's r-th answer: answers on different skills commute in the
    # planner, so a year of answers takes as many calls as the most-answered skill has answers.
    rounds: list[tuple[list[int], list[bool]]] = []
    for position, (skill, right) in enumerate(answers, start=1):
        if skill not in graph:
            raise InputError(f"answer {position}", f"skill {skill!r} is not in the graph")
        r = answered.get(skill, 0)
        if r == len(rounds):
            rounds.append(([], []))
        rounds[r][0].append(graph.index[skill])
        rounds[r][1].append(bool(right))
        answered[skill] = r + 1
        wrong_since[skill] = 0 if right else wrong_since.get(skill, 0) + 1
    for skills, rights in rounds:
        planner.observe(np.zeros(len(skills), dtype=np.int64), np.array(skills), np.array(rights))
    values, beliefs = planner.values_and_known(one)
    value, known = values[0], beliefs[0]
    return Outlook(
        value={s: float(value[i]) for i, s in enumerate(graph.skills)},
        known={s: float(known[i]) for i, s in enumerate(graph.skills)},
        answered=answered,
        wrong_since=wrong_since,
    )
