"""The activity library in the API: search and filter, read one, add one (staff only)."""

from __future__ import annotations

import pytest

from pathways.apps.activities.models import Activity
from pathways.apps.roster.models import District

pytestmark = pytest.mark.django_db


def _district_of_demo() -> District:
    return District.objects.get(name__startswith="Riverbend")


def test_staff_list_the_districts_library_in_pages(api) -> None:
    first = api("teacher1").get("/activities?limit=5").json()
    total = Activity.objects.filter(district=_district_of_demo()).count()
    assert first["count"] == total
    assert len(first["items"]) == 5
    second = api("teacher1").get("/activities?limit=5&offset=5").json()
    assert not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}


def test_filters_narrow_by_bloom_modality_standard_words_and_interest(api) -> None:
    client = api("teacher1")
    deep = client.get("/activities?bloom=4&limit=200").json()["items"]
    assert deep
    assert all(a["bloom_level"] == 4 for a in deep)
    projects = client.get("/activities?modality=project&limit=200").json()["items"]
    assert projects
    assert all(a["modality"] == "project" for a in projects)
    tagged = next(
        a for a in Activity.objects.filter(district=_district_of_demo()) if a.interest_tags
    )
    tag = tagged.interest_tags[0]
    by_tag = client.get(f"/activities?interest={tag}&limit=200").json()["items"]
    assert tagged.pk in [a["id"] for a in by_tag]
    assert all(tag in a["interest_tags"] for a in by_tag)
    code = tagged.standards.first().short_code
    by_code = client.get(f"/activities?standard={code}&limit=200").json()["items"]
    assert tagged.pk in [a["id"] for a in by_code]
    assert all(any(s["code"].endswith(code) for s in a["standards"]) for a in by_code)
    word = tagged.title.split()[0]
    by_word = client.get(f"/activities?q={word}&limit=200").json()["items"]
    assert tagged.pk in [a["id"] for a in by_word]


def test_an_unknown_filter_value_is_422(api) -> None:
    assert api("teacher1").get("/activities?bloom=9").status_code == 422
    assert api("teacher1").get("/activities?modality=dance").status_code == 422


def test_students_and_guardians_have_no_library(api, person) -> None:
    activity = Activity.objects.filter(district=_district_of_demo()).first()
    for who in ("student1", "guardian1"):
        assert api(who).get("/activities").status_code == 404, who
        assert api(who).get(f"/activities/{activity.pk}").status_code == 404, who


def test_detail_has_description_materials_and_standards(api) -> None:
    activity = Activity.objects.filter(district=_district_of_demo()).first()
    body = api("coach1").get(f"/activities/{activity.pk}").json()
    assert body["description"] == activity.description
    assert body["materials"] == activity.materials
    assert {s["id"] for s in body["standards"]} == set(
        activity.standards.values_list("pk", flat=True)
    )


def test_an_activity_of_another_district_is_404(api) -> None:
    elsewhere = District.objects.create(name="Elsewhere")
    foreign = Activity.objects.create(
        district=elsewhere, title="Foreign", modality="project", bloom_level=4, duration_minutes=30
    )
    assert api("district1").get(f"/activities/{foreign.pk}").status_code == 404
    assert foreign.pk not in [
        a["id"] for a in api("district1").get("/activities?q=Foreign").json()["items"]
    ]


def _new(code: str, **extra: object) -> dict[str, object]:
    return {
        "title": "Fraction recipes",
        "description": "Scale a recipe up and down.",
        "modality": "collaborative",
        "bloom_level": 3,
        "duration_minutes": 25,
        "interest_tags": ["Cooking", " food "],
        "standards": [code],
        **extra,
    }


def _a_code() -> str:
    activity = Activity.objects.filter(district=_district_of_demo()).first()
    return activity.standards.first().short_code


def test_a_teacher_adds_an_activity_and_finds_it_by_its_tag(api) -> None:
    client = api("teacher1")
    made = client.post("/activities", _new(_a_code()))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["interest_tags"] == ["cooking", "food"]
    assert body["standards"][0]["code"] == _a_code()
    found = client.get("/activities?interest=cooking").json()["items"]
    assert body["id"] in [a["id"] for a in found]


def test_an_unknown_standard_code_is_404_and_named(api) -> None:
    made = api("teacher1").post("/activities", _new("9.ZZ.Q.99"))
    assert made.status_code == 404
    assert "9.ZZ.Q.99" in made.json()["detail"]


def test_a_blank_title_or_an_out_of_range_duration_is_rejected(api) -> None:
    client = api("teacher1")
    assert client.post("/activities", _new(_a_code(), title="   ")).status_code == 422
    assert client.post("/activities", _new(_a_code(), duration_minutes=0)).status_code == 422


def test_students_and_guardians_cannot_add_activities(api) -> None:
    for who in ("student1", "guardian1"):
        assert api(who).post("/activities", _new(_a_code())).status_code == 404, who
