"""Shared test setup: markers by folder, so `-m "not browser"` and friends select whole areas."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run and machine (`make test`, CI), so a red build
# means the code changed, not the dice. `make fuzz` sets PATHWAYS_FUZZ_EXAMPLES and explores with
# fresh random draws; a failure it finds becomes a regression test.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
FUZZ_EXAMPLES = int(os.environ.get("PATHWAYS_FUZZ_EXAMPLES", "0"))
settings.load_profile("explore" if FUZZ_EXAMPLES else "repeatable")

TESTS = Path(__file__).parent
_FOLDER_MARKERS = {"engines": "engine", "interop": "engine", "browser": "browser"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        top = Path(item.fspath).relative_to(TESTS).parts[0]
        marker = _FOLDER_MARKERS.get(top)
        if marker:
            item.add_marker(getattr(pytest.mark, marker))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    """Every database test starts from the demo district, built once per test process.

    Tests run inside transactions that roll back, so the demo is shared and never changes.
    """
    from pathways.demo.district import build_demo_district

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        build_demo_district()


@pytest.fixture
def person(db: None):
    """``person("teacher1")``: a demo account by username."""
    from pathways.apps.accounts.models import User

    return lambda username: User.objects.get(username=username)
