"""Observations, design competitions and communities of practice through the API."""

from __future__ import annotations

import pytest
from scipy import stats

from pathways.apps.accounts.models import User
from pathways.apps.innovation.models import Community, Competition, Observation, Post, Practice
from pathways.apps.roster.models import School, Section

pytestmark = pytest.mark.django_db


def _practice() -> Practice:
    return Practice.objects.get(title="Weekly goal conferences")


def _school(name: str) -> School:
    return School.objects.get(name=name)


def test_coaches_record_observations_against_look_fors(api) -> None:
    practice = _practice()
    cedar = _school("Cedar Grove Elementary")
    room102 = Section.objects.get(title__endswith="Room 102")
    url = f"/innovation/practices/{practice.pk}/observations"
    before = api("teacher1").get(url).json()
    first = practice.look_for_list[0]
    assert before["look_fors"][0] == {"look_for": first, "seen": 1, "observations": 1}
    body = {"school": cedar.pk, "section": room102.pk, "seen": [first], "notes": "Visit 2"}
    created = api("coach1").post(url, body)
    assert created.status_code == 201, created.content
    assert created.json()["seen"] == [first]
    assert created.json()["observer"]
    after = api("teacher1").get(url).json()
    assert after["look_fors"][0] == {"look_for": first, "seen": 2, "observations": 2}
    assert len(after["observations"]) == 2
    # A teacher does not lead the school; a coach does not lead another school: 404, unchanged.
    assert api("teacher1").post(url, body).status_code == 404
    maple = _school("Maple Ridge Middle")
    assert api("coach1").post(url, {**body, "school": maple.pk, "section": None}).status_code == 404
    # A look-for the practice does not list, or a class of another school: 409.
    assert api("coach1").post(url, {**body, "seen": ["Silence"]}).status_code == 409
    period1 = Section.objects.get(title__endswith="Period 1")
    assert api("district1").post(url, {**body, "section": period1.pk}).status_code == 409
    assert Observation.objects.filter(practice=practice).count() == 2
    assert api("student1").get(url).status_code == 404
    assert api("teacher1").get("/innovation/practices/999999/observations").status_code == 404


def test_competition_ranking_from_the_demo_reviews(api) -> None:
    competition = Competition.objects.get()
    found = api("teacher1").get(f"/innovation/competitions/{competition.pk}").json()
    # By hand from the demo: Flex Friday 10 (district1) and 10 (teacher2); Mastery lab 8 and 8;
    # Goal-setting advisory 10 (district1) and 10 (coach1). Equal means share a rank.
    standings = {
        s["title"]: (s["rank"], s["mean_total"], s["reviewers"]) for s in found["standings"]
    }
    assert standings == {
        "Flex Friday workshop hour": (1, 10.0, 2),
        "Goal-setting advisory": (1, 10.0, 2),
        "Mastery lab with peer tutors": (3, 8.0, 2),
    }
    assert found["reviewers"] == 3
    assert found["agreement"] is None  # only district1 scored every proposal
    listing = api("principal1").get("/innovation/competitions").json()
    assert [c["id"] for c in listing] == [competition.pk]
    assert api("student1").get(f"/innovation/competitions/{competition.pk}").status_code == 404


def test_open_propose_review_through_the_api(api) -> None:
    body = {
        "title": "Student-led conferences",
        "criteria": ["Clear problem", "Evidence"],
        "closes_on": "2027-01-29",
        "max_score": 5,
    }
    assert api("principal1").post("/innovation/competitions", body).status_code == 404
    opened = api("district1").post("/innovation/competitions", body)
    assert opened.status_code == 201, opened.content
    cid = opened.json()["id"]
    dup = api("district1").post("/innovation/competitions", {**body, "criteria": ["A", "A"]})
    assert dup.status_code == 409
    cedar, maple = _school("Cedar Grove Elementary"), _school("Maple Ridge Middle")
    proposal = {"school": cedar.pk, "title": "Portfolio nights", "summary": "Students present."}
    assert (
        api("teacher1").post(f"/innovation/competitions/{cid}/proposals", proposal).status_code
        == 404
    )
    assert (
        api("principal1")
        .post(f"/innovation/competitions/{cid}/proposals", {**proposal, "school": maple.pk})
        .status_code
        == 404
    )
    made = api("principal1").post(f"/innovation/competitions/{cid}/proposals", proposal)
    assert made.status_code == 201
    pid = made.json()["id"]
    scores = {"scores": {"Clear problem": 4, "Evidence": 5}, "comment": "Strong."}
    own = api("teacher1").post(f"/innovation/proposals/{pid}/reviews", scores)
    assert own.status_code == 409  # teacher1 works at the proposing school
    assert "own school" in own.json()["detail"]
    scored = api("teacher2").post(f"/innovation/proposals/{pid}/reviews", scores)
    assert scored.status_code == 201
    assert scored.json()["total"] == 9
    again = api("teacher2").post(
        f"/innovation/proposals/{pid}/reviews", {"scores": {"Clear problem": 2, "Evidence": 3}}
    )
    assert again.status_code == 200
    assert again.json()["total"] == 5  # replaces, not adds
    partial = api("teacher2").post(
        f"/innovation/proposals/{pid}/reviews", {"scores": {"Clear problem": 2}}
    )
    assert partial.status_code == 409
    too_high = api("teacher2").post(
        f"/innovation/proposals/{pid}/reviews", {"scores": {"Clear problem": 6, "Evidence": 1}}
    )
    assert too_high.status_code == 409
    result = api("teacher2").get(f"/innovation/competitions/{cid}").json()
    assert result["standings"][0]["mean_total"] == 5.0
    assert result["agreement"] is None  # one reviewer
    assert api("student1").post(f"/innovation/proposals/{pid}/reviews", scores).status_code == 404


