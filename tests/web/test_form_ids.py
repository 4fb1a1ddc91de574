"""Ids read from forms and query strings: only what a table can hold, anything else is no id."""

from __future__ import annotations

import pytest

from pathways.web.views._common import form_id, form_ids


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        ("9223372036854775807", 9_223_372_036_854_775_807),
        ("9223372036854775808", None),  # one past what a database integer holds
        ("0", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1.0", None),
        ("²", None),  # str.isdigit() says yes, int() refuses
        ("١٢", None),  # Arabic-Indic digits: int() reads them, no id is written so
        ("", None),
        (None, None),
        ("a\x00b", None),
    ],
)
def test_form_id(raw: str | None, expected: int | None) -> None:
    assert form_id(raw) == expected


def test_form_ids_leave_out_what_cannot_be_an_id() -> None:
    assert form_ids(["3", "x", "", "7", "²"]) == [3, 7]
