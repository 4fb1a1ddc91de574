"""The system for innovation pages: problems, a full PDSA cycle, the library, dashboard, survey."""

from __future__ import annotations

import csv
import io

import pytest
from django.template.defaultfilters import floatformat
from django.test import Client

from pathways.apps.innovation.models import Adoption, Cycle, Practice, Problem, SurveyResponse
from pathways.apps.roster.models import Section

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/signin/", {"username": username, "password": "pathways-demo"})
    assert response.status_code == 302
    return client


def _section(title_end: str) -> Section:
    return Section.objects.get(title__endswith=title_end)


def test_staff_see_the_hub_and_students_do_not(django_assert_max_num_queries) -> None:
    client = signed_in("teacher1")
    with django_assert_max_num_queries(30):
        page = client.get("/innovation/").content.decode()
    assert "Every student masters grade-level math standards" in page
    assert "Weekly goal conferences in grade 4" in page
    assert "Goal conferences in grade 6" not in page  # another school's cycle
    assert signed_in("student1").get("/innovation/").status_code == 404
    assert signed_in("guardian1").get("/innovation/").status_code == 404


def test_a_cycle_of_another_school_is_a_404() -> None:
    cycle = Cycle.objects.get(title="Goal conferences in grade 6")
    assert signed_in("teacher1").get(f"/innovation/cycles/{cycle.pk}/").status_code == 404
    assert signed_in("district1").get(f"/innovation/cycles/{cycle.pk}/").status_code == 200
    # The district reads but does not carry on a school's cycle.
    response = signed_in("district1").post(f"/innovation/cycles/{cycle.pk}/note/", {"body": "x"})
    assert response.status_code == 404


def test_the_studied_demo_cycle_shows_effect_interval_flags_and_run_chart() -> None:
    cycle = Cycle.objects.get(title="Weekly goal conferences in grade 4")
    page = signed_in("coach1").get(f"/innovation/cycles/{cycle.pk}/").content.decode()
    effect = cycle.result["effect"]
    assert 'id="effect-summary"' in page
    assert floatformat(effect["low"], 3) in page
    assert floatformat(effect["high"], 3) in page
    assert "one class in a group" in page  # one trying class: flagged, never overclaimed
    assert 'data-source="run-chart"' in page
    assert 'id="run-chart"' in page
    assert "Prediction against result" in page


