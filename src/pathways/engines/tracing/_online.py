"""One evidence step of Bayesian Knowledge Tracing: a pure, constant-time posterior update.

The platform calls :func:`update` on every answer, exit ticket and rubric score; batch models
(``BKT`` and stronger ones) are fitted offline and hand their per-skill parameters here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["MasteryRule", "SkillParams", "SkillState", "p_correct", "update"]

# The belief is kept strictly inside (0, 1). In float64, about 40 right answers in a row round
# P(known) to exactly 1.0, and from then on no wrong answer could ever lower it (Bayes' rule
# cannot move a certainty). Stopping a hair short of certainty keeps every belief revisable.
_NEAR_CERTAIN = 1e-15


@dataclass(frozen=True)
class SkillParams:
    """Four-parameter BKT for one skill, plus an optional forgetting rate.

    ``p_init``: P(known before the first opportunity); ``p_learn``: P(unknown -> known) after an
    opportunity; ``p_slip``: P(wrong | known); ``p_guess``: P(right | unknown); ``p_forget``:
    P(known -> unknown) after an opportunity (0 in standard BKT).
    """

    p_init: float = 0.3
    p_learn: float = 0.15
    p_slip: float = 0.1
    p_guess: float = 0.2
    p_forget: float = 0.0

    def __post_init__(self) -> None:
        for name in ("p_init", "p_learn", "p_slip", "p_guess", "p_forget"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], got {value!r}")


@dataclass(frozen=True)
class SkillState:
    """What we believe about one student on one skill after the evidence so far."""

    p_mastery: float
    n_evidence: int = 0
    n_correct: int = 0

    @classmethod
    def prior(cls, params: SkillParams) -> SkillState:
        return cls(p_mastery=params.p_init)


def p_correct(params: SkillParams, state: SkillState) -> float:
    """Probability that the next response is correct, given the current belief.

    Example:
        >>> round(p_correct(SkillParams(p_init=0.5, p_slip=0.1, p_guess=0.2), SkillState(0.5)), 3)
        0.55
    """
    known = state.p_mastery
    return known * (1.0 - params.p_slip) + (1.0 - known) * params.p_guess


def update(
    params: SkillParams, state: SkillState, correct: bool | float, *, strength: float = 1.0
) -> SkillState:
    """Posterior after one piece of evidence, then the learning (and forgetting) transition.

    ``correct`` is a bool for scored answers, or a probability in [0, 1] for graded evidence (a
    rubric level turned into how likely it is to come from a student who knows the skill).
    ``strength`` scales how much one piece of evidence weighs: 1 for an item, more for a
    performance task scored on a rubric (likelihoods are raised to that power).

    Example:
        >>> params = SkillParams(p_init=0.3, p_learn=0.1, p_slip=0.1, p_guess=0.2)
        >>> after = update(params, SkillState.prior(params), True)
        >>> round(after.p_mastery, 4), after.n_evidence, after.n_correct
        (0.6927, 1, 1)
    """
    score = float(correct)
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"correct must be a bool or a probability in [0, 1], got {correct!r}")
    if strength <= 0:
        raise ValueError(f"strength must be positive, got {strength!r}")
    known = state.p_mastery
    # Likelihood of the observation under "known" and "unknown"; a graded score mixes both.
    like_known = score * (1.0 - params.p_slip) + (1.0 - score) * params.p_slip
    like_unknown = score * params.p_guess + (1.0 - score) * (1.0 - params.p_guess)
    if strength != 1.0:
        like_known **= strength
        like_unknown **= strength
    evidence = known * like_known + (1.0 - known) * like_unknown
    posterior = known * like_known / evidence if evidence > 0.0 else known
    after = posterior * (1.0 - params.p_forget) + (1.0 - posterior) * params.p_learn
    return replace(
        state,
        p_mastery=min(max(after, _NEAR_CERTAIN), 1.0 - _NEAR_CERTAIN),
        n_evidence=state.n_evidence + 1,
        n_correct=state.n_correct + (1 if score >= 0.5 else 0),
    )


@dataclass(frozen=True)
class MasteryRule:
    """When a standard counts as mastered: a confident posterior backed by enough evidence.

    Example:
        >>> MasteryRule().is_mastered(SkillState(p_mastery=0.97, n_evidence=4, n_correct=4))
        True
        >>> MasteryRule().is_mastered(SkillState(p_mastery=0.97, n_evidence=1, n_correct=1))
        False
    """

    threshold: float = 0.95
    min_evidence: int = 3

    def is_mastered(self, state: SkillState) -> bool:
        return state.p_mastery >= self.threshold and state.n_evidence >= self.min_evidence
