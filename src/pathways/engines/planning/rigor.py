"""The rigor guarantee: every path holds analyze-or-above work at the student's own level.

The finding behind it: students who were behind got only low-level worksheets while their peers
did projects. So the higher-order step is chosen among skills the student is ready for or has
mastered, never beyond, and a student who is behind gets it too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from pathways.engines.planning.activities import HIGHER_ORDER, ActivityOption, PathStep

__all__ = ["has_higher_order", "higher_order_option"]


def has_higher_order(steps: Sequence[PathStep]) -> bool:
    """Whether some step is at Bloom level 4 (analyze) or above."""
    return any(step.activity.bloom >= HIGHER_ORDER for step in steps)


def higher_order_option(
    by_skill: Mapping[str, Sequence[ActivityOption]],
    level_skills: Sequence[str],
    interests: Collection[str],
    *,
    avoid: Collection[str] = (),
) -> ActivityOption | None:
    """An analyze-or-above activity on the first of ``level_skills`` that has one.

    ``level_skills`` are the student's own level, most wanted first (the skills of the path, then
    the other ready skills, then mastered ones). Within a skill, an activity matching an interest
    and with the lowest higher-order level (analyze before create) is preferred.

    Example:
        >>> acts = {"k1": [ActivityOption("x", "k1", "Create", "project", 6, 60),
        ...                ActivityOption("y", "k1", "Compare", "small group", 4, 20)]}
        >>> higher_order_option(acts, ["k0", "k1"], []).id
        'y'
    """
    wanted = {i.casefold() for i in interests}
    for skill in level_skills:
        pool = [a for a in by_skill.get(skill, ()) if a.bloom >= HIGHER_ORDER and a.id not in avoid]
        if pool:
            return min(
                pool, key=lambda a: (not wanted & {t.casefold() for t in a.interests}, a.bloom)
            )
    return None
