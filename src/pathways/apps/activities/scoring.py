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
    """True when ``response`` answers ``item`` correctly; unparseable answers are wrong."""
    if item.kind == Item.Kind.CHOICE:
        return str(response).strip() == str(item.answer).strip()
    if item.kind == Item.Kind.NUMERIC:
        try:
            given = float(str(response).replace(",", "").strip())
        except ValueError:
            return False
        return math.isclose(given, float(item.answer), rel_tol=1e-9, abs_tol=1e-6)
    accepted = item.answer if isinstance(item.answer, list) else [item.answer]
    return normalise_text(str(response)) in {normalise_text(str(a)) for a in accepted}
