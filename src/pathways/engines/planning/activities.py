"""Activities of the library as the planner sees them, and the path it returns.

Frozen dataclasses, so the platform can build them from its rows and cache or compare them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pathways.engines.errors import InputError

__all__ = ["BLOOM_LEVELS", "ActivityOption", "PathStep", "PlannedPath"]

#: Bloom's revised taxonomy, level number -> name.
BLOOM_LEVELS = {
    1: "remember",
    2: "understand",
    3: "apply",
    4: "analyze",
    5: "evaluate",
    6: "create",
}

#: Bloom level from which work counts as higher-order (the rigor guarantee).
HIGHER_ORDER = 4


@dataclass(frozen=True)
class ActivityOption:
    """One activity of the library, aligned to one skill.

    Example:
        >>> a = ActivityOption("a7", "4.NF.B.3", "Fraction rhythms", "project", 5, 45, ("music",))
        >>> a.bloom_name, a.higher_order
        ('evaluate', True)
        >>> ActivityOption("a8", "4.NF.B.3", "Quiz", "independent", 9, 10, ())
        Traceback (most recent call last):
        ...
        pathways.engines.errors.InputError: activity a8: bloom must be 1 (remember) .. 6 (cr...
    """

    id: str
    skill: str
    title: str
    modality: str
    bloom: int  # 1 remember .. 6 create
    minutes: int
    interests: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.bloom not in BLOOM_LEVELS:
            raise InputError(
                f"activity {self.id}",
                f"bloom must be 1 (remember) .. 6 (create), got {self.bloom!r}",
            )
        if self.minutes < 0:
            raise InputError(f"activity {self.id}", f"minutes must be >= 0, got {self.minutes!r}")

    @property
    def bloom_name(self) -> str:
        return BLOOM_LEVELS[self.bloom]

    @property
    def higher_order(self) -> bool:
        """Analyze, evaluate or create."""
        return self.bloom >= HIGHER_ORDER


@dataclass(frozen=True)
class PathStep:
    """One step of a path: an activity, the skill it serves, why, and its kind."""

    activity: ActivityOption
    skill: str
    kind: str  # "learn" | "review" | "revisit" | "stretch"
    reason: str


@dataclass(frozen=True)
class PlannedPath:
    """A student's next steps, the choice board for the first skill, and what is ready.

    ``notes`` says when a rule could not be met from the library (no analyze-or-above activity at
    the student's level, fewer than two distinct options for the choice board).
    """

    steps: tuple[PathStep, ...]
    choices: tuple[ActivityOption, ...]
    choice_reasons: tuple[str, ...]
    ready_skills: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
