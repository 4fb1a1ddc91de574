"""`pathways mastery recalibrate` on the demo district's evidence."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pathways.apps.mastery.models import CalibrationRun
from pathways.cli.recalibrate import recalibrate

pytestmark = pytest.mark.django_db


def test_recalibrate_reports_what_it_fitted() -> None:
    result = CliRunner().invoke(recalibrate, ["--min-responses", "40"])
    assert result.exit_code == 0, result.output
    run = CalibrationRun.objects.latest("finished_at")
    assert (
        f"Recalibrated {run.n_skills} standards from {run.n_responses} responses" in result.output
    )
