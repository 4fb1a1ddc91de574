"""PDSA measures beyond evidence: a survey item and attendance of a practice.

Each test builds data whose answer is known by hand (the means and the difference), then checks
the interval against scipy's Welch test on the same values.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from scipy import stats

from pathways.apps.innovation import adapters, services
from pathways.apps.innovation.models import Cycle, Observation, Practice, SurveyItem, SurveyResponse
from pathways.apps.roster.models import School, Section

pytestmark = pytest.mark.django_db

START, END = date(2026, 10, 1), date(2026, 10, 28)


def _section(title_end: str) -> Section:
    return Section.objects.get(title__endswith=title_end)


def _cycle(measure: str, trying: list[str], comparison: list[str], **extra: object) -> Cycle:
    # Built directly: these tests check collection, not who may plan (tests/web checks that).
    school = School.objects.get(name="Cedar Grove Elementary")
    cycle = Cycle.objects.create(
        school=school,
        title=f"{measure} test",
        change_idea="c",
        prediction="p",
        measure=measure,
        start=START,
        end=END,
        **extra,
    )
    cycle.trying_sections.set([_section(t) for t in trying])
    cycle.comparison_sections.set([_section(c) for c in comparison])
    return cycle


def _item() -> SurveyItem:
    district = School.objects.get(name="Cedar Grove Elementary").district
    return SurveyItem.objects.create(
        district=district, code="test-goals", construct="mastery", text="Students set goals."
    )


def _answer(item: SurveyItem, username: str, answer: str, year: int, day: date) -> None:
    from pathways.apps.accounts.models import User

    user = User.objects.get(username=username)
    row = SurveyResponse.objects.create(
        item=item,
        respondent=user,
        school=School.objects.get(name="Cedar Grove Elementary"),
        school_year=year,
        answer=answer,
    )
    # auto_now_add stamps creation; the test needs the answers on chosen days.
    SurveyResponse.objects.filter(pk=row.pk).update(
        at=datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
    )


# Trying: Room 101 (teacher1), Room 201 (teacher5). Comparison: Rooms 102, 103, 202
# (teacher3, teacher4, teacher6).
TRYING, COMPARISON = ["Room 101", "Room 201"], ["Room 102", "Room 103", "Room 202"]


def test_survey_item_mean_response_when_the_survey_ran_once() -> None:
    item = _item()
    cycle = _cycle(Cycle.Measure.SURVEY_ITEM, TRYING, COMPARISON, survey_item=item)
    after = date(2026, 10, 30)  # within the post window (28 days after the end)
    _answer(item, "teacher1", "Agree a lot", 2027, after)  # 4
    _answer(item, "teacher5", "Mostly agree", 2027, after)  # 3
    _answer(item, "teacher3", "Disagree", 2027, after)  # 2
    _answer(item, "teacher4", "Mostly agree", 2027, after)  # 3
    _answer(item, "teacher6", "Strongly disagree", 2027, after)  # 1
    data = adapters.collect(cycle)
    assert data.unit == "teachers"
    assert data.design == "post_only"
    assert sorted(v for vs in data.trying.values() for v in vs) == [3.0, 4.0]
    assert sorted(v for vs in data.comparison.values() for v in vs) == [1.0, 2.0, 3.0]
    result = adapters.study(cycle)
    effect = result["effect"]
    assert effect["mean_trying"] == 3.5
    assert effect["mean_comparison"] == 2.0
    assert effect["difference"] == 1.5
    reference = stats.ttest_ind([4, 3], [2, 3, 1], equal_var=False).confidence_interval()
    assert effect["method"] == "welch"
    assert effect["low"] == pytest.approx(reference.low, abs=1e-4)
    assert effect["high"] == pytest.approx(reference.high, abs=1e-4)
    assert any(f.startswith("small sample: 2 teachers") for f in result["flags"])
    assert result["unit"] == "teachers"


def test_survey_item_pre_post_change_when_the_survey_ran_twice() -> None:
    item = _item()
    cycle = _cycle(Cycle.Measure.SURVEY_ITEM, TRYING, COMPARISON, survey_item=item)
    before, after = date(2026, 5, 20), date(2026, 10, 29)
    for username, pre, post in [
        ("teacher1", "Disagree", "Agree a lot"),  # +2
        ("teacher5", "Mostly agree", "Mostly agree"),  # 0
        ("teacher3", "Disagree", "Disagree"),  # 0
        ("teacher4", "Mostly agree", "Disagree"),  # -1
    ]:
        _answer(item, username, pre, 2026, before)
        _answer(item, username, post, 2027, after)
    _answer(item, "teacher6", "Agree a lot", 2027, after)  # no pre answer: missing
    _answer(item, "teacher7", "Agree a lot", 2027, after)  # teaches no class of the cycle
    data = adapters.collect(cycle)
    assert data.design == "pre_post"
    assert data.missing == 1
    result = adapters.study(cycle)
    assert result["design"] == "pre_post"
    assert result["effect"]["mean_trying"] == 1.0
    assert result["effect"]["mean_comparison"] == -0.5
    assert result["effect"]["difference"] == 1.5
    reference = stats.ttest_ind([2, 0], [0, -1], equal_var=False).confidence_interval()
    assert result["effect"]["low"] == pytest.approx(reference.low, abs=1e-4)


def test_survey_answers_outside_the_windows_and_off_scale_do_not_count() -> None:
    item = _item()
    cycle = _cycle(Cycle.Measure.SURVEY_ITEM, TRYING, COMPARISON, survey_item=item)
    _answer(item, "teacher1", "Agree a lot", 2027, date(2026, 12, 15))  # 48 days after the end
    _answer(item, "teacher5", "Maybe", 2027, date(2026, 10, 10))  # not a label of the scale
    _answer(item, "teacher3", "Disagree", 2027, date(2026, 10, 10))
    result = adapters.study(cycle)
    assert result["n_trying"] == 0
    assert result["n_comparison"] == 1
    assert result["effect"] is None
    assert result["flags"] == [
        "not enough teachers with a value on the measure in one of the groups to compare"
    ]


def _practice() -> Practice:
    district = School.objects.get(name="Cedar Grove Elementary").district
    return Practice.objects.create(
        district=district,
        title="Number talks",
        summary="s",
        how_to="h",
        look_fors="Students explain a strategy\nTeacher records strategies",
    )


def _observe(practice: Practice, section: str, seen: list[str], day: date) -> None:
    row = Observation.objects.create(
        practice=practice, school=_section(section).school, section=_section(section), seen=seen
    )
    Observation.objects.filter(pk=row.pk).update(
        at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    )


def test_attendance_is_the_share_of_observations_that_saw_the_practice() -> None:
    practice = _practice()
    a, b = practice.look_for_list
    cycle = _cycle(
        Cycle.Measure.ATTENDANCE, ["Room 101"], ["Room 102", "Room 103"], practice=practice
    )
    days = [date(2026, 10, d) for d in (2, 9, 16, 23)]
    for seen, day in zip([[a], [a, b], [], [b]], days, strict=True):  # 3 of 4 seen
        _observe(practice, "Room 101", seen, day)
    for seen, day in zip([[], [], [a], ["Not a look-for"]], days, strict=True):  # 1 of 4 seen
        _observe(practice, "Room 102", seen, day)
    _observe(practice, "Room 101", [a], date(2026, 9, 20))  # baseline: the chart only
    other = Practice.objects.create(
        district=practice.district, title="Other", summary="s", how_to="h", look_fors=a
    )
    _observe(other, "Room 102", [a], date(2026, 10, 5))  # another practice: not counted
    data = adapters.collect(cycle)
    assert data.unit == "observations"
    assert data.missing == 1  # Room 103 was never observed
    result = adapters.study(cycle)
    effect = result["effect"]
    assert effect["mean_trying"] == 0.75
    assert effect["mean_comparison"] == 0.25
    assert effect["difference"] == 0.5
    # By hand: both variances 0.25/4, se = sqrt(0.125), df = 6, t(0.975, 6) = 2.4469.
    assert effect["low"] == pytest.approx(0.5 - 2.446912 * 0.125**0.5, abs=1e-4)
    assert effect["high"] == pytest.approx(0.5 + 2.446912 * 0.125**0.5, abs=1e-4)
    assert result["missing_unit"] == "classes"
    assert any("interval includes zero" in f for f in result["flags"])
    chart = result["run_chart"]
    assert chart["start_week"] == 4
    assert chart["trying"][chart["weeks"].index("2026-09-17")] == 1.0  # the baseline visit


def test_planning_a_survey_or_attendance_cycle_checks_what_the_measure_needs(person) -> None:
    teacher = person("teacher1")
    plan = dict(
        title="t",
        change_idea="c",
        prediction="p",
        trying=[_section("Room 101")],
        comparison=[_section("Room 102")],
        start=START,
        end=END,
    )
    with pytest.raises(ValueError, match="survey-item measure needs"):
        services.plan_cycle(teacher, measure="survey_item", **plan)
    with pytest.raises(ValueError, match="practice with look-fors"):
        services.plan_cycle(teacher, measure="attendance", **plan)
    item = _item()
    with pytest.raises(ValueError, match="between -3 and 3"):
        services.plan_cycle(
            teacher, measure="survey_item", survey_item=item, predicted_difference=3.5, **plan
        )
    cycle = services.plan_cycle(
        teacher, measure="survey_item", survey_item=item, predicted_difference=1.0, **plan
    )
    assert cycle.survey_item == item
    with pytest.raises(ValueError, match="between -1 and 1"):
        services.plan_cycle(
            teacher,
            measure="attendance",
            practice=_practice(),
            predicted_difference=1.5,
            **plan,
        )
