"""Why a grade is what it is: the evidence used, what each level looks like, the next step up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pathways.engines.grading._rules import (
    DEFAULT_RULE,
    GRADE_LABELS,
    Evidence,
    GradingRule,
    grade_for,
)
from pathways.engines.tracing import SkillParams, SkillState, update

__all__ = ["GradeReport", "answers_to_mastery", "explain_grade", "level_descriptors"]

MAX_LOOKAHEAD = 30


@dataclass(frozen=True)
class GradeReport:
    grade: int | None
    label: str
    reason: str
    next_step: str
    descriptors: dict[int, str]
    evidence: tuple[Evidence, ...]
    p_mastery: float
    answers_to_mastery: int | None


def level_descriptors(statement: str) -> dict[int, str]:
    """What each level looks like for one standard, in words a student can read."""
    return {
        4: f"You can do this on your own and use it in new, complex work — a project or "
        f"performance task scored 4 shows it: {statement}",
        3: f"You have shown, consistently and on your own, that you can: {statement}",
        2: f"You can do parts of this or do it with some help, with some mistakes: {statement}",
        1: f"You are beginning to learn this and need support: {statement}",
    }


def answers_to_mastery(
    params: SkillParams, state: SkillState, rule: GradingRule = DEFAULT_RULE
) -> int | None:
    """How many more correct answers in a row would reach mastery (None if more than 30).

    Example:
        >>> answers_to_mastery(SkillParams(0.3, 0.1, 0.1, 0.2), SkillState(0.5, 2, 1))
        2
    """
    steps = 0
    while not rule.mastery.is_mastered(state):
        if steps >= MAX_LOOKAHEAD:
            return None
        state = update(params, state, True)
        steps += 1
    return steps


def explain_grade(
    *,
    code: str,
    statement: str,
    params: SkillParams,
    state: SkillState,
    evidence: Sequence[Evidence],
    unmastered_prerequisites: Sequence[str] = (),
    rule: GradingRule = DEFAULT_RULE,
) -> GradeReport:
    """The grade with its reasons: which rule applied, on which evidence, and how to move up."""
    grade = grade_for(state, evidence, rule)
    p = state.p_mastery
    count = f"{state.n_evidence} piece{'s' if state.n_evidence != 1 else ''} of evidence"
    threshold = rule.mastery.threshold
    needed = answers_to_mastery(params, state, rule) if grade in (1, 2) else None
    if grade is None:
        reason = (
            f"Not graded yet: a grade needs at least {rule.min_evidence} pieces of evidence on "
            f"{code}, and there {'is' if len(evidence) == 1 else 'are'} {len(evidence)}."
        )
        next_step = (
            f"Try a few questions or an activity on {code} so your teacher can see where you are."
        )
    elif grade == 4:
        reason = (
            f"Mastered ({p:.0%} from {count}) and a performance task on {code} was scored "
            f"{rule.exceeds_rubric_level}: that is what a 4 means."
        )
        next_step = "Keep it fresh with the reviews on your path, or help a classmate with it."
    elif grade == 3:
        reason = (
            f"Mastered: the estimate is {p:.0%} from {count} (mastery needs at least "
            f"{threshold:.0%} and {rule.mastery.min_evidence} pieces of evidence)."
        )
        next_step = (
            f"To reach 4, complete a project or performance task on {code} and score 4 on its "
            f"rubric: use the skill in new, complex work."
        )
    else:
        band = (
            f"at least {rule.approaching_from:.0%} but below {threshold:.0%}"
            if grade == 2
            else f"below {rule.approaching_from:.0%}"
        )
        reason = f"The mastery estimate is {p:.0%} from {count}: {band}, so {grade}."
        if unmastered_prerequisites:
            next_step = (
                f"First strengthen {', '.join(unmastered_prerequisites)}, which {code} builds on; "
                f"then practise {code}."
            )
        elif needed is not None:
            next_step = (
                f"About {needed} more correct answer{'s' if needed != 1 else ''} "
                f"in a row on {code} "
                f"would show mastery (3). Ask for a mastery check when you feel ready."
            )
        else:
            next_step = f"Work on {code} with your teacher in a small group, then try again."
    return GradeReport(
        grade=grade,
        label=GRADE_LABELS.get(grade, "Not graded yet") if grade else "Not graded yet",
        reason=reason,
        next_step=next_step,
        descriptors=level_descriptors(statement),
        evidence=tuple(sorted(evidence, key=lambda e: e.at, reverse=True)),
        p_mastery=p,
        answers_to_mastery=needed,
    )
