"""The three layers point down only (import-linter contracts in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    if not lint_imports.exists():
        pytest.fail("import-linter is not installed (make install)")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_interfaces_never_query_models_directly() -> None:
    """Pages and endpoints read through apps' queries and services (Saleor's rule)."""
    offenders = []
    for folder in ("web", "api"):
        for path in (ROOT / "src" / "pathways" / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if ".objects." in line and ".objects.filter(pk=" not in line:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
