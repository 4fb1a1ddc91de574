"""Editing the district's goals and the teacher practice survey: district administrators only,
every change audited, retiring an item keeps its past answers."""

from __future__ import annotations

import pytest
from django.test import Client

from pathways.apps.innovation import queries
from pathways.apps.innovation.models import EditLog, Goal, SurveyItem, SurveyResponse
from pathways.apps.roster.models import School

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/signin/", {"username": username, "password": "pathways-demo"})
    assert response.status_code == 302
    return client


def _district():
    return School.objects.get(name="Cedar Grove Elementary").district


@pytest.mark.parametrize("username", ["teacher1", "coach1", "principal1", "student1", "guardian1"])
def test_only_district_administrators_edit_goals_and_items(username: str) -> None:
    client = signed_in(username)
    goal = Goal.objects.filter(district=_district()).first()
    item = SurveyItem.objects.filter(district=_district()).first()
    for url in (
        "/innovation/goals/",
        f"/innovation/goals/{goal.pk}/",
        "/innovation/survey/items/",
        f"/innovation/survey/items/{item.pk}/",
    ):
        assert client.get(url).status_code == 404
    before = (goal.title, item.text)
    client.post(f"/innovation/goals/{goal.pk}/", {"part": "goal", "area": "social", "title": "x"})
    client.post(f"/innovation/survey/items/{item.pk}/", {"part": "retire"})
    goal.refresh_from_db()
    item.refresh_from_db()
    assert (goal.title, item.text) == before
    assert item.retired_at is None


def test_goal_create_edit_measures_remove_all_audited() -> None:
    admin = signed_in("district1")
    assert admin.get("/innovation/goals/").status_code == 200
    response = admin.post(
        "/innovation/goals/", {"area": "emotional", "title": "Students feel safe to try"}
    )
    assert response.status_code == 302
    goal = Goal.objects.get(title="Students feel safe to try")
    assert response["Location"] == f"/innovation/goals/{goal.pk}/"
    edited = admin.post(
        f"/innovation/goals/{goal.pk}/",
        {"part": "goal", "area": "social", "title": "Students feel safe to take risks"},
    )
    assert edited.status_code == 302
    goal.refresh_from_db()
    assert (goal.area, goal.title) == ("social", "Students feel safe to take risks")
    standard = queries.district_standards(goal.district)[0]
    item = SurveyItem.objects.get(code="pace-own")
    grade = queries.district_grades(goal.district)[0]
    for measure in (
        {"kind": "standards", "description": "Mastery", "standards": [standard.pk]},
        {"kind": "grade", "description": "Grade results", "grade": grade, "target": "80%"},
        {"kind": "survey_item", "description": "Teachers agree", "survey_item": item.pk},
    ):
        answer = admin.post(f"/innovation/goals/{goal.pk}/", {"part": "measure", **measure})
        assert answer.status_code == 302, answer.content.decode()
    measures = {m.kind: m for m in goal.measures.all()}
    assert list(measures["standards"].standards.all()) == [standard]
    assert measures["grade"].grade == grade
    assert measures["grade"].target == "80%"
    assert measures["survey_item"].survey_item == item
    refused = admin.post(
        f"/innovation/goals/{goal.pk}/",
        {"part": "measure", "kind": "standards", "description": "x"},
    )
    assert refused.status_code == 400
    assert "at least one standard" in refused.content.decode()
    page = admin.get(f"/innovation/goals/{goal.pk}/").content.decode()
    assert "title: &#x27;Students feel safe to try&#x27; -&gt; &#x27;Students feel safe" in page
    admin.post(
        f"/innovation/goals/{goal.pk}/",
        {"part": "remove-measure", "measure": measures["grade"].pk},
    )
    assert goal.measures.count() == 2
    log = list(EditLog.objects.filter(object_type="goal", object_id=goal.pk).order_by("pk"))
    assert [e.action for e in log] == [
        "created",
        "edited",
        "added measure",
        "added measure",
        "added measure",
        "removed measure",
    ]
    assert {e.actor.username for e in log} == {"district1"}
    gone = admin.post(f"/innovation/goals/{goal.pk}/", {"part": "remove-goal"})
    assert gone.status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert EditLog.objects.filter(object_id=goal.pk, action="removed").exists()
    # The hub shows goals to all staff; only administrators get the edit link.
    assert "/innovation/goals/" in admin.get("/innovation/").content.decode()
    assert "/innovation/goals/" not in signed_in("teacher1").get("/innovation/").content.decode()


