"""The schedules API: read a school's day, move a student (409 with the engine's reasons)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from pathways.apps.scheduling.models import DailySchedule
from pathways.apps.scheduling.queries import next_school_day

pytestmark = pytest.mark.django_db


def _schedule() -> DailySchedule:
    return DailySchedule.objects.get(
        school__sourced_id="demo-cedar-grove", day=next_school_day(timezone.localdate())
    )


def test_staff_read_a_schools_day_and_others_get_404(api) -> None:
    schedule = _schedule()
    path = f"/schools/{schedule.school_id}/schedules/{schedule.day.isoformat()}"
    body = api("teacher1").get(path).json()
    assert body["id"] == schedule.pk
    assert len(body["places"]) == 450
    assert {g["modality"] for g in body["groups"]} >= {"TL", "PC", "IP"}
    assert api("district1").get(path).status_code == 200
    assert api("teacher2").get(path).status_code == 404
    assert api("student1").get(path).status_code == 404
    missing = f"/schools/{schedule.school_id}/schedules/2020-01-01"
    assert api("teacher1").get(missing).status_code == 404


def test_a_refused_move_answers_409_with_the_rules(api) -> None:
    from tests.apps.scheduling.test_scheduling import _refusable_move

    schedule = _schedule()
    place, group = _refusable_move(schedule)
    client = api("teacher1")
    body = {"student": place.student_id, "block": 0, "group": group.pk}
    response = client.post(f"/schedules/{schedule.pk}/moves", body)
    assert response.status_code == 409
    assert any("rule 2" in v for v in response.json()["violations"])
    wrong_block = client.post(f"/schedules/{schedule.pk}/moves", {**body, "block": 1})
    assert wrong_block.status_code == 400
    assert api("district1").post(f"/schedules/{schedule.pk}/moves", body).status_code == 404
