"""plan_path: the platform's next steps, with reasons, the rigor guarantee and choice boards."""

from __future__ import annotations

import itertools
import random

import pytest

from pathways.engines.errors import InputError
from pathways.engines.planning import ActivityOption, SkillGraph, plan_path
from pathways.engines.planning.outlook import read_answers
from pathways.engines.tracing import SkillParams, SkillState

MASTERED = SkillState(0.99, n_evidence=6, n_correct=6)


def shown(*skills: str) -> tuple[dict[str, SkillState], list[tuple[str, bool]]]:
    """States and answers of a student who answered each skill right six times, in turn: the
    mastery engine's view (mastered) and the answers the planner reads."""
    return {s: MASTERED for s in skills}, [(s, True) for s in skills for _ in range(6)]


# A fractions strand: 4.NF.A.1 -> 4.NF.A.2 -> 4.NF.B.3 -> 4.NF.B.4, and 3.OA.A.1 -> 4.NF.B.4.
GRAPH = SkillGraph(
    {
        "3.OA.A.1": [],
        "4.NF.A.1": [],
        "4.NF.A.2": ["4.NF.A.1"],
        "4.NF.B.3": ["4.NF.A.2"],
        "4.NF.B.4": ["4.NF.B.3", "3.OA.A.1"],
    }
)
PARAMS = {s: SkillParams() for s in GRAPH}


def library() -> list[ActivityOption]:
    """Every skill has a drill, a small-group lesson and a collaborative task; some a project."""
    acts = []
    for skill in GRAPH:
        acts += [
            ActivityOption(f"{skill}-drill", skill, "Drill", "independent", 1, 10),
            ActivityOption(f"{skill}-drill2", skill, "Drill again", "independent", 1, 10),
            ActivityOption(f"{skill}-lesson", skill, "Mini-lesson", "small group", 2, 20),
            ActivityOption(
                f"{skill}-apply", skill, "Recipes", "collaborative", 3, 25, ("cooking",)
            ),
        ]
    acts += [
        ActivityOption("B3-music", "4.NF.B.3", "Fraction rhythms", "project", 4, 40, ("music",)),
        ActivityOption("B4-design", "4.NF.B.4", "Design a garden", "project", 6, 60),
        ActivityOption("A1-compare", "4.NF.A.1", "Compare models", "small group", 4, 20),
    ]
    return acts


def test_steps_are_on_ready_skills_with_reasons_naming_prerequisite_skill_and_interest() -> None:
    states, answers = shown("4.NF.A.1", "4.NF.A.2")
    path = plan_path(GRAPH, PARAMS, states, library(), answers=answers, interests=["music"])
    assert path.ready_skills == ("3.OA.A.1", "4.NF.B.3")
    assert {s.skill for s in path.steps} <= {"3.OA.A.1", "4.NF.B.3"}
    b3 = next(s for s in path.steps if s.skill == "4.NF.B.3")
    assert b3.kind == "learn"
    assert b3.activity.id == "B3-music"
    assert (
        b3.reason == "You mastered 4.NF.A.2, so you are ready for 4.NF.B.3; it prepares 4.NF.B.4; "
        "it matches your interest in music"
    )


def test_a_skill_leading_to_a_goal_comes_first_and_says_so() -> None:
    states, answers = shown("4.NF.A.1", "4.NF.A.2")
    path = plan_path(
        GRAPH, PARAMS, states, library(), answers=answers, goals=["4.NF.B.3"], max_steps=2
    )
    assert path.steps[0].skill == "4.NF.B.3"
    assert "it is one of your goals" in path.steps[0].reason
    path = plan_path(GRAPH, PARAMS, {}, library(), goals=["4.NF.B.3"], max_steps=2)
    assert path.steps[0].skill == "4.NF.A.1"
    assert "it leads to your goal 4.NF.B.3" in path.steps[0].reason


@pytest.mark.parametrize("max_steps", [1, 2, 3, 4, 6])
@pytest.mark.parametrize("mastered", [0, 1, 2, 3, 5])
def test_rigor_every_path_has_analyze_or_above_at_the_students_own_level(
    max_steps: int, mastered: int
) -> None:
    order = ["4.NF.A.1", "4.NF.A.2", "4.NF.B.3", "3.OA.A.1", "4.NF.B.4"]
    states, answers = shown(*order[:mastered])
    path = plan_path(GRAPH, PARAMS, states, library(), answers=answers, max_steps=max_steps)
    assert path.steps
    assert len(path.steps) <= max_steps
    level = set(path.ready_skills) | set(order[:mastered])
    assert all(step.skill in level for step in path.steps), "never beyond the student's level"
    assert any(step.activity.bloom >= 4 for step in path.steps)


