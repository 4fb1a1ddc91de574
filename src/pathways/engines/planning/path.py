"""A student's next steps: ready skills, due reviews, activities, rigor and a choice board.

:func:`plan_path` is the pure function the platform calls. It never proposes a skill beyond the
student's level: each step is on a skill that is ready to learn (prerequisites mastered, skill not
yet), or mastered (review, or higher-order work).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from pathways.engines.planning.activities import ActivityOption, PathStep, PlannedPath
from pathways.engines.planning.graph import SkillGraph
from pathways.engines.planning.matching import (
    best_activity,
    choice_board,
    describe_option,
    matching_interest,
)
from pathways.engines.planning.readiness import DEFAULT_RULE, mastered_skills, ready_to_learn
from pathways.engines.planning.rigor import has_higher_order, higher_order_option
from pathways.engines.tracing import MasteryRule, SkillParams, SkillState

__all__ = ["plan_path"]


def plan_path(
    graph: SkillGraph,
    params: Mapping[str, SkillParams],
    states: Mapping[str, SkillState],
    activities: Sequence[ActivityOption],
    *,
    interests: Collection[str] = (),
    goals: Collection[str] = (),
    max_steps: int = 4,
    reviews: Collection[str] = (),
    rule: MasteryRule = DEFAULT_RULE,
) -> PlannedPath:
    """The next steps for one student, each with a reason, and a choice board.

    ``states`` holds the mastery engine's beliefs (a skill without a state is not mastered);
    ``params`` its population parameters (skills that help more go first); ``reviews`` the
    mastered skills whose review is due (:func:`reviews_due`). Ready skills come first when they
    lead to one of ``goals``, then when they unlock more skills. Activities on skills outside the
    graph are ignored. Rules: every step is on a ready or mastered skill; a non-empty path holds
    at least one activity at Bloom 4 (analyze) or above on such a skill; the choice board offers
    2 to 4 options for the first skill that differ pairwise in modality or Bloom level.

    Example:
        >>> graph = SkillGraph({"4.NF.A.1": [], "4.NF.B.3": ["4.NF.A.1"]})
        >>> params = {s: SkillParams() for s in graph}
        >>> states = {"4.NF.A.1": SkillState(0.98, n_evidence=6, n_correct=6)}
        >>> library = [
        ...     ActivityOption("a1", "4.NF.B.3", "Add fractions", "independent", 3, 15),
        ...     ActivityOption("a2", "4.NF.B.3", "Fraction rhythms", "project", 4, 40, ("music",)),
        ... ]
        >>> path = plan_path(graph, params, states, library, interests=["music"], max_steps=1)
        >>> [(s.activity.id, s.kind) for s in path.steps]
        [('a2', 'learn')]
        >>> path.steps[0].reason
        'You mastered 4.NF.A.1, so you are ready for 4.NF.B.3; it matches your interest in music'
        >>> [a.id for a in path.choices], path.ready_skills
        (['a2', 'a1'], ('4.NF.B.3',))
    """
    if max_steps < 1:
        raise ValueError(f"max_steps must be >= 1, got {max_steps!r}")
    by_skill: dict[str, list[ActivityOption]] = {}
    for option in activities:
        if option.skill in graph:
            by_skill.setdefault(option.skill, []).append(option)
    mastered = mastered_skills(graph, states, rule)
    mastered_set = set(mastered)
    ready = ready_to_learn(graph, states, rule)
    toward_goals = _toward(graph, goals)
    ordered = sorted(ready, key=lambda s: _priority(graph, params, states, s, toward_goals))
    due = [s for s in graph.skills if s in set(reviews) and s in mastered_set]

    steps: list[PathStep] = []
    used: set[str] = set()
    n_reviews = min(len(due), max(1, max_steps // 4)) if max_steps > 1 else 0
    learn_slots = max_steps - n_reviews
    # One learn step per ready skill, then a second activity on the first skills if room is left.
    for round_ in range(2):
        for skill in ordered:
            if len(steps) >= learn_slots:
                break
            activity = best_activity(
                by_skill.get(skill, ()), interests, avoid=used, prefer_bloom=3 if round_ == 0 else 4
            )
            if activity is None:
                continue
            used.add(activity.id)
            steps.append(
                PathStep(
                    activity,
                    skill,
                    "learn",
                    _reason(graph, skill, activity, goals, interests, mastered_set, toward_goals),
                )
            )
    for skill in due[:n_reviews]:
        activity = best_activity(by_skill.get(skill, ()), interests, avoid=used, prefer_bloom=3)
        if activity is not None:
            used.add(activity.id)
            reason = f"You mastered {skill}; a review now, before it fades, keeps it"
            interest = matching_interest(activity, interests)
            if interest:
                reason += f"; it matches your interest in {interest}"
            steps.append(PathStep(activity, skill, "review", reason))
    if not steps and n_reviews == 0 and due:
        activity = best_activity(by_skill.get(due[0], ()), interests, prefer_bloom=3)
        if activity is not None:
            used.add(activity.id)
            steps.append(
                PathStep(
                    activity,
                    due[0],
                    "review",
                    f"You mastered {due[0]}; a review now, before it fades, keeps it",
                )
            )

    notes: list[str] = []
    if steps and not has_higher_order(steps):
        _add_rigor(
            graph,
            steps,
            by_skill,
            ordered,
            mastered,
            interests,
            goals,
            mastered_set,
            toward_goals,
            used,
            max_steps,
            notes,
        )
    elif not steps:
        # Nothing ready or due: offer higher-order work on the most advanced mastered skills.
        _add_rigor(
            graph,
            steps,
            by_skill,
            ordered,
            mastered,
            interests,
            goals,
            mastered_set,
            toward_goals,
            used,
            max_steps,
            notes,
        )

    choices: tuple[ActivityOption, ...] = ()
    if steps:
        first = steps[0]
        choices = choice_board(by_skill.get(first.skill, ()), interests, first=first.activity)
        if len(choices) < 2:
            notes.append(f"fewer than two distinct activities in the library for {first.skill}")
    return PlannedPath(
        steps=tuple(steps),
        choices=choices,
        choice_reasons=tuple(describe_option(a, interests) for a in choices),
        ready_skills=ready,
        notes=tuple(notes),
    )


def _add_rigor(
    graph: SkillGraph,
    steps: list[PathStep],
    by_skill: Mapping[str, Sequence[ActivityOption]],
    ordered: Sequence[str],
    mastered: Sequence[str],
    interests: Collection[str],
    goals: Collection[str],
    mastered_set: set[str],
    toward_goals: set[str],
    used: set[str],
    max_steps: int,
    notes: list[str],
) -> None:
    in_path = [s.skill for s in steps]
    level = list(dict.fromkeys([*in_path, *ordered, *reversed(mastered)]))
    option = higher_order_option(by_skill, level, interests, avoid=used)
    if option is None:
        if level:
            notes.append("no analyze-or-above activity in the library at this student's level")
        return
    if option.skill in mastered_set:
        reason = f"You mastered {option.skill}; now {option.bloom_name} it in depth"
    else:
        reason = _reason(graph, option.skill, option, goals, interests, mastered_set, toward_goals)
        reason += f"; higher-order work ({option.bloom_name}) at your level"
        interests = ()
    interest = matching_interest(option, interests)
    if interest:
        reason += f"; it matches your interest in {interest}"
    step = PathStep(option, option.skill, "stretch", reason)
    used.add(option.id)
    if len(steps) < max_steps:
        steps.append(step)
    else:
        # Replace the last learn step (the least wanted), keeping the first one.
        index = max((i for i, s in enumerate(steps) if s.kind == "learn"), default=len(steps) - 1)
        steps[index] = step


def _toward(graph: SkillGraph, goals: Collection[str]) -> set[str]:
    """Goals in the graph and every skill they require."""
    found: set[str] = set()
    for goal in goals:
        if goal in graph:
            found |= {goal, *graph.ancestors(goal)}
    return found


def _priority(
    graph: SkillGraph,
    params: Mapping[str, SkillParams],
    states: Mapping[str, SkillState],
    skill: str,
    toward_goals: set[str],
) -> tuple[bool, int, float, int]:
    p = params.get(skill, SkillParams())
    known = states[skill].p_mastery if skill in states else p.p_init
    gain = (1.0 - known) * p.p_learn
    return (skill not in toward_goals, -len(graph.descendants(skill)), -gain, graph.index[skill])


def _reason(
    graph: SkillGraph,
    skill: str,
    activity: ActivityOption,
    goals: Collection[str],
    interests: Collection[str],
    mastered: set[str],
    toward_goals: set[str],
) -> str:
    done = [p for p in graph.prerequisites(skill) if p in mastered]
    if done:
        parts = [f"You mastered {', '.join(done)}, so you are ready for {skill}"]
    else:
        parts = [f"{skill} builds on nothing you still need to learn"]
    next_up = graph.dependents(skill)
    if next_up:
        parts.append(f"it prepares {', '.join(next_up[:2])}")
    goal = next((g for g in goals if g in graph and skill in graph.ancestors(g)), None)
    if skill in goals:
        parts.append("it is one of your goals")
    elif goal is not None:
        parts.append(f"it leads to your goal {goal}")
    interest = matching_interest(activity, interests)
    if interest:
        parts.append(f"it matches your interest in {interest}")
    return "; ".join(parts)
