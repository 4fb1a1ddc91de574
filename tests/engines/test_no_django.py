"""Engines and formats run without Django: import each in a fresh interpreter and check."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pathways.engines
import pathways.interop


def _modules() -> list[str]:
    names = []
    for package in (pathways.engines, pathways.interop):
        names.append(package.__name__)
        names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    return names


def test_importing_every_engine_and_format_module_never_loads_django() -> None:
    modules = _modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja'))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
