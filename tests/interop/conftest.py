"""Real sample files live in ``shared/data/standards`` beside the repository, never copied in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STANDARDS_DATA = Path(
    os.environ.get("PATHWAYS_STANDARDS_DATA", REPO.parent / "shared" / "data" / "standards")
)


@pytest.fixture
def standards_data() -> Path:
    if not STANDARDS_DATA.is_dir():
        pytest.skip(f"real sample files not found at {STANDARDS_DATA}")
    return STANDARDS_DATA
