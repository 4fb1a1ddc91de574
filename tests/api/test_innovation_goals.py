"""Goals and survey items through the API: staff read, district administrators write."""

from __future__ import annotations

import pytest

from pathways.apps.innovation import queries
from pathways.apps.innovation.models import EditLog, Goal, SurveyItem, SurveyResponse
from pathways.apps.roster.models import School

pytestmark = pytest.mark.django_db


def _district():
    return School.objects.get(name="Cedar Grove Elementary").district


def test_staff_read_goals_and_administrators_write_them(api) -> None:
    goals = api("teacher1").get("/innovation/goals").json()
    assert "Every student masters grade-level math standards by spring" in {
        g["title"] for g in goals
    }
    assert api("student1").get("/innovation/goals").status_code == 404
    body = {"area": "social", "title": "Students help each other", "description": ""}
    assert api("principal1").post("/innovation/goals", body).status_code == 404
    created = api("district1").post("/innovation/goals", body)
    assert created.status_code == 201
    gid = created.json()["id"]
    edited = api("district1").put(f"/innovation/goals/{gid}", {**body, "area": "emotional"})
    assert edited.status_code == 200
    assert edited.json()["area"] == "emotional"
    assert api("coach1").put(f"/innovation/goals/{gid}", body).status_code == 404
    standard = queries.district_standards(_district())[0]
    measured = api("district1").post(
        f"/innovation/goals/{gid}/measures",
        {"kind": "standards", "description": "Mastery", "standards": [standard.pk]},
    )
    assert measured.status_code == 201
    assert measured.json()["measures"][0]["standards"] == [standard.code]
    empty = api("district1").post(
        f"/innovation/goals/{gid}/measures", {"kind": "grade", "description": "x"}
    )
    assert empty.status_code == 409
    assert (
        api("district1")
        .post(
            f"/innovation/goals/{gid}/measures",
            {"kind": "survey_item", "description": "x", "survey_item": 999999},
        )
        .status_code
        == 404
    )
    actions = list(
        EditLog.objects.filter(object_type="goal", object_id=gid)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["created", "edited", "added measure"]
    assert Goal.objects.get(pk=gid).measures.count() == 1


def test_survey_items_created_rescaled_and_retired_keeping_answers(api, person) -> None:
    listing = api("teacher1").get("/innovation/survey/items").json()
    assert len(listing) == 8
    assert listing[0]["construct"] == SurveyItem.objects.get(pk=listing[0]["id"]).construct
    body = {"code": "reflect-weekly", "construct": "reflection", "text": "Students reflect weekly."}
    assert api("teacher1").post("/innovation/survey/items", body).status_code == 404
    created = api("district1").post("/innovation/survey/items", body)
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["scale"] == ["Agree a lot", "Mostly agree", "Disagree", "Strongly disagree"]
    assert api("district1").post("/innovation/survey/items", body).status_code == 409
    pace = SurveyItem.objects.get(code="pace-own")
    used = sorted(set(SurveyResponse.objects.filter(item=pace).values_list("answer", flat=True)))
    url = f"/innovation/survey/items/{pace.pk}"
    update = {"construct": "pacing", "text": "Students set their own pace.", "scale": ["A", "B"]}
    refused = api("district1").put(url, update)
    assert refused.status_code == 409
    assert used[0] in refused.json()["detail"]
    answers = SurveyResponse.objects.filter(item=pace).count()
    retired = api("district1").put(url, {**update, "scale": pace.labels, "retired": True})
    assert retired.status_code == 200
    assert retired.json()["retired_at"] is not None
    assert retired.json()["text"] == "Students set their own pace."
    assert retired.json()["answers"] == answers
    assert SurveyResponse.objects.filter(item=pace).count() == answers
    assert "pace-own" not in {i.code for i in queries.survey_items(pace.district)}
    assert api("principal1").put(url, update).status_code == 404
