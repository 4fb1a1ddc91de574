"""Demo items and activities for each standard, generated deterministically from its code."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from pathways.apps.activities.models import BloomLevel, Modality
from pathways.apps.standards.models import Standard
from pathways.demo.people import INTERESTS


@dataclass(frozen=True)
class ItemSpec:
    kind: str
    prompt: str
    answer: Any
    choices: list[str] = field(default_factory=list)


def _domain(standard: Standard) -> str:
    parts = standard.short_code.split(".")
    return parts[1] if len(parts) > 1 else ""


def _choice(prompt: str, right: str, wrong: list[str], rng: random.Random) -> ItemSpec:
    options = [right, *wrong[:3]]
    rng.shuffle(options)
    return ItemSpec("choice", prompt, right, options)


def make_item(standard: Standard, others: list[Standard], rng: random.Random) -> ItemSpec:
    """One auto-scored item for the standard's domain (a recognition item when none fits)."""
    domain = _domain(standard)
    if domain == "NBT":
        a, b = rng.randint(120, 980), rng.randint(3, 9)
        return ItemSpec("numeric", f"What is {a} \u00d7 {b}?", a * b)
    if domain == "MD":
        w, h = rng.randint(3, 15), rng.randint(2, 12)
        return ItemSpec(
            "numeric",
            f"A rectangle is {w} cm long and {h} cm wide. What is its area in square centimetres?",
            w * h,
        )
    if domain == "NF":
        n, d = rng.randint(1, 4), rng.randint(5, 9)
        k = rng.randint(2, 4)
        return _choice(
            f"Which fraction is equivalent to {n}/{d}?",
            f"{n * k}/{d * k}",
            [f"{n + k}/{d + k}", f"{n * k}/{d + k}", f"{n + 1}/{d * k}"],
            rng,
        )
    if domain == "OA":
        a, b = rng.randint(3, 9), rng.randint(4, 12)
        return ItemSpec(
            "numeric",
            f"Sam has {a} times as many stickers as Ana. Ana has {b}. How many does Sam have?",
            a * b,
        )
    if domain == "RP":
        a, b = rng.randint(2, 9), rng.randint(2, 9)
        return ItemSpec(
            "text",
            f"A bag has {a} red and {b} blue marbles. Write the ratio of red to blue as a:b.",
            [f"{a}:{b}", f"{a} : {b}"],
        )
    if domain == "NS":
        d = rng.choice([2, 4, 8])
        return ItemSpec("numeric", f"How many 1/{d}-cup servings are in 3 cups?", 3 * d)
    if domain == "EE":
        base, extra = rng.randint(2, 5), rng.randint(1, 9)
        return ItemSpec("numeric", f"Evaluate {base}\u00b2 + {extra}.", base * base + extra)
    if domain == "SP":
        values = [rng.randint(2, 12) * 2 for _ in range(4)]
        while sum(values) % 4:
            values[0] += 2
        return ItemSpec(
            "numeric", f"What is the mean of {', '.join(map(str, values))}?", sum(values) // 4
        )
    distractors = [
        o.statement for o in rng.sample(others, k=min(3, len(others))) if o.pk != standard.pk
    ]
    return _choice(
        f"Which task practises standard {standard.short_code}?",
        standard.statement,
        distractors,
        rng,
    )


@dataclass(frozen=True)
class ActivitySpec:
    title: str
    modality: Modality
    bloom: BloomLevel
    minutes: int
    description: str
    interests: list[str]


def topic(standard: Standard, words: int = 7) -> str:
    text = standard.statement.split(".")[0].split(";")[0]
    parts = text.split()
    return " ".join(parts[:words]) + ("\u2026" if len(parts) > words else "")


def make_activities(standard: Standard, rng: random.Random) -> list[ActivitySpec]:
    """A spread of modalities and cognitive demand for one standard (analyze or above included)."""
    about = topic(standard)
    code = standard.short_code
    theme = rng.choice(INTERESTS)
    return [
        ActivitySpec(
            f"{code} mini-lesson",
            Modality.TEACHER_LED,
            BloomLevel.UNDERSTAND,
            20,
            f"Small-group lesson with the teacher: {about}",
            [],
        ),
        ActivitySpec(
            f"{code} video lesson",
            Modality.FLIPPED_VIDEO,
            BloomLevel.UNDERSTAND,
            10,
            f"Short video with check-in questions: {about}",
            [],
        ),
        ActivitySpec(
            f"{code} practice set",
            Modality.INDEPENDENT,
            BloomLevel.APPLY,
            15,
            f"Independent practice: {about}",
            [],
        ),
        ActivitySpec(
            f"{code} adaptive practice",
            Modality.ADAPTIVE,
            BloomLevel.APPLY,
            20,
            f"Adaptive software practice: {about}",
            [],
        ),
        ActivitySpec(
            f"{code} error detectives",
            Modality.COLLABORATIVE,
            BloomLevel.ANALYZE,
            25,
            f"With a partner, find and explain the mistakes in worked examples: {about}",
            [],
        ),
        ActivitySpec(
            f"{code} {theme} project",
            Modality.PROJECT,
            BloomLevel.CREATE,
            45,
            f"Design a {theme}-themed problem set and answer key that uses: {about}",
            [theme],
        ),
    ]
