"""Scoring an answer to an auto-scored item: choice, multiple response, numeric (with tolerance)
or short text."""

from __future__ import annotations

import math
import re
from typing import Any

from pathways.apps.activities.models import Item

_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    return _SPACES.sub(" ", text.strip().lower())


def _option(text: object) -> str:
    """An option as chosen: blanks collapsed, case kept (options are picked, not typed)."""
    return " ".join(str(text).split())


def score_multiple(item: Item, response: Any) -> bool:
    """Right only when the options chosen are exactly the correct set: every correct option and
    nothing else, in any order. No partial credit: two of three correct options is wrong, and so
    is every correct option plus one more (a QTI ``partial_credit`` map, if imported, is kept in
    ``item.details`` but not used). ``response`` is a list of option texts (the web player's
    checkboxes) or one string with the options separated by ``|`` (the API's text response).
    Choosing the same option twice counts once.
    """
    chosen = response if isinstance(response, list | tuple) else str(response).split("|")
    picked = {_option(c) for c in chosen} - {""}
    return picked == {_option(a) for a in item.answer}


def score(item: Item, response: Any) -> bool:
    """True when ``response`` answers ``item`` correctly; unparseable answers are wrong.

    Rubric-scored items (extended text) cannot be scored here: a teacher scores them.
    """
    if item.kind == Item.Kind.EXTENDED:
        raise ValueError(f"item {item.identifier} is scored with a rubric, not automatically")
    if item.kind == Item.Kind.MULTIPLE:
        return score_multiple(item, response)
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
