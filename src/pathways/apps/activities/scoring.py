"""Scoring an answer to an auto-scored item: choice, numeric (with tolerance) or short text."""

from __future__ import annotations

import math
import re
from typing import Any

from pathways.apps.activities.models import Item

_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    return _SPACES.sub(" ", text.strip().lower())


def score(item: Item, response: Any) -> bool:
    """True when ``response`` answers ``item`` correctly; unparseable answers are wrong.

    Rubric-scored items (extended text) cannot be scored here: a teacher scores them.
    """
    if item.kind == Item.Kind.EXTENDED:
        raise ValueError(f"item {item.identifier} is scored with a rubric, not automatically")
    if item.kind == Item.Kind.MULTIPLE:
        chosen = response if isinstance(response, list) else str(response).split("|")
        return {normalise_text(str(g)) for g in chosen} == {
            normalise_text(str(a)) for a in item.answer
        }
    if item.kind == Item.Kind.CHOICE:
        return str(response).strip() == str(item.answer).strip()
    if item.kind == Item.Kind.NUMERIC:
        try:
            given = float(str(response).replace(",", "").strip())
        except ValueError:
            return False
        return math.isclose(given, float(item.answer), rel_tol=1e-9, abs_tol=1e-6)
    accepted = item.answer if isinstance(item.answer, list) else [item.answer]
    if item.details.get("case_sensitive"):
        return " ".join(str(response).split()) in {" ".join(str(a).split()) for a in accepted}
    return normalise_text(str(response)) in {normalise_text(str(a)) for a in accepted}
