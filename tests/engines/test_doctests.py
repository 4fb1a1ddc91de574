"""The examples in engine and format docstrings run and give the output they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pathways.engines
import pathways.interop

MODULES = [
    m.name
    for package in (pathways.engines, pathways.interop)
    for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
