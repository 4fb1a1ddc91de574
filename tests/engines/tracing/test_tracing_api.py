"""The public surface of pathways.engines.tracing (httpx's test_all_imports_are_exported)."""

from __future__ import annotations

import subprocess
import sys

import pathways.engines.tracing as tracing


def test_all_public_names_are_exported() -> None:
    public = {name for name in dir(tracing) if not name.startswith("_")}
    modules = {"checks"}
    assert public - modules == set(tracing.__all__)


def test_the_engine_and_its_cli_never_import_django() -> None:
    code = (
        "import sys, pathways.engines.tracing, pathways.cli.mastery; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
