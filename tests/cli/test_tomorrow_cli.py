"""`pathways tomorrow`: the daily loop from the command line, on the demo district."""

from __future__ import annotations

import uuid
from datetime import datetime, time

import pytest
from click.testing import CliRunner
from django.utils import timezone

from pathways.apps.evidence.models import Evidence
from pathways.apps.scheduling.models import DailySchedule
from pathways.apps.scheduling.queries import next_school_day
from pathways.apps.standards.models import Standard
from pathways.cli.main import cli

pytestmark = pytest.mark.django_db


def test_tomorrow_schedules_every_school_and_leaves_published_days_alone(person) -> None:
    today = timezone.localdate()
    day = next_school_day(today)
    DailySchedule.objects.filter(school__sourced_id="demo-maple-ridge", day=day).update(
        status="published"
    )
    Evidence.objects.create(  # today's exit ticket: its student's mastery is replayed
        id=uuid.uuid4(),
        student=person("student1"),
        standard=Standard.objects.filter(courses__isnull=False).first(),
        kind=Evidence.Kind.EXIT_TICKET,
        correct=True,
        occurred_at=timezone.make_aware(datetime.combine(today, time(11))),
    )
    result = CliRunner().invoke(
        cli, ["tomorrow", "--today", today.isoformat(), "--time-limit", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "Cedar Grove Elementary" in result.stdout
    assert "150 students" in result.stdout
    assert "Maple Ridge Middle" in result.stdout
    assert "published already" in result.stdout
    assert "Replaying mastery of 1 student with" in result.stderr
