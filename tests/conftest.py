"""Shared test setup: markers by folder, so `-m "not browser"` and friends select whole areas."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
_FOLDER_MARKERS = {"engines": "engine", "interop": "engine", "browser": "browser"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        top = Path(item.fspath).relative_to(TESTS).parts[0]
        marker = _FOLDER_MARKERS.get(top)
        if marker:
            item.add_marker(getattr(pytest.mark, marker))
