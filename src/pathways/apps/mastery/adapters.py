"""Rows <-> engine values: the only place where mastery models and the tracing engine meet."""

from __future__ import annotations

from collections.abc import Iterable

from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.models import MasteryEstimate, SkillParameters
from pathways.engines.tracing import SkillParams, SkillState

# Population defaults until a standard is calibrated from the district's own evidence.
DEFAULT_PARAMS = SkillParams(p_init=0.25, p_learn=0.12, p_slip=0.10, p_guess=0.20)

# How much one piece of evidence weighs in the update (likelihood exponent), by kind.
EVIDENCE_STRENGTH = {
    Evidence.Kind.ITEM_RESPONSE: 1.0,
    Evidence.Kind.EXIT_TICKET: 1.0,
    Evidence.Kind.MASTERY_CHECK: 1.5,
    Evidence.Kind.RUBRIC: 2.0,
}
# A rubric level as the probability that the work came from a student who knows the standard.
RUBRIC_SCORE = {1: 0.0, 2: 0.35, 3: 0.8, 4: 1.0}


def params_for(standard_ids: Iterable[int]) -> dict[int, SkillParams]:
    ids = list(standard_ids)
    found = {
        row.standard_id: SkillParams(
            p_init=row.p_init,
            p_learn=row.p_learn,
            p_slip=row.p_slip,
            p_guess=row.p_guess,
            p_forget=row.p_forget,
        )
        for row in SkillParameters.objects.filter(standard_id__in=ids)
    }
    return {sid: found.get(sid, DEFAULT_PARAMS) for sid in ids}


def to_state(estimate: MasteryEstimate | None, params: SkillParams) -> SkillState:
    if estimate is None:
        return SkillState.prior(params)
    return SkillState(
        p_mastery=estimate.p_mastery,
        n_evidence=estimate.n_evidence,
        n_correct=estimate.n_correct,
    )


def observation(kind: str, correct: bool | None, rubric_level: int | None) -> tuple[float, float]:
    """(score in [0, 1], strength) of one piece of evidence for the engine's update."""
    strength = EVIDENCE_STRENGTH[Evidence.Kind(kind)]
    if rubric_level is not None:
        return RUBRIC_SCORE[rubric_level], strength
    if correct is None:
        raise ValueError("evidence needs either a correct/incorrect outcome or a rubric level")
    return (1.0 if correct else 0.0), strength
