"""The grading rule: evidence and mastery -> a standards-based grade from 1 to 4.

The rule is deliberately simple enough to say in one sentence per level, because students must be
able to tell why they got a grade and what a 4 looks like (see docs/engines/grading.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pathways.engines.tracing import MasteryRule, SkillParams, SkillState, update

__all__ = [
    "GRADE_LABELS",
    "Evidence",
    "GradingRule",
    "grade_for",
    "grade_from_summary",
    "replay",
]

GRADE_LABELS = {
    1: "Beginning",
    2: "Approaching",
    3: "Meets the standard",
    4: "Exceeds the standard",
}


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence as the grading rule sees it.

    ``score`` is in [0, 1] (1 = correct, or rubric level 4), ``strength`` the weight the mastery
    engine gives it, ``rubric_level`` is set for rubric-scored work.
    """

    at: datetime
    kind: str
    score: float
    strength: float = 1.0
    rubric_level: int | None = None
    label: str = ""


@dataclass(frozen=True)
class GradingRule:
    """The thresholds of the rule, all in one place.

    Example:
        >>> rule = GradingRule()
        >>> rule.approaching_from, rule.mastery.threshold, rule.min_evidence
        (0.6, 0.95, 2)
    """

    mastery: MasteryRule = field(default_factory=MasteryRule)
    approaching_from: float = 0.6
    min_evidence: int = 2
    exceeds_rubric_level: int = 4


DEFAULT_RULE = GradingRule()


def replay(params: SkillParams, evidence: Sequence[Evidence]) -> list[SkillState]:
    """The mastery estimate after each piece of evidence, oldest first (for charts and grading)."""
    states, state = [], SkillState.prior(params)
    for piece in sorted(evidence, key=lambda e: e.at):
        state = update(params, state, piece.score, strength=piece.strength)
        states.append(state)
    return states


def grade_for(
    state: SkillState, evidence: Sequence[Evidence], rule: GradingRule = DEFAULT_RULE
) -> int | None:
    """The grade the rule gives, or None when there is not enough evidence to grade.

    4: mastered, and a performance task on the standard scored at the top rubric level.
    3: mastered (the mastery rule: confident estimate backed by enough evidence).
    2: estimate at least ``approaching_from``.
    1: some evidence, estimate below that.

    Example:
        >>> from datetime import datetime, UTC
        >>> now = datetime(2026, 11, 2, tzinfo=UTC)
        >>> grade_for(SkillState(0.97, 5, 5), [Evidence(now, "item_response", 1.0)] * 5)
        3
        >>> grade_for(SkillState(0.7, 1, 1), [Evidence(now, "item_response", 1.0)])
    """
    top_task = any(
        e.rubric_level is not None and e.rubric_level >= rule.exceeds_rubric_level for e in evidence
    )
    return grade_from_summary(state, n_evidence=len(evidence), top_task=top_task, rule=rule)


def grade_from_summary(
    state: SkillState, *, n_evidence: int, top_task: bool, rule: GradingRule = DEFAULT_RULE
) -> int | None:
    """The same rule from a summary (count of evidence, whether a top rubric score exists).

    Lets a page grade a whole school without loading every piece of evidence.

    Example:
        >>> grade_from_summary(SkillState(0.97, 5, 5), n_evidence=5, top_task=True)
        4
    """
    if state.n_evidence < rule.min_evidence or n_evidence < rule.min_evidence:
        return None
    if rule.mastery.is_mastered(state):
        return 4 if top_task else 3
    return 2 if state.p_mastery >= rule.approaching_from else 1
