"""Grades 1-4: one rule per level, and every grade explains itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pathways.engines.grading import (
    Evidence,
    GradingRule,
    answers_to_mastery,
    explain_grade,
    grade_for,
    replay,
)
from pathways.engines.tracing import SkillParams, SkillState

PARAMS = SkillParams(p_init=0.3, p_learn=0.1, p_slip=0.1, p_guess=0.2)
START = datetime(2026, 9, 1, tzinfo=UTC)


def answers(*results: bool) -> list[Evidence]:
    return [
        Evidence(START + timedelta(days=i), "item_response", 1.0 if r else 0.0)
        for i, r in enumerate(results)
    ]


def state_after(evidence: list[Evidence]) -> SkillState:
    return replay(PARAMS, evidence)[-1]


def test_one_answer_is_not_enough_to_grade() -> None:
    evidence = answers(True)
    assert grade_for(state_after(evidence), evidence) is None


def test_mostly_wrong_answers_give_a_1() -> None:
    evidence = answers(False, False, True, False)
    assert grade_for(state_after(evidence), evidence) == 1


def test_a_run_of_right_answers_after_mistakes_gives_a_2_then_a_3() -> None:
    evidence = answers(False, True, True)
    assert grade_for(state_after(evidence), evidence) == 2
    evidence = answers(False, True, True, True, True)
    assert grade_for(state_after(evidence), evidence) == 3


def test_a_4_needs_a_top_rubric_score_on_top_of_mastery() -> None:
    mastered = answers(True, True, True, True, True)
    project = Evidence(START + timedelta(days=9), "rubric", 1.0, strength=2.0, rubric_level=4)
    assert grade_for(state_after(mastered), mastered) == 3
    assert grade_for(state_after([*mastered, project]), [*mastered, project]) == 4


def test_a_top_rubric_score_alone_does_not_make_a_4() -> None:
    weak = [*answers(False, False, False), Evidence(START, "rubric", 1.0, 2.0, rubric_level=4)]
    assert grade_for(state_after(weak), weak) != 4


def test_grades_never_go_down_with_more_right_answers() -> None:
    results: list[bool] = [False, False]
    previous = 0
    for _ in range(10):
        results.append(True)
        evidence = answers(*results)
        grade = grade_for(state_after(evidence), evidence) or 0
        assert grade >= previous
        previous = grade


def test_explanation_names_the_rule_the_evidence_and_the_next_step() -> None:
    evidence = answers(False, True, True)
    report = explain_grade(
        code="4.NF.A.1",
        statement="Explain why fractions are equivalent.",
        params=PARAMS,
        state=state_after(evidence),
        evidence=evidence,
    )
    assert report.grade == 2
    assert "from 3 pieces of evidence" in report.reason
    assert "more correct answer" in report.next_step
    assert report.answers_to_mastery
    assert report.answers_to_mastery > 0
    assert set(report.descriptors) == {1, 2, 3, 4}
    assert "Explain why fractions are equivalent." in report.descriptors[4]
    assert report.evidence[0].at > report.evidence[-1].at  # newest first


def test_next_step_points_to_a_missing_prerequisite_first() -> None:
    evidence = answers(False, False, False)
    report = explain_grade(
        code="5.NF.A.1",
        statement="Add fractions.",
        params=PARAMS,
        state=state_after(evidence),
        evidence=evidence,
        unmastered_prerequisites=["4.NF.B.3"],
    )
    assert report.grade == 1
    assert report.next_step.startswith("First strengthen 4.NF.B.3")


def test_a_3_is_told_what_a_4_takes() -> None:
    evidence = answers(True, True, True, True, True)
    report = explain_grade(
        code="X.1", statement="s", params=PARAMS, state=state_after(evidence), evidence=evidence
    )
    assert report.grade == 3
    assert "score 4" in report.next_step


@pytest.mark.parametrize("p", [0.3, 0.6, 0.9])
def test_answers_to_mastery_is_exactly_the_number_of_updates_needed(p: float) -> None:
    state = SkillState(p, 3, 2)
    needed = answers_to_mastery(PARAMS, state)
    assert needed is not None
    from pathways.engines.tracing import update

    for _ in range(needed - 1):
        state = update(PARAMS, state, True)
    assert not GradingRule().mastery.is_mastered(state)
    assert GradingRule().mastery.is_mastered(update(PARAMS, state, True))
