"""Crash test at a small size: SIGKILL the production server mid-load; no acknowledged answer is
lost or doubled, and the database passes its integrity check (full size: `make crash-test`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "scripts" / "crash_test.py"

pytestmark = pytest.mark.xdist_group("crash")


def test_sigkill_mid_load_loses_and_doubles_nothing() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--kills",
            "2",
            "--submissions",
            "120",
            "--clients",
            "4",
            "--min-gap",
            "0.4",
            "--max-gap",
            "0.8",
            "--max-seconds",
            "120",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["ok"], summary
    assert summary["kills"] == 2
    assert summary["lost"] == 0
    assert summary["stored"] == summary["acknowledged"] == 120
    assert summary["integrity"].startswith("ok")
