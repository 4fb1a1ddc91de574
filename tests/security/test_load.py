"""The load benchmark at a small size: an open-loop generator against the production server;
every acknowledged submission is stored exactly once (full size, with latency: `make bench`).

No timing is asserted here (the machine is shared); the numbers are the benchmark's business.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "bench" / "load" / "evidence_load.py"

pytestmark = pytest.mark.xdist_group("crash")


def test_open_loop_load_stores_every_acknowledged_submission_exactly_once() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--rate", "20", "--seconds", "3", "--timeout", "20"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["data_ok"], summary
    assert summary["submitted"] == summary["acknowledged"] == summary["stored"] == 60
    assert summary["lost"] == summary["stored_but_unacknowledged"] == 0
    assert summary["estimates_miscounted"] == 0
    assert summary["heatmaps"] + summary["heatmap_errors"] == 3