def test_survey_item_create_reword_rescale_retire_keeps_past_answers() -> None:
    admin, teacher = signed_in("district1"), signed_in("teacher1")
    created = admin.post(
        "/innovation/survey/items/",
        {
            "code": "choice-path",
            "construct": "choice",
            "text": "Students choose how they show mastery.",
            "position": "9",
            "scale": "Always\nOften\nSometimes\nNever",
        },
    )
    assert created.status_code == 302
    item = SurveyItem.objects.get(code="choice-path")
    assert item.labels == ["Always", "Often", "Sometimes", "Never"]
    form = teacher.get("/innovation/survey/").content.decode()
    assert "Students choose how they show mastery." in form
    assert 'name="choice-path" value="Often"' in form
    assert teacher.post("/innovation/survey/", {"choice-path": "Often"}).status_code == 200
    assert SurveyResponse.objects.filter(item=item).count() == 1
    duplicate = admin.post(
        "/innovation/survey/items/", {"code": "choice-path", "construct": "choice", "text": "x"}
    )
    assert duplicate.status_code == 400
    url = f"/innovation/survey/items/{item.pk}/"
    reworded = admin.post(
        url,
        {
            "part": "edit",
            "construct": "choice",
            "text": "Students choose how to show what they learned.",
            "position": "9",
            "scale": "Always\nOften\nSometimes\nRarely\nNever",
        },
    )
    assert reworded.status_code == 302
    item.refresh_from_db()
    assert item.text == "Students choose how to show what they learned."
    assert len(item.labels) == 5
    dropped = admin.post(
        url,
        {"part": "edit", "construct": "choice", "text": "x", "position": "9", "scale": "A\nB"},
    )
    assert dropped.status_code == 400
    assert "past answers use Often" in dropped.content.decode()
    item.refresh_from_db()
    assert item.text == "Students choose how to show what they learned."
    assert admin.post(url, {"part": "retire"}).status_code == 302
    item.refresh_from_db()
    assert item.retired_at is not None
    assert "choice-path" not in teacher.get("/innovation/survey/").content.decode()
    assert SurveyResponse.objects.filter(item=item).count() == 1  # the past answer is kept
    year = queries.current_school_year(item.district, item.retired_at.date())
    kept = {r.item.code: r for r in queries.survey_comparison(item.district, year)}
    assert kept["choice-path"].comparison.n == 1
    assert kept["choice-path"].comparison.share == 1.0  # "Often" is in this item's top two
    listing = admin.get("/innovation/survey/items/").content.decode()
    assert "Retired" in listing
    admin.post(url, {"part": "restore"})
    item.refresh_from_db()
    assert item.retired_at is None
    actions = list(
        EditLog.objects.filter(object_type="survey item", object_id=item.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["created", "edited", "retired", "restored"]


def test_benchmark_import_replaces_the_sample_and_is_audited() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pathways.apps.innovation.models import BenchmarkResponse

    admin = signed_in("district1")
    district = _district()
    csv_text = (
        "\ufeffrespondent_id,item_id,answer\n"
        "r1,pace-own,Agree a lot\nr2,pace-own,Disagree\nr2,not-an-item,Agree a lot\n"
    )
    upload = SimpleUploadedFile("bench.csv", csv_text.encode("utf-8"), content_type="text/csv")
    page = admin.post(
        "/innovation/survey/items/",
        {"part": "benchmark", "source": "State sample 2026", "file": upload},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Imported 3 benchmark answers" in text
    assert "3 answers from 2 respondents" in text
    assert "not-an-item" in text  # listed as not compared
    assert BenchmarkResponse.objects.filter(district=district).count() == 3
    rows = {r.item.code: r.comparison for r in queries.survey_comparison(district, 2027)}
    assert rows["pace-own"].benchmark_n == 2
    assert rows["pace-own"].benchmark_share == 0.5
    bad = SimpleUploadedFile("bad.csv", b"who,what\n1,2\n", content_type="text/csv")
    refused = admin.post(
        "/innovation/survey/items/", {"part": "benchmark", "source": "x", "file": bad}
    )
    assert refused.status_code == 400
    assert "respondent_id, item_id, answer" in refused.content.decode()
    assert BenchmarkResponse.objects.filter(district=district).count() == 3  # unchanged
    log = EditLog.objects.filter(object_type="benchmark").order_by("-pk").first()  # the demo's too
    assert log.actor.username == "district1"
    assert log.summary.startswith("State sample 2026: 3 answers from 2 respondents (replacing")
    teacher_upload = SimpleUploadedFile("t.csv", csv_text.encode(), content_type="text/csv")
    assert (
        signed_in("principal1")
        .post(
            "/innovation/survey/items/",
            {"part": "benchmark", "source": "x", "file": teacher_upload},
        )
        .status_code
        == 404
    )
