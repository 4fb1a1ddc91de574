"""The online BKT step the platform calls on every piece of evidence."""

import pytest

from pathways.engines.tracing import MasteryRule, SkillParams, SkillState, p_correct, update

PARAMS = SkillParams(p_init=0.3, p_learn=0.1, p_slip=0.1, p_guess=0.2)


def test_correct_answer_raises_belief_and_wrong_answer_lowers_it() -> None:
    prior = SkillState.prior(PARAMS)
    assert update(PARAMS, prior, True).p_mastery > prior.p_mastery
    # Learning can still lift belief after a wrong answer, but never above the prior's learn step.
    assert update(PARAMS, prior, False).p_mastery < prior.p_mastery


def test_posterior_matches_bayes_rule_by_hand() -> None:
    after = update(PARAMS, SkillState(p_mastery=0.3), True)
    posterior = 0.3 * 0.9 / (0.3 * 0.9 + 0.7 * 0.2)
    assert after.p_mastery == pytest.approx(posterior + (1 - posterior) * 0.1)


def test_graded_evidence_lies_between_wrong_and_right() -> None:
    prior = SkillState.prior(PARAMS)
    wrong, half, right = (update(PARAMS, prior, s).p_mastery for s in (0.0, 0.5, 1.0))
    assert wrong < half < right


def test_stronger_evidence_moves_belief_further() -> None:
    prior = SkillState.prior(PARAMS)
    assert update(PARAMS, prior, True, strength=3).p_mastery > update(PARAMS, prior, True).p_mastery


def test_forgetting_pulls_a_certain_belief_down() -> None:
    forgetful = SkillParams(p_init=0.3, p_learn=0.1, p_slip=0.1, p_guess=0.2, p_forget=0.05)
    assert update(forgetful, SkillState(1.0), True).p_mastery == pytest.approx(0.95)


def test_a_long_run_of_right_answers_never_makes_the_belief_unrevisable() -> None:
    # In float64 about 40 right answers round P(known) to 1.0, after which Bayes' rule could
    # never lower it again: wrong answers must still count after any run of right ones.
    state = SkillState.prior(PARAMS)
    for _ in range(200):
        state = update(PARAMS, state, True)
    assert state.p_mastery < 1.0
    for _ in range(25):
        state = update(PARAMS, state, False)
    assert state.p_mastery < MasteryRule().threshold


def test_p_correct_mixes_slip_and_guess() -> None:
    assert p_correct(PARAMS, SkillState(1.0)) == pytest.approx(0.9)
    assert p_correct(PARAMS, SkillState(0.0)) == pytest.approx(0.2)


@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_rejects_scores_outside_unit_interval(bad: float) -> None:
    with pytest.raises(ValueError, match="probability"):
        update(PARAMS, SkillState(0.5), bad)


def test_mastery_needs_both_confidence_and_enough_evidence() -> None:
    rule = MasteryRule(threshold=0.95, min_evidence=3)
    assert not rule.is_mastered(SkillState(0.99, n_evidence=2))
    assert not rule.is_mastered(SkillState(0.90, n_evidence=10))
    assert rule.is_mastered(SkillState(0.95, n_evidence=3))