def test_a_prerequisite_shown_by_answers_on_what_builds_on_it_is_not_taught_again() -> None:
    # Known but not yet shown: right answers on 4.NF.A.2 (not yet mastered by the rule, say its
    # evidence came late) say 4.NF.A.1 is known too; the student moves on to 4.NF.B.3.
    states = {"4.NF.A.2": SkillState(0.9, n_evidence=4, n_correct=4)}
    answers = [("4.NF.A.2", True)] * 4
    path = plan_path(GRAPH, PARAMS, states, library(), answers=answers, max_steps=2)
    assert "4.NF.B.3" in path.ready_skills
    assert [s.skill for s in path.steps] == ["3.OA.A.1", "4.NF.B.3"]
    b3 = next(s for s in path.steps if s.skill == "4.NF.B.3")
    assert b3.reason.startswith(
        "Your answers show you know 4.NF.A.2, so you are ready for 4.NF.B.3"
    )
    # Without those answers, 4.NF.A.1 is where the student starts.
    fresh = plan_path(GRAPH, PARAMS, {}, library(), max_steps=2)
    assert "4.NF.B.3" not in fresh.ready_skills
    assert "4.NF.A.1" in {s.skill for s in fresh.steps}


def test_a_student_stuck_on_a_skill_is_sent_back_to_a_prerequisite_mastered_too_early() -> None:
    # 4.NF.A.1 was declared mastered on four answers (one wrong); since then, twenty misses on
    # 4.NF.A.2, which a student who knew 4.NF.A.1 would most likely have learned by now.
    states, answers = shown("3.OA.A.1")
    states["4.NF.A.1"] = SkillState(0.96, n_evidence=4, n_correct=3)
    answers += [("4.NF.A.1", r) for r in (True, False, True, True)] + [("4.NF.A.2", False)] * 20
    path = plan_path(GRAPH, PARAMS, states, library(), answers=answers, max_steps=3)
    first = path.steps[0]
    assert (first.skill, first.kind) == ("4.NF.A.1", "revisit")
    assert first.reason == (
        "You mastered 4.NF.A.1, but your answers on 4.NF.A.2, which builds on it, suggest it "
        "needs another look first"
    )
    assert first.activity.bloom <= 2, "back to basics"
    # After a few misses only, the student carries on with 4.NF.A.2.
    early = answers[:-20] + [("4.NF.A.2", False)] * 3
    assert plan_path(GRAPH, PARAMS, states, library(), answers=early).steps[0].skill == "4.NF.A.2"


@pytest.mark.parametrize("seed", range(20))
def test_whatever_the_answers_no_step_is_beyond_what_the_student_mastered_or_showed(
    seed: int,
) -> None:
    rng = random.Random(seed)
    skills = list(GRAPH)
    answers = [(rng.choice(skills), rng.random() < 0.6) for _ in range(rng.randrange(40))]
    states = {s: MASTERED for s in skills if rng.random() < 0.3}
    path = plan_path(GRAPH, PARAMS, states, library(), answers=answers, max_steps=4)
    outlook = read_answers(GRAPH, PARAMS, answers)
    at_hand = set(states) | {s for s in GRAPH if outlook.shown(GRAPH, s)}
    for step in path.steps:
        if step.kind in ("review", "revisit"):
            assert step.skill in states
        else:
            assert step.skill in states or set(GRAPH.prerequisites(step.skill)) <= at_hand


def test_a_student_far_behind_gets_higher_order_work_on_a_skill_they_are_ready_for() -> None:
    # Behind: nothing mastered, shaky on everything; the only analyze task at their level is on
    # 4.NF.A.1 (the projects on 4.NF.B.3 and 4.NF.B.4 are beyond them).
    states = {s: SkillState(0.3, n_evidence=8, n_correct=2) for s in GRAPH}
    answers = [(s, right) for s in GRAPH for right in [True, False, False, True] + [False] * 4]
    path = plan_path(GRAPH, PARAMS, states, library(), answers=answers, max_steps=3)
    stretch = [s for s in path.steps if s.activity.bloom >= 4]
    assert [s.activity.id for s in stretch] == ["A1-compare"]
    assert stretch[0].skill in path.ready_skills
    assert not {"4.NF.B.3", "4.NF.B.4"} & {s.skill for s in path.steps}


