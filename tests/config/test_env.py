"""Configuration comes from one typed list of variables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pathways.config import env

SRC = Path(__file__).parents[2] / "src" / "pathways"


def test_booleans_and_integers_are_parsed_or_rejected_with_the_name(monkeypatch) -> None:
    monkeypatch.setenv("PATHWAYS_DEBUG", "yes")
    assert env.flag("PATHWAYS_DEBUG") is True
    monkeypatch.setenv("PATHWAYS_DEBUG", "perhaps")
    with pytest.raises(ValueError, match="PATHWAYS_DEBUG"):
        env.flag("PATHWAYS_DEBUG")
    monkeypatch.setenv("PATHWAYS_TOKEN_HOURS", "twelve")
    with pytest.raises(ValueError, match="PATHWAYS_TOKEN_HOURS: expected an integer"):
        env.number("PATHWAYS_TOKEN_HOURS")


def test_lists_split_on_commas(monkeypatch) -> None:
    monkeypatch.setenv("PATHWAYS_ALLOWED_HOSTS", " a.example , b.example,,")
    assert env.strings("PATHWAYS_ALLOWED_HOSTS") == ["a.example", "b.example"]


def test_every_variable_is_documented() -> None:
    for variable in env.VARIABLES:
        assert variable.description.strip(), variable.name


def test_no_module_reads_the_environment_directly() -> None:
    allowed = {SRC / "config" / "env.py", SRC / "config" / "wsgi.py", SRC / "cli" / "site.py"}
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path not in allowed and re.search(r"os\.environ|os\.getenv", path.read_text())
    ]
    assert offenders == []
