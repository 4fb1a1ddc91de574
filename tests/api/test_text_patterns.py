"""The text rules published in the schema ("something besides blanks", "a sentence") say exactly
what the services do with Python's strip(), whichever regular-expression dialect reads them."""

from __future__ import annotations

import re
import sys
from typing import Annotated

import jsonschema_rs
import pytest
from pydantic import StringConstraints, TypeAdapter, ValidationError

from pathways.api.v1.schemas import SENTENCE, SOME_TEXT

BLANKS = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
some_text = TypeAdapter(Annotated[str, StringConstraints(pattern=SOME_TEXT)])
sentence = TypeAdapter(Annotated[str, StringConstraints(pattern=SENTENCE)])
# How clients read the schema: JSON Schema's ECMA-262 dialect (the validator schemathesis uses).
as_published = jsonschema_rs.validator_for({"type": "string", "pattern": SOME_TEXT})


@pytest.mark.parametrize("blank", BLANKS, ids=[f"U+{ord(b):04X}" for b in BLANKS])
def test_text_of_blanks_only_is_refused_in_every_dialect(blank: str) -> None:
    # U+0085 (found by schemathesis): ECMA's \s does not include it, Python's strip() removes it.
    assert not re.search(SOME_TEXT, blank * 3)
    assert not as_published.is_valid(blank * 3)
    with pytest.raises(ValidationError):
        some_text.validate_python(blank * 3)


def test_a_character_strip_keeps_counts_as_text() -> None:
    for kept in ("a", "\ufeff", "é", "7"):
        assert some_text.validate_python(f" {kept} ") == f" {kept} "
        assert as_published.is_valid(f" {kept} ")


def test_a_sentence_is_ten_characters_once_trimmed() -> None:
    assert sentence.validate_python("\x85 I chose it \x85")
    for short in ("123456789", "\x85\x85 12345678 \u3000", " " * 30):
        assert len(short.strip()) < 10
        with pytest.raises(ValidationError):
            sentence.validate_python(short)
    assert len("1234567890".strip()) == 10
    sentence.validate_python("1234567890")
