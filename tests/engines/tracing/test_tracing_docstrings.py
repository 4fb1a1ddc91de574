"""The examples in the mastery engine's docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pathways.engines.tracing._online",
    "pathways.engines.tracing._log",
    "pathways.engines.tracing._packed",
    "pathways.engines.tracing._bkt",
    "pathways.engines.tracing._logistic",
    "pathways.engines.tracing._metrics",
    "pathways.engines.tracing._validation",
    "pathways.engines.tracing._io",
    "pathways.engines.tracing._calibrate",
    "pathways.engines.tracing.checks",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
