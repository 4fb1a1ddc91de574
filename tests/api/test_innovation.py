"""The system for innovation through the API: same rules as the pages."""

from __future__ import annotations

import pytest

from pathways.apps.innovation.models import Cycle, Practice
from pathways.apps.roster.models import School, Section

pytestmark = pytest.mark.django_db


def _section(title_end: str) -> Section:
    return Section.objects.get(title__endswith=title_end)


def test_cycles_are_listed_by_the_same_rule_as_the_pages(api) -> None:
    titles = {c["title"] for c in api("teacher1").get("/innovation/cycles").json()}
    assert titles == {"Weekly goal conferences in grade 4"}
    assert len(api("district1").get("/innovation/cycles").json()) == 2
    other = Cycle.objects.get(title="Goal conferences in grade 6")
    forbidden = api("teacher1").get(f"/innovation/cycles/{other.pk}")
    missing = api("teacher1").get("/innovation/cycles/999999")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    assert api("student1").get("/innovation/cycles").json() == []


def test_plan_note_study_adopt_through_the_api(api) -> None:
    client = api("teacher1")
    body = {
        "title": "Peer explanations",
        "change_idea": "Students explain a solution to a partner before the exit ticket.",
        "prediction": "Higher exit-ticket pass rate.",
        "measure": "exit_ticket",
        "trying": [_section("Room 101").pk],
        "comparison": [_section("Room 102").pk, _section("Room 103").pk],
        "start": "2026-10-01",
        "end": "2026-11-20",
        "predicted_difference": 0.05,
    }
    created = client.post("/innovation/cycles", body)
    assert created.status_code == 201, created.content
    cycle_id = created.json()["id"]
    assert (
        client.post(f"/innovation/cycles/{cycle_id}/notes", {"body": "Week 1"}).status_code == 201
    )
    # Deciding before studying is refused.
    early = client.post(f"/innovation/cycles/{cycle_id}/decision", {"decision": "abandon"})
    assert early.status_code == 409
    studied = client.post(f"/innovation/cycles/{cycle_id}/study").json()
    effect = studied["result"]["effect"]
    assert effect["low"] <= effect["difference"] <= effect["high"]
    assert studied["result"]["n_trying"] > 0
    assert any("one class" in f for f in studied["result"]["flags"])
    decided = client.post(
        f"/innovation/cycles/{cycle_id}/decision",
        {
            "decision": "adopt",
            "practice": {"title": "Peer explanations", "how_to": "Two minutes in pairs."},
        },
    )
    assert decided.status_code == 200
    practice_id = decided.json()["practice"]
    library = {p["id"]: p for p in client.get("/innovation/practices").json()}
    assert library[practice_id]["trials"][0]["cycle"] == cycle_id
    assert library[practice_id]["adopted_by"] == ["Cedar Grove Elementary"]


def test_adapt_starts_the_next_cycle(api) -> None:
    cycle = Cycle.objects.get(title="Goal conferences in grade 6")
    response = api("teacher2").post(
        f"/innovation/cycles/{cycle.pk}/decision", {"decision": "adapt", "notes": "Shorter"}
    )
    assert response.status_code == 200
    child = Cycle.objects.get(pk=response.json()["next_cycle"])
    assert child.parent_id == cycle.pk
    assert child.start > cycle.end
    assert set(child.trying_sections.values_list("pk", flat=True)) == set(
        cycle.trying_sections.values_list("pk", flat=True)
    )


def test_planning_in_someone_elses_class_is_a_404(api) -> None:
    body = {
        "title": "x",
        "change_idea": "x",
        "prediction": "x",
        "measure": "mastery_gain",
        "trying": [_section("Period 1").pk],
        "comparison": [_section("Period 3").pk],
        "start": "2026-10-01",
        "end": "2026-11-01",
    }
    assert api("teacher1").post("/innovation/cycles", body).status_code == 404
    body["trying"], body["comparison"] = [_section("Room 101").pk], [_section("Room 101").pk]
    assert api("teacher1").post("/innovation/cycles", body).status_code == 409


def test_adoption_needs_a_leader_of_that_school(api) -> None:
    practice = Practice.objects.get(title="Weekly goal conferences")
    middle = School.objects.get(name="Maple Ridge Middle")
    path = f"/innovation/practices/{practice.pk}/adoptions"
    assert api("principal1").post(path, {"school": middle.pk}).status_code == 404
    assert api("teacher2").post(path, {"school": middle.pk}).status_code == 404
    assert api("principal2").post(path, {"school": middle.pk}).status_code == 201


def test_problems_and_votes(api) -> None:
    client = api("teacher2")
    problems = client.get("/innovation/problems").json()
    assert problems[0]["status"] == "prioritized"
    first = problems[0]["id"]
    assert client.post(f"/innovation/problems/{first}/votes").status_code == 201
    assert client.post(f"/innovation/problems/{first}/votes").status_code == 200
    raised = client.post("/innovation/problems", {"title": "t", "description": "d"})
    assert raised.status_code == 201
    assert raised.json()["votes"] == 1
    assert api("student1").get("/innovation/problems").status_code == 404


def test_dashboard_and_survey_comparison_are_for_district_administrators(api) -> None:
    board = api("district1").get("/innovation/dashboard").json()
    assert board["students"] == 300
    # Room 101 (adopted) and Periods 1-2 (trying): 25 + 75 students.
    assert board["personalized"] == 100
    assert board["targets"] == {"year one": 0.01, "year four": 0.1}
    survey = api("district1").get("/innovation/survey/comparison").json()
    assert len(survey) == 8
    assert all(row["p_holm"] >= row["p_value"] for row in survey)
    assert api("teacher1").get("/innovation/dashboard").status_code == 404
    assert api("principal1").get("/innovation/survey/comparison").status_code == 404


def test_a_survey_item_cycle_through_the_api(api) -> None:
    from pathways.apps.innovation.models import SurveyItem

    item = SurveyItem.objects.get(code="pace-own")
    body = {
        "title": "Pacing conversations",
        "change_idea": "Weekly pacing check-ins.",
        "prediction": "Teachers agree more that students set their own pace.",
        "measure": "survey_item",
        "survey_item": item.pk,
        "trying": [_section("Room 101").pk],
        "comparison": [_section("Room 102").pk],
        "start": "2026-10-01",
        "end": "2026-11-20",
        "predicted_difference": 1.0,
    }
    created = api("teacher1").post("/innovation/cycles", body)
    assert created.status_code == 201, created.content
    assert created.json()["survey_item"] == item.pk
    assert created.json()["measure"] == "survey_item"
    missing = api("teacher1").post("/innovation/cycles", {**body, "survey_item": 999999})
    assert missing.status_code == 404
    no_item = api("teacher1").post("/innovation/cycles", {**body, "survey_item": None})
    assert no_item.status_code == 409
    studied = api("teacher1").post(f"/innovation/cycles/{created.json()['id']}/study").json()
    assert studied["result"]["unit"] == "teachers"


def test_the_library_filters_by_problem_through_the_api(api) -> None:
    from pathways.apps.innovation.models import Problem

    practice = Practice.objects.get(title="Weekly goal conferences")
    found = api("teacher1").get(f"/innovation/practices?problem={practice.problem_id}").json()
    assert practice.pk in {p["id"] for p in found}
    assert all(p["problem"] == practice.problem_id for p in found)
    other = Problem.objects.exclude(pk=practice.problem_id).first()
    found = api("teacher1").get(f"/innovation/practices?problem={other.pk}").json()
    assert practice.pk not in {p["id"] for p in found}
