"""The load benchmark at a small size: an open-loop generator against the production server;
every acknowledged submission is stored exactly once (full size, with latency: `make bench`).

No timing is asserted here (the machine is shared); the numbers are the benchmark's business.
"""

from __future__ import annotations

import json
import os
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
    assert result.stdout.strip(), result.stderr[-3000:]  # the script's own error, if it failed
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["data_ok"], summary
    assert summary["submitted"] == summary["acknowledged"] == summary["stored"] == 60
    assert summary["lost"] == summary["stored_but_unacknowledged"] == 0
    assert summary["estimates_miscounted"] == 0
    assert summary["heatmaps"] + summary["heatmap_errors"] == 3


def test_a_saturated_server_answers_429_and_refused_submissions_are_stored_once() -> None:
    """The production server with one slot per process and no queueing allowed: requests that
    overlap (a heatmap is being built, two submissions at once) are refused with 429 and
    Retry-After; the client sends them again, and nothing is lost, doubled or half-stored."""
    env = {**os.environ, "PATHWAYS_MAX_IN_FLIGHT": "1", "PATHWAYS_QUEUE_WAIT_MS": "0"}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--rate", "100", "--seconds", "2", "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.stdout.strip(), result.stderr[-3000:]  # the script's own error, if it failed
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["max_in_flight"] == 1
    assert summary["refused_429"] > 0, summary
    assert summary["shed_then_acknowledged"] > 0
    assert summary["data_ok"], summary
    assert summary["submitted"] == summary["acknowledged"] == summary["stored"] == 200
    assert summary["stored_but_unacknowledged"] == summary["estimates_miscounted"] == 0
    other_errors = {k: v for k, v in summary["errors"].items() if k != "429"}
    assert other_errors == {}
