"""Hypothesis strategies that damage valid input, for the parsers' property tests.

A parser of outside input must read a damaged document or refuse it with its own error type
naming where; these strategies make the damage: one value anywhere in a JSON document replaced
by any JSON value or its key dropped, and text with characters, lines or its end changed.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def damaged_json(draw: st.DrawFn, document: Any, edits: int = 3) -> Any:
    """``document`` (JSON types) with up to ``edits`` values replaced by any JSON value or
    their keys dropped, at any depth."""
    data = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, edits))):
        if not isinstance(data, dict | list) or not data:
            return draw(json_values)
        node = data
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            key = draw(st.sampled_from(keys))
            child = node[key]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            if draw(st.booleans()):
                del node[key]
            else:
                node[key] = draw(json_values)
            break
    return data


NASTY = st.sampled_from(
    [",", "\n", "\r", '"', "-1", "2", "x", " ", "\x00", "\ufeff", "é", "1e9", "", "\t", "{", "]"]
)


@st.composite
def damaged_text(draw: st.DrawFn, text: str, edits: int = 4) -> str:
    """``text`` with characters replaced, inserted or deleted, a line dropped or repeated, or
    its end cut off."""
    for _ in range(draw(st.integers(1, edits))):
        edit = draw(st.sampled_from(["replace", "insert", "delete", "drop", "repeat", "cut"]))
        at = draw(st.integers(0, max(0, len(text) - 1)))
        if edit == "replace":
            text = text[:at] + draw(NASTY) + text[at + 1 :]
        elif edit == "insert":
            text = text[:at] + draw(NASTY) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + 1 :]
        elif edit in ("drop", "repeat"):
            lines = text.split("\n")
            k = draw(st.integers(0, len(lines) - 1))
            if edit == "drop":
                del lines[k]
            else:
                lines.insert(k, lines[k])
            text = "\n".join(lines)
        else:
            text = text[:at]
    return text


def as_json_types(document: Any) -> Any:
    """What a JSON file holding ``document`` parses to (tuples become lists, and so on)."""
    return json.loads(json.dumps(document))