def test_without_higher_order_work_at_the_level_the_path_says_so() -> None:
    acts = [a for a in library() if a.bloom < 4]
    path = plan_path(GRAPH, PARAMS, {}, acts)
    assert path.steps
    assert path.notes == ("no analyze-or-above activity in the library at this student's level",)


def test_choice_board_options_differ_pairwise_in_modality_or_bloom_and_have_reasons() -> None:
    states, answers = shown("4.NF.A.1", "4.NF.A.2")
    path = plan_path(GRAPH, PARAMS, states, library(), answers=answers, interests=["cooking"])
    assert 2 <= len(path.choices) <= 4
    assert all(c.skill == path.steps[0].skill for c in path.choices)
    assert path.choices[0] == path.steps[0].activity
    for a, b in itertools.combinations(path.choices, 2):
        assert (a.modality, a.bloom) != (b.modality, b.bloom), "never the same task reordered"
    assert len(path.choice_reasons) == len(path.choices)
    assert any("interest in cooking" in r for r in path.choice_reasons)


def test_a_board_without_two_distinct_options_is_reported() -> None:
    acts = [
        ActivityOption("x", "4.NF.A.1", "Drill", "independent", 1, 10),
        ActivityOption("y", "4.NF.A.1", "Drill (shuffled)", "independent", 1, 10),
    ]
    path = plan_path(SkillGraph({"4.NF.A.1": []}), {}, {}, acts, max_steps=1)
    assert [c.id for c in path.choices] == ["x"], "the shuffled copy is not a second option"
    assert "fewer than two distinct activities in the library for 4.NF.A.1" in path.notes


def test_a_due_review_of_a_mastered_skill_joins_the_path() -> None:
    states, answers = shown("4.NF.A.1")
    path = plan_path(
        GRAPH, PARAMS, states, library(), answers=answers, reviews=["4.NF.A.1", "4.NF.B.4"]
    )
    reviews = [s for s in path.steps if s.kind == "review"]
    assert [s.skill for s in reviews] == ["4.NF.A.1"], "only mastered skills come back for review"
    assert reviews[0].reason.startswith("You mastered 4.NF.A.1")


def test_when_everything_is_mastered_the_path_deepens_a_mastered_skill() -> None:
    states, answers = shown(*GRAPH)
    path = plan_path(GRAPH, PARAMS, states, library(), answers=answers)
    assert path.ready_skills == ()
    assert [s.kind for s in path.steps] == ["stretch"]
    assert path.steps[0].activity.bloom >= 4


def test_activities_outside_the_graph_are_ignored_and_bad_ones_refused() -> None:
    other = ActivityOption("o", "HS.A.1", "Algebra", "project", 5, 30)
    path = plan_path(GRAPH, PARAMS, {}, [*library(), other])
    assert "o" not in {s.activity.id for s in path.steps}
    with pytest.raises(InputError, match="activity bad: bloom"):
        ActivityOption("bad", "4.NF.A.1", "?", "independent", 0, 10)


def test_a_revisit_names_the_skills_the_student_is_stuck_on() -> None:
    graph = SkillGraph({"a": [], "b": ["a"], "c": ["a"]})
    params = {s: SkillParams() for s in graph}
    states = {"a": SkillState(0.96, n_evidence=4, n_correct=3)}
    answers = [("a", r) for r in (True, False, True, True)]
    answers += [(s, False) for _ in range(12) for s in ("b", "c")]
    acts = [ActivityOption(f"{s}-{m}", s, "Task", m, 2, 10) for s in graph for m in ("x", "y")]
    path = plan_path(graph, params, states, acts, answers=answers, max_steps=2)
    assert (path.steps[0].skill, path.steps[0].kind) == ("a", "revisit")
    assert path.steps[0].reason == (
        "You mastered a, but your answers on b, c, which build on it, suggest it needs another "
        "look first"
    )
