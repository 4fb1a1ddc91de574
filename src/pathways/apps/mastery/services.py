"""Writes to mastery: one update per piece of evidence, and a full replay from the evidence log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery import adapters
from pathways.apps.mastery.models import MasteryEstimate
from pathways.engines.tracing import MasteryRule, SkillState, update

MASTERY_RULE = MasteryRule(threshold=0.95, min_evidence=3)


def apply_evidence(evidence: Evidence) -> MasteryEstimate:
    """Update the student's mastery of the evidence's standard; call inside its transaction."""
    params = adapters.params_for([evidence.standard_id])[evidence.standard_id]
    estimate = (
        MasteryEstimate.objects.select_for_update()
        .filter(student_id=evidence.student_id, standard_id=evidence.standard_id)
        .first()
    )
    score, strength = adapters.observation(evidence.kind, evidence.correct, evidence.rubric_level)
    state = update(params, adapters.to_state(estimate, params), score, strength=strength)
    if estimate is None:
        estimate = MasteryEstimate(student_id=evidence.student_id, standard_id=evidence.standard_id)
    _copy_state(estimate, state, evidence.occurred_at)
    estimate.save()
    return estimate


def _copy_state(estimate: MasteryEstimate, state: SkillState, at: datetime) -> None:
    estimate.p_mastery = state.p_mastery
    estimate.n_evidence = state.n_evidence
    estimate.n_correct = state.n_correct
    estimate.last_evidence_at = at
    if MASTERY_RULE.is_mastered(state):
        estimate.mastered_at = estimate.mastered_at or at
    else:
        estimate.mastered_at = None


@transaction.atomic
def replay_mastery(student_ids: Iterable[int] | None = None) -> int:
    """Recompute estimates from the whole evidence log (after recalibration or a bulk import).

    Returns the number of estimates written. Runs in one transaction: readers see the old
    estimates until the new ones are complete.
    """
    evidence = Evidence.objects.order_by("student_id", "standard_id", "occurred_at", "recorded_at")
    estimates = MasteryEstimate.objects.all()
    if student_ids is not None:
        ids = list(student_ids)
        evidence = evidence.filter(student_id__in=ids)
        estimates = estimates.filter(student_id__in=ids)
    rows = list(
        evidence.values_list(
            "student_id", "standard_id", "kind", "correct", "rubric_level", "occurred_at"
        )
    )
    params = adapters.params_for({row[1] for row in rows})
    built: dict[tuple[int, int], MasteryEstimate] = {}
    states: dict[tuple[int, int], SkillState] = {}
    for student_id, standard_id, kind, correct, rubric_level, occurred_at in rows:
        key = (student_id, standard_id)
        skill = params[standard_id]
        score, strength = adapters.observation(kind, correct, rubric_level)
        state = update(skill, states.get(key, SkillState.prior(skill)), score, strength=strength)
        states[key] = state
        estimate = built.setdefault(
            key, MasteryEstimate(student_id=student_id, standard_id=standard_id)
        )
        _copy_state(estimate, state, occurred_at)
    estimates.delete()
    MasteryEstimate.objects.bulk_create(built.values(), batch_size=2000)
    return len(built)