def test_agreement_is_kendalls_w_checked_against_friedman(api) -> None:
    """Two reviewers from outside the proposing school score three proposals."""
    opened = (
        api("district1")
        .post(
            "/innovation/competitions",
            {"title": "W check", "criteria": ["Only"], "closes_on": "2027-02-01", "max_score": 10},
        )
        .json()
    )
    cedar = _school("Cedar Grove Elementary")
    ids = [
        api("principal1")
        .post(
            f"/innovation/competitions/{opened['id']}/proposals",
            {"school": cedar.pk, "title": title, "summary": "s"},
        )
        .json()["id"]
        for title in ("One", "Two", "Three")
    ]
    marks = {"district1": [7, 5, 3], "teacher2": [6, 6, 2]}  # teacher2 teaches at Maple Ridge
    for reviewer, scores in marks.items():
        for pid, score in zip(ids, scores, strict=True):
            answer = api(reviewer).post(
                f"/innovation/proposals/{pid}/reviews", {"scores": {"Only": score}}
            )
            assert answer.status_code == 201
    result = api("district1").get(f"/innovation/competitions/{opened['id']}").json()
    assert [s["title"] for s in result["standings"]] == ["One", "Two", "Three"]
    assert [s["mean_total"] for s in result["standings"]] == [6.5, 5.5, 2.5]
    chi2 = stats.friedmanchisquare(*zip(*marks.values(), strict=True)).statistic
    m, n = 2, 3
    assert result["agreement"] == pytest.approx(chi2 / (m * (n - 1)))


def test_communities_members_practices_and_threads(api) -> None:
    community = Community.objects.get()
    detail = api("teacher1").get(f"/innovation/communities/{community.pk}").json()
    assert detail["is_member"] is False
    assert {p["title"] for p in detail["practices"]} == {"Weekly goal conferences"}
    opening, reply = detail["posts"]
    assert reply["parent"] == opening["id"]
    assert opening["parent"] is None
    url = f"/innovation/communities/{community.pk}"
    # Not yet a member: may not post or share.
    assert api("teacher1").post(f"{url}/posts", {"body": "Hello"}).status_code == 409
    joined = api("teacher1").post(f"{url}/members")
    assert joined.status_code == 201
    assert joined.json()["is_member"] is True
    assert api("teacher1").post(f"{url}/members").status_code == 200
    answer = api("teacher1").post(
        f"{url}/posts", {"body": "We do it on Fridays.", "parent": reply["id"]}
    )
    assert answer.status_code == 201
    assert answer.json()["parent"] == reply["id"]
    posts = api("teacher2").get(url).json()["posts"]
    assert [p["id"] for p in posts] == [opening["id"], reply["id"], answer.json()["id"]]
    other = api("teacher1").post(
        "/innovation/communities", {"name": "Exit tickets", "purpose": "Share good items."}
    )
    assert other.status_code == 201
    assert [m["id"] for m in other.json()["members"]] == [User.objects.get(username="teacher1").pk]
    foreign_parent = api("teacher1").post(
        f"/innovation/communities/{other.json()['id']}/posts",
        {"body": "x", "parent": opening["id"]},
    )
    assert foreign_parent.status_code == 404
    practice = _practice()
    shared = api("teacher1").post(
        f"/innovation/communities/{other.json()['id']}/practices", {"practice": practice.pk}
    )
    assert shared.status_code == 200
    assert [p["id"] for p in shared.json()["practices"]] == [practice.pk]
    listing = {c["name"]: c for c in api("coach1").get("/innovation/communities").json()}
    assert listing["Goal-setting across grades 4-6"]["members"] == 3
    assert listing["Goal-setting across grades 4-6"]["posts"] == 3
    assert api("student1").get(url).status_code == 404
    assert api("guardian1").post(f"{url}/members").status_code == 404
    assert Post.objects.filter(community=community).count() == 3
