"""A student's next steps: the planner's choice of skills, reviews, activities, rigor, choices.

:func:`plan_path` is the pure function the platform calls. The skills come from the planner
(:mod:`~pathways.engines.planning.outlook`: the student's answers replayed through
:class:`~pathways.engines.planning.gain.GainPlanner`), within the student's level: each step is
on a skill whose prerequisites the student has mastered or shown in their answers, or on a
mastered skill (review, a revisit the answers call for, or higher-order work).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from pathways.engines.planning.activities import ActivityOption, PathStep, PlannedPath
from pathways.engines.planning.graph import SkillGraph
from pathways.engines.planning.matching import (
    best_activity,
    choice_board,
    describe_option,
    matching_interest,
)
from pathways.engines.planning.outlook import Outlook, read_answers
from pathways.engines.planning.readiness import DEFAULT_RULE, mastered_skills
from pathways.engines.planning.rigor import has_higher_order, higher_order_option
from pathways.engines.tracing import MasteryRule, SkillParams, SkillState

__all__ = ["plan_path"]


@dataclass(frozen=True)
class _Student:
    """What the reasons draw on: the graph, the student's goals and interests, and what they
    have mastered (the mastery rule) or shown in their answers (the planner's belief)."""

    graph: SkillGraph
    goals: Collection[str]
    interests: Collection[str]
    mastered: frozenset[str]
    shown: frozenset[str]
    toward_goals: frozenset[str]
    outlook: Outlook


def plan_path(
    graph: SkillGraph,
    params: Mapping[str, SkillParams],
    states: Mapping[str, SkillState],
    activities: Sequence[ActivityOption],
    *,
    answers: Sequence[tuple[str, bool]] = (),
    interests: Collection[str] = (),
    goals: Collection[str] = (),
    max_steps: int = 4,
    reviews: Collection[str] = (),
    rule: MasteryRule = DEFAULT_RULE,
    p_init_meaning: str = "conditional",
) -> PlannedPath:
    """The next steps for one student, each with a reason, and a choice board.

    ``states`` holds the mastery engine's beliefs, which decide what is mastered (a skill without
    a state is not); ``answers`` the student's answers, oldest first, as (skill, right) pairs,
    from which the planner values each skill (its expected learning from one opportunity now);
    ``params`` the population parameters (``p_init`` read as the mastery engine calibrates it:
    the rate among students at their first evidence on the skill; ``p_init_meaning`` as in
    :class:`GainPlanner` says otherwise);
    ``reviews`` the mastered skills whose review is due (:func:`reviews_due`).

    Which skills: those not mastered whose prerequisites are each mastered or shown (believed
    known from answers on it or on what builds on it), and mastered skills whose answers since
    have put them in doubt (a revisit: the student stuck on what builds on them). Those leading
    to one of ``goals`` come first, then by the planner's value. Rules: a non-empty path holds at
    least one activity at Bloom 4 (analyze) or above on such a skill or a mastered one; the
    choice board offers 2 to 4 options for the first skill that differ pairwise in modality or
    Bloom level. Activities on skills outside the graph are ignored.

    Example:
        >>> graph = SkillGraph({"4.NF.A.1": [], "4.NF.B.3": ["4.NF.A.1"]})
        >>> params = {s: SkillParams() for s in graph}
        >>> states = {"4.NF.A.1": SkillState(0.98, n_evidence=6, n_correct=6)}
        >>> answers = [("4.NF.A.1", True)] * 6
        >>> library = [
        ...     ActivityOption("a1", "4.NF.B.3", "Add fractions", "independent", 3, 15),
        ...     ActivityOption("a2", "4.NF.B.3", "Fraction rhythms", "project", 4, 40, ("music",)),
        ... ]
        >>> path = plan_path(graph, params, states, library, answers=answers,
        ...                  interests=["music"], max_steps=1)
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
    outlook = read_answers(graph, params, answers, p_init_meaning=p_init_meaning)
    mastered = mastered_skills(graph, states, rule)
    mastered_set = frozenset(mastered)
    student = _Student(
        graph=graph,
        goals=goals,
        interests=interests,
        mastered=mastered_set,
        shown=frozenset(s for s in graph if outlook.shown(graph, s)),
        toward_goals=frozenset(_toward(graph, goals)),
        outlook=outlook,
    )
    at_hand = student.mastered | student.shown
    ready = tuple(
        s
        for s in graph.skills
        if s not in mastered_set and all(p in at_hand for p in graph.prerequisites(s))
    )
    revisits = {s for s in mastered if s in outlook.answered and s not in student.shown}
    ordered = sorted(
        [*ready, *revisits],
        key=lambda s: (s not in student.toward_goals, -outlook.value[s], graph.index[s]),
    )
    due = [s for s in graph.skills if s in set(reviews) and s in mastered_set]

    steps: list[PathStep] = []
    used: set[str] = set()
    n_reviews = min(len(due), max(1, max_steps // 4)) if max_steps > 1 else 0
    learn_slots = max_steps - n_reviews
    # One step per skill, then a second activity on the first skills if room is left.
    for round_ in range(2):
        for skill in ordered:
            if len(steps) >= learn_slots:
                break
            revisit = skill in revisits
            if revisit and round_:
                continue
            prefer = 2 if revisit else 3 if round_ == 0 else 4  # back to basics on a revisit
            activity = best_activity(
                by_skill.get(skill, ()), interests, avoid=used, prefer_bloom=prefer
            )
            if activity is None:
                continue
            used.add(activity.id)
            if revisit:
                steps.append(PathStep(activity, skill, "revisit", _revisit_reason(student, skill)))
            else:
                steps.append(PathStep(activity, skill, "learn", _reason(student, skill, activity)))
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
    if not steps or not has_higher_order(steps):
        # Every path gets analyze-or-above work at the student's level; with nothing ready or
        # due, it deepens the most advanced mastered skills.
        _add_rigor(student, steps, by_skill, ordered, mastered, used, max_steps, notes)

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
    student: _Student,
    steps: list[PathStep],
    by_skill: Mapping[str, Sequence[ActivityOption]],
    ordered: Sequence[str],
    mastered: Sequence[str],
    used: set[str],
    max_steps: int,
    notes: list[str],
) -> None:
    in_path = [s.skill for s in steps]
    level = list(dict.fromkeys([*in_path, *ordered, *reversed(mastered)]))
    option = higher_order_option(by_skill, level, student.interests, avoid=used)
    if option is None:
        if level:
            notes.append("no analyze-or-above activity in the library at this student's level")
        return
    interests = student.interests
    if option.skill in student.mastered:
        reason = f"You mastered {option.skill}; now {option.bloom_name} it in depth"
    else:
        reason = _reason(student, option.skill, option)
        reason += f"; higher-order work ({option.bloom_name}) at your level"
        interests = ()  # the reason already says so
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


def _reason(student: _Student, skill: str, activity: ActivityOption) -> str:
    graph = student.graph
    prerequisites = graph.prerequisites(skill)
    done = [p for p in prerequisites if p in student.mastered]
    shown = [p for p in prerequisites if p not in student.mastered and p in student.shown]
    if done and shown:
        parts = [
            f"You mastered {', '.join(done)} and your answers show you know "
            f"{', '.join(shown)}, so you are ready for {skill}"
        ]
    elif shown:
        parts = [f"Your answers show you know {', '.join(shown)}, so you are ready for {skill}"]
    elif done:
        parts = [f"You mastered {', '.join(done)}, so you are ready for {skill}"]
    else:
        parts = [f"{skill} builds on nothing you still need to learn"]
    next_up = graph.dependents(skill)
    if next_up:
        parts.append(f"it prepares {', '.join(next_up[:2])}")
    goal = next(
        (g for g in student.goals if g in graph and skill in graph.ancestors(g)),
        None,
    )
    if skill in student.goals:
        parts.append("it is one of your goals")
    elif goal is not None:
        parts.append(f"it leads to your goal {goal}")
    interest = matching_interest(activity, student.interests)
    if interest:
        parts.append(f"it matches your interest in {interest}")
    return "; ".join(parts)


def _revisit_reason(student: _Student, skill: str) -> str:
    """Why a mastered skill comes back: the answers since, on it or on what builds on it."""
    stuck = [
        d
        for d in student.graph.dependents(skill)
        if student.outlook.wrong_since.get(d, 0) and d not in student.mastered
    ]
    if stuck:
        build = "builds" if len(stuck[:2]) == 1 else "build"
        return (
            f"You mastered {skill}, but your answers on {', '.join(stuck[:2])}, which {build} "
            f"on it, suggest it needs another look first"
        )
    return f"You mastered {skill}, but your answers suggest it needs another look"