def test_full_cycle_through_the_pages() -> None:
    teacher = signed_in("teacher1")
    form = teacher.get("/innovation/cycles/new/").content.decode()
    room101, room102, period3 = _section("Room 101"), _section("Room 102"), _section("Period 3")
    assert f'value="{room101.pk}"' in form
    assert f'value="{period3.pk}"' not in form  # another school's class is not offered
    response = teacher.post(
        "/innovation/cycles/new/",
        {
            "title": "Exit tickets with self-assessment",
            "change_idea": "Students rate their confidence before the exit ticket.",
            "prediction": "Pass rate up 5 points.",
            "predicted_difference": "0.05",
            "measure": "exit_ticket",
            "trying": [room101.pk],
            "comparison": [room102.pk],
            "start": "2026-10-01",
            "end": "2026-11-20",
        },
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get(title="Exit tickets with self-assessment")
    assert (
        teacher.post(f"/innovation/cycles/{cycle.pk}/note/", {"body": "Week 1"}).status_code == 302
    )
    assert teacher.post(f"/innovation/cycles/{cycle.pk}/study/").status_code == 302
    cycle.refresh_from_db()
    assert cycle.stage == Cycle.Stage.STUDY
    assert cycle.result["n_trying"] > 0
    assert cycle.result["effect"]["method"] == "welch"
    response = teacher.post(
        f"/innovation/cycles/{cycle.pk}/decide/",
        {
            "decision": "adopt",
            "notes": "Worth sharing",
            "codify": "yes",
            "title": "Confidence before exit tickets",
            "how_to": "One line on the ticket: how sure are you?",
            "look_fors": "Students rate confidence",
            "subject": "Math",
            "grade_span": "any",
        },
    )
    practice = Practice.objects.get(title="Confidence before exit tickets")
    assert response["Location"] == f"/innovation/practices/{practice.pk}/"
    assert Adoption.objects.filter(practice=practice, school=room101.school).exists()
    # Another school's principal adopts it; the district dashboard counts it.
    principal2 = signed_in("principal2")
    page = principal2.get(f"/innovation/practices/{practice.pk}/").content.decode()
    assert "Adopt at Maple Ridge Middle" in page
    response = principal2.post(
        f"/innovation/practices/{practice.pk}/adopt/", {"school": period3.school.pk}
    )
    assert response.status_code == 302
    dashboard = signed_in("district1").get("/innovation/dashboard/").content.decode()
    assert "Confidence before exit tickets" in dashboard
    rows = list(
        csv.reader(
            io.StringIO(
                signed_in("district1").get("/innovation/dashboard/adoption.csv").content.decode()
            )
        )
    )
    assert ["Confidence before exit tickets", "2"] in rows


def test_planning_refuses_a_class_in_both_groups_and_others_classes() -> None:
    teacher = signed_in("teacher1")
    room101, room102 = _section("Room 101"), _section("Room 102")
    base = {
        "title": "t",
        "change_idea": "c",
        "prediction": "p",
        "measure": "mastery_gain",
        "start": "2026-10-01",
        "end": "2026-11-01",
    }
    both = teacher.post(
        "/innovation/cycles/new/", {**base, "trying": [room101.pk], "comparison": [room101.pk]}
    )
    assert both.status_code == 400
    assert "cannot both try" in both.content.decode()
    not_mine = teacher.post(
        "/innovation/cycles/new/", {**base, "trying": [room102.pk], "comparison": [room101.pk]}
    )
    assert not_mine.status_code == 400
    assert "only in your own classes" in not_mine.content.decode()


def test_problems_raise_vote_and_discuss(django_assert_max_num_queries) -> None:
    client = signed_in("teacher2")
    with django_assert_max_num_queries(15):
        client.get("/innovation/problems/")
    assert (
        client.post(
            "/innovation/problems/",
            {"title": "Too little time to plan", "description": "No common planning period."},
        ).status_code
        == 302
    )
    problem = Problem.objects.get(title="Too little time to plan")
    assert problem.votes.count() == 1  # the person raising it votes for it
    other = signed_in("teacher8")
    other.post(f"/innovation/problems/{problem.pk}/vote/")
    other.post(f"/innovation/problems/{problem.pk}/vote/")  # a second vote is not counted
    other.post(f"/innovation/problems/{problem.pk}/discuss/", {"body": "Same at our school."})
    assert problem.votes.count() == 2
    page = client.get("/innovation/problems/").content.decode()
    assert "Same at our school." in page
    # Prioritized first, whatever the votes.
    assert page.index("Students move on before they have mastered") < page.index("Too little time")


def test_practice_library_filters(django_assert_max_num_queries) -> None:
    client = signed_in("teacher1")
    with django_assert_max_num_queries(15):
        client.get("/innovation/practices/")
    assert "Weekly goal conferences" in client.get("/innovation/practices/").content.decode()
    assert (
        "Weekly goal conferences"
        not in client.get("/innovation/practices/?q=zebra").content.decode()
    )
    assert (
        "Weekly goal conferences"
        not in client.get("/innovation/practices/?strength=strong").content.decode()
    )


def test_teacher_answers_the_survey_and_the_dashboard_compares(
    django_assert_max_num_queries,
) -> None:
    client = signed_in("teacher1")
    assert (
        client.post(
            "/innovation/survey/", {"pace-own": "Agree a lot", "choice-what": "Disagree"}
        ).status_code
        == 200
    )
    assert (
        SurveyResponse.objects.get(respondent__username="teacher1", item__code="pace-own").answer
        == "Agree a lot"
    )
    admin = signed_in("district1")
    with django_assert_max_num_queries(40):
        page = admin.get("/innovation/dashboard/").content.decode()
    assert 'id="survey-table"' in page
    assert 'id="cohort-table"' in page
    assert "staff stability 70%" in page  # the middle school's reason for the adopting cohort
    rows = list(
        csv.DictReader(io.StringIO(admin.get("/innovation/dashboard/survey.csv").content.decode()))
    )
    assert len(rows) == 8
    assert {"p_holm", "significant", "benchmark_share"} <= set(rows[0])
    assert signed_in("teacher1").get("/innovation/dashboard/").status_code == 404


def test_coach_records_an_observation_against_look_fors() -> None:
    practice = Practice.objects.get(title="Weekly goal conferences")
    coach = signed_in("coach1")
    page = coach.get(f"/innovation/practices/{practice.pk}/").content.decode()
    assert 'id="look-for-table"' in page
    assert "1 of 1 observation" in page  # the demo coach saw the first two look-fors
    school = Section.objects.get(title__endswith="Room 101").school
    response = coach.post(
        f"/innovation/practices/{practice.pk}/observe/",
        {"school": school.pk, "seen": [practice.look_for_list[2]], "notes": "Mentions evidence"},
    )
    assert response.status_code == 302
    page = coach.get(f"/innovation/practices/{practice.pk}/").content.decode()
    assert "Mentions evidence" in page
    # A look-for the practice does not list is refused.
    coach.post(
        f"/innovation/practices/{practice.pk}/observe/", {"school": school.pk, "seen": ["Other"]}
    )
    assert (
        "not a look-for of this practice"
        in coach.get(f"/innovation/practices/{practice.pk}/").content.decode()
    )


def test_design_competition_ranks_proposals_and_measures_agreement() -> None:
    from pathways.apps.innovation.models import Competition, Proposal

    competition = Competition.objects.get()
    teacher = signed_in("teacher2")  # Maple Ridge: may score Cedar Grove's proposals
    page = teacher.get(f"/innovation/competitions/{competition.pk}/").content.decode()
    assert 'id="ranking-table"' in page
    assert "needs at least two reviewers" in page  # only district1 scored every proposal
    advisory = Proposal.objects.get(title="Goal-setting advisory")
    # Not one's own school's proposal.
    teacher.post(
        f"/innovation/proposals/{advisory.pk}/review/",
        {"score-0": "4", "score-1": "4", "score-2": "4"},
    )
    assert (
        "do not score their own school"
        in teacher.get(f"/innovation/competitions/{competition.pk}/").content.decode()
    )
    # Agreement needs a second reviewer who scored every proposal: one without a school.
    from pathways.apps.accounts.models import User
    from pathways.apps.roster.models import Membership, Role

    reviewer = User.objects.create_user(username="reviewer-x", password="pathways-demo")
    Membership.objects.create(
        user=reviewer, role=Role.DISTRICT_ADMIN, district=competition.district
    )
    client = signed_in("reviewer-x")
    for proposal in Proposal.objects.filter(competition=competition):
        client.post(
            f"/innovation/proposals/{proposal.pk}/review/",
            {"score-0": "4", "score-1": "3", "score-2": "3"},
        )
    page = client.get(f"/innovation/competitions/{competition.pk}/").content.decode()
    assert "Kendall&#x27;s W" in page or "Kendall's W" in page


def test_leaders_record_readiness_case_and_flexibility_for_their_school() -> None:
    from pathways.apps.innovation.models import Flexibility, Readiness
    from pathways.apps.roster.models import School

    middle = School.objects.get(name="Maple Ridge Middle")
    assert signed_in("principal1").get(f"/innovation/schools/{middle.pk}/").status_code == 404
    client = signed_in("principal2")
    page = client.get(f"/innovation/schools/{middle.pk}/").content.decode()
    assert "Adopting" in page
    response = client.post(
        f"/innovation/schools/{middle.pk}/",
        {
            "part": "readiness",
            "principal_committed": "yes",
            "stability_percent": "85",
            "collaboration_minutes": "90",
            "sharing_norms": "yes",
        },
    )
    assert response.status_code == 302
    assert Readiness.objects.get(school=middle, school_year=2027).staff_stability == 0.85
    assert "Innovating" in client.get(f"/innovation/schools/{middle.pk}/").content.decode()
    bad = client.post(
        f"/innovation/schools/{middle.pk}/",
        {
            "part": "case",
            "grade_span": "6",
            "english_learner_percent": "140",
            "setting": "rural",
            "prior_personalization": "none",
        },
    )
    assert bad.status_code == 400
    client.post(
        f"/innovation/schools/{middle.pk}/",
        {
            "part": "flexibility",
            "kind": "waiver",
            "rule": "Bell schedule",
            "description": "Flex hour",
            "status": "requested",
        },
    )
    assert Flexibility.objects.filter(school=middle, rule="Bell schedule").exists()


def test_community_of_practice_join_share_and_threaded_discussion() -> None:
    from pathways.apps.innovation.models import Community

    found = Community.objects.get()
    client = signed_in("teacher1")
    page = client.get(f"/innovation/communities/{found.pk}/").content.decode()
    assert "Cedar Grove Elementary, Maple Ridge Middle" in page  # members from both schools
    assert "Weekly goal conferences" in page
    assert "every other week" in page  # the demo reply, nested under its post
    refused = client.post(f"/innovation/communities/{found.pk}/", {"verb": "post", "body": "Hi"})
    assert refused.status_code == 400  # members only
    client.post(f"/innovation/communities/{found.pk}/", {"verb": "join"})
    opening = found.posts.get(parent=None)
    client.post(
        f"/innovation/communities/{found.pk}/",
        {"verb": "post", "body": "We tried it weekly in 4th.", "parent": opening.pk},
    )
    assert opening.replies.count() == 2
    assert signed_in("guardian1").get(f"/innovation/communities/{found.pk}/").status_code == 404
    created = signed_in("teacher2").post(
        "/innovation/communities/", {"name": "Exit tickets", "purpose": "Share ticket designs"}
    )
    assert created.status_code == 302


def test_planning_form_offers_survey_items_and_practices_for_the_new_measures() -> None:
    from pathways.apps.innovation.models import SurveyItem

    teacher = signed_in("teacher1")
    form = teacher.get("/innovation/cycles/new/").content.decode()
    item = SurveyItem.objects.get(code="pace-own")
    practice = Practice.objects.get(title="Weekly goal conferences")
    assert 'value="survey_item"' in form
    assert 'value="attendance"' in form
    assert f'<option value="{item.pk}"' in form
    assert f'<option value="{practice.pk}"' in form
    room101, room102 = _section("Room 101"), _section("Room 102")
    plan = {
        "title": "Goal conferences, observed",
        "change_idea": "Weekly goal conferences.",
        "prediction": "Observers see them in most visits.",
        "measure": "attendance",
        "practice": practice.pk,
        "trying": [room101.pk],
        "comparison": [room102.pk],
        "start": "2026-10-01",
        "end": "2026-11-20",
    }
    response = teacher.post("/innovation/cycles/new/", plan)
    assert response.status_code == 302
    cycle = Cycle.objects.get(title="Goal conferences, observed")
    assert cycle.measure == "attendance"
    assert cycle.practice == practice
    teacher.post(f"/innovation/cycles/{cycle.pk}/study/")
    page = teacher.get(f"/innovation/cycles/{cycle.pk}/").content.decode()
    assert "share of observations" in page
    refused = teacher.post("/innovation/cycles/new/", {**plan, "practice": ""})
    assert refused.status_code == 400
    assert "practice with look-fors" in refused.content.decode()


def test_the_library_filters_by_problem_of_practice() -> None:
    practice = Practice.objects.get(title="Weekly goal conferences")
    assert practice.problem is not None
    other = Problem.objects.exclude(pk=practice.problem_id).first()
    client = signed_in("teacher2")
    page = client.get(f"/innovation/practices/?problem={practice.problem_id}").content.decode()
    assert "Weekly goal conferences" in page
    assert f'<option value="{practice.problem_id}" selected>' in page
    page = client.get(f"/innovation/practices/?problem={other.pk}").content.decode()
    assert "Weekly goal conferences" not in page
