"""Which skills a student is ready to learn: prerequisites mastered, skill not yet.

Mastery is decided by the mastery engine's :class:`MasteryRule` (a confident posterior backed by
enough evidence). A skill with no state yet is not mastered.
"""

from __future__ import annotations

from collections.abc import Mapping

from pathways.engines.planning.graph import SkillGraph
from pathways.engines.tracing import MasteryRule, SkillState

__all__ = ["DEFAULT_RULE", "mastered_skills", "ready_to_learn"]

#: The mastery engine's default rule: posterior >= 0.95 with at least 3 pieces of evidence.
DEFAULT_RULE = MasteryRule()


def mastered_skills(
    graph: SkillGraph, states: Mapping[str, SkillState], rule: MasteryRule = DEFAULT_RULE
) -> tuple[str, ...]:
    """The skills of ``graph`` the student has mastered, in topological order.

    Example:
        >>> g = SkillGraph({"a": [], "b": ["a"]})
        >>> mastered_skills(g, {"a": SkillState(0.97, n_evidence=4), "b": SkillState(0.97)})
        ('a',)
    """
    return tuple(s for s in graph.skills if s in states and rule.is_mastered(states[s]))


def ready_to_learn(
    graph: SkillGraph, states: Mapping[str, SkillState], rule: MasteryRule = DEFAULT_RULE
) -> tuple[str, ...]:
    """Skills not mastered whose prerequisites are all mastered, prerequisites first.

    Example:
        >>> g = SkillGraph({"a": [], "b": ["a"], "c": ["b"], "d": []})
        >>> ready_to_learn(g, {"a": SkillState(0.99, n_evidence=5)})
        ('b', 'd')
        >>> ready_to_learn(g, {})
        ('a', 'd')
    """
    mastered = set(mastered_skills(graph, states, rule))
    return tuple(
        s
        for s in graph.skills
        if s not in mastered and all(p in mastered for p in graph.prerequisites(s))
    )
