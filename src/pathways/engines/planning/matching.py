"""Activities for a chosen skill: matched to interests, and choice boards whose options differ.

A choice board offers options that differ pairwise in modality or in cognitive demand (Bloom level):
never the same task reordered.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from pathways.engines.planning.activities import ActivityOption

__all__ = ["best_activity", "choice_board", "describe_option", "matching_interest"]


def matching_interest(activity: ActivityOption, interests: Collection[str]) -> str | None:
    """The first of the activity's interest tags that the student shares, if any.

    Example:
        >>> a = ActivityOption("a1", "k", "Beats", "project", 4, 30, ("sports", "music"))
        >>> matching_interest(a, ["Music"]), matching_interest(a, ["art"])
        ('music', None)
    """
    wanted = {i.casefold() for i in interests}
    return next((tag for tag in activity.interests if tag.casefold() in wanted), None)


def best_activity(
    options: Sequence[ActivityOption],
    interests: Collection[str],
    *,
    bloom_range: tuple[int, int] = (1, 6),
    avoid: Collection[str] = (),
    prefer_bloom: int = 3,
) -> ActivityOption | None:
    """The option that matches an interest, with Bloom level closest to ``prefer_bloom``.

    ``avoid`` lists activity ids already used and modalities already in the path are not avoided
    here (the caller varies them). Ties keep the library's order.

    Example:
        >>> opts = [ActivityOption("a", "k", "Drill", "independent", 1, 10),
        ...         ActivityOption("b", "k", "Song", "collaborative", 3, 20, ("music",))]
        >>> best_activity(opts, ["music"]).id, best_activity(opts, [], prefer_bloom=1).id
        ('b', 'a')
    """
    low, high = bloom_range
    pool = [a for a in options if low <= a.bloom <= high and a.id not in avoid]
    if not pool:
        return None
    return min(
        pool,
        key=lambda a: (matching_interest(a, interests) is None, abs(a.bloom - prefer_bloom)),
    )


def choice_board(
    options: Sequence[ActivityOption],
    interests: Collection[str],
    *,
    first: ActivityOption | None = None,
    size: int = 4,
) -> tuple[ActivityOption, ...]:
    """Up to ``size`` options that differ pairwise in modality or Bloom level.

    ``first`` (the planned activity) leads the board when given. Each further option is the one
    that differs most from those already chosen (a new modality and a new Bloom level count one
    each), matching interests breaking ties.

    Example:
        >>> opts = [ActivityOption("a", "k", "Worksheet", "independent", 3, 15),
        ...         ActivityOption("b", "k", "Worksheet B", "independent", 3, 15),
        ...         ActivityOption("c", "k", "Group talk", "small group", 2, 20),
        ...         ActivityOption("d", "k", "Design a game", "project", 6, 60, ("games",))]
        >>> [o.id for o in choice_board(opts, ["games"], first=opts[0])]
        ['a', 'd', 'c']
    """
    chosen: list[ActivityOption] = [first] if first is not None else []
    pool = [a for a in options if first is None or a.id != first.id]
    while len(chosen) < size:
        taken = {(a.modality.casefold(), a.bloom) for a in chosen}
        candidates = [a for a in pool if (a.modality.casefold(), a.bloom) not in taken]
        if not candidates:
            break
        modalities = {a.modality.casefold() for a in chosen}
        blooms = {a.bloom for a in chosen}

        best = min(
            candidates,
            key=lambda a: (
                -(a.modality.casefold() not in modalities) - (a.bloom not in blooms),
                matching_interest(a, interests) is None,
            ),
        )
        chosen.append(best)
        pool.remove(best)
    return tuple(chosen)


def describe_option(activity: ActivityOption, interests: Collection[str]) -> str:
    """Why a student might pick this option, in plain words.

    Example:
        >>> describe_option(ActivityOption("d", "k", "Design a game", "project", 6, 60,
        ...                                ("games",)), ["games"])
        'Design a game: project, create level (higher-order), about 60 min; it matches your i...'
    """
    text = f"{activity.title}: {activity.modality}, {activity.bloom_name} level"
    if activity.higher_order:
        text += " (higher-order)"
    text += f", about {activity.minutes} min"
    interest = matching_interest(activity, interests)
    if interest:
        text += f"; it matches your interest in {interest}"
    return text
