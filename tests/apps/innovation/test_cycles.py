"""PDSA cycles on the demo's real evidence: the collected measure, checked independently."""

from __future__ import annotations

from datetime import date

import pytest
from scipy import stats

from pathways.apps.access import policy
from pathways.apps.evidence.models import Evidence
from pathways.apps.innovation import adapters, queries, services
from pathways.apps.innovation.models import Cycle, Practice
from pathways.apps.mastery import adapters as mastery_adapters
from pathways.apps.mastery.grades import mastery_over_time
from pathways.apps.roster.models import Enrollment, School, Section
from pathways.apps.standards.models import Standard

pytestmark = pytest.mark.django_db


def _cycle(title: str) -> Cycle:
    return Cycle.objects.get(title=title)


def test_exit_ticket_pass_rates_match_a_direct_count() -> None:
    cycle = _cycle("Goal conferences in grade 6")
    data = adapters.collect(cycle)
    standards = set(cycle.standards.values_list("pk", flat=True))
    period1 = Section.objects.get(title__endswith="Period 1")
    direct = []
    for student_id in Enrollment.objects.filter(section=period1, role="student").values_list(
        "user_id", flat=True
    ):
        tickets = Evidence.objects.filter(
            student_id=student_id,
            standard_id__in=standards,
            kind="exit_ticket",
            occurred_at__date__gte=cycle.start,
            occurred_at__date__lte=cycle.end,
        )
        if tickets.exists():
            passed = sum(1 for t in tickets if t.correct or (t.rubric_level or 0) >= 3)
            direct.append(passed / tickets.count())
    assert sorted(data.trying[str(period1)]) == pytest.approx(sorted(direct))


def test_mastery_gain_matches_the_grade_pages_replay(person) -> None:
    cycle = _cycle("Weekly goal conferences in grade 4")
    student = person("student1")  # Room 101, trying
    gains = []
    for standard in cycle.standards.all():
        timeline = mastery_over_time(student, standard)
        during = [
            p for day, p in timeline if cycle.start.isoformat() <= day <= cycle.end.isoformat()
        ]
        if not during:
            continue
        before = [p for day, p in timeline if day < cycle.start.isoformat()]
        prior = mastery_adapters.params_for([standard.pk])[standard.pk].p_init
        gains.append(during[-1] - (before[-1] if before else prior))
    assert gains, "the demo student has evidence on the cycle's standards"
    data = adapters.collect(cycle)
    # mastery_over_time rounds to 3 decimals.
    assert float(sum(gains) / len(gains)) in [
        pytest.approx(v, abs=2e-3)
        for v in data.trying[str(Section.objects.get(title__endswith="Room 101"))]
    ]


def test_the_study_reports_welch_on_the_collected_values() -> None:
    cycle = _cycle("Goal conferences in grade 6")
    data = adapters.collect(cycle)
    trying = [v for vs in data.trying.values() for v in vs]
    comparison = [v for vs in data.comparison.values() for v in vs]
    reference = stats.ttest_ind(trying, comparison, equal_var=False).confidence_interval()
    effect = cycle.result["effect"]
    assert effect["method"] == "welch"  # two classes per group: fewer than the bootstrap needs
    assert effect["low"] == pytest.approx(reference.low, abs=1e-4)
    assert effect["high"] == pytest.approx(reference.high, abs=1e-4)
    assert cycle.result["n_trying"] == len(trying)


def test_a_cycle_with_no_evidence_in_its_window_is_flagged_not_computed(person) -> None:
    room101 = Section.objects.get(title__endswith="Room 101")
    room102 = Section.objects.get(title__endswith="Room 102")
    cycle = services.plan_cycle(
        person("teacher1"),
        title="Next term",
        change_idea="c",
        prediction="p",
        measure=Cycle.Measure.MASTERY_GAIN,
        trying=[room101],
        comparison=[room102],
        start=date(2027, 1, 10),
        end=date(2027, 2, 10),
    )
    services.study_cycle(person("teacher1"), cycle)
    assert cycle.result["effect"] is None
    assert cycle.result["flags"] == [
        "not enough students with evidence in one of the groups to compare"
    ]
    with pytest.raises(ValueError, match="abandon"):
        services.decide(person("teacher1"), cycle, decision="drop")


def test_plan_checks_permission_before_anything(person) -> None:
    period1 = Section.objects.get(title__endswith="Period 1")
    with pytest.raises(policy.NotFound):
        services.plan_cycle(
            person("teacher1"),
            title="t",
            change_idea="c",
            prediction="p",
            measure="mastery_gain",
            trying=[period1],
            comparison=[period1],
            start=date(2026, 10, 1),
            end=date(2026, 9, 1),
        )


def test_adapt_copies_the_plan_into_the_next_cycle(person) -> None:
    cycle = _cycle("Goal conferences in grade 6")
    _, child = services.decide(person("principal2"), cycle, decision="adapt", notes="shorter")
    assert isinstance(child, Cycle)
    assert child.parent == cycle
    assert child.measure == cycle.measure
    assert child.start == date(2026, 11, 21)
    assert (child.end - child.start) == (cycle.end - cycle.start)
    assert set(child.standards.all()) == set(cycle.standards.all())
    with pytest.raises(ValueError, match="already"):
        services.decide(person("principal2"), cycle, decision="abandon")


def test_strength_of_evidence(person) -> None:
    practice = Practice.objects.get(title="Weekly goal conferences")
    card = queries.practice_card(practice)
    assert card.schools_tried == 2
    assert {s.name for s in card.adopted_by} == {"Cedar Grove Elementary"}
    # Both demo cycles' intervals include zero: tried, not yet shown to work.
    assert card.strength == "inconclusive"
    trial = card.trials[0]
    trial.low = 0.01
    assert queries._strength(card.trials) == "promising"
    for t in card.trials:
        t.low = 0.02
    assert queries._strength(card.trials) == "strong"
    assert queries._strength([]) == "untested"


def test_cohorts_give_their_reasons() -> None:
    district = School.objects.get(name="Maple Ridge Middle").district
    rows = {r.school.name: r for r in queries.cohorts(district, 2027)}
    assert rows["Cedar Grove Elementary"].cohort == "innovating"
    middle = rows["Maple Ridge Middle"]
    assert middle.cohort == "adopting"
    assert "staff stability 70% (below 80%)" in middle.reasons
    assert "no norms for sharing practice yet" in middle.reasons
    assert queries.cohorts(district, 2030)[0].cohort == "unknown"


def test_goal_measures_and_validation(person) -> None:
    district = School.objects.get(name="Maple Ridge Middle").district
    admin = person("district1")
    goal = queries.goals(district)[0]
    with pytest.raises(ValueError, match="at least one standard"):
        services.add_measure(admin, goal, kind="standards", description="x")
    with pytest.raises(policy.NotFound):
        services.create_goal(person("principal1"), district, area="academic", title="x")
    measure = services.add_measure(
        admin, goal, kind="standards", description="d", standards=[Standard.objects.first()]
    )
    assert measure.standards.count() == 1


def test_survey_and_benchmark_import(person) -> None:
    district = School.objects.get(name="Maple Ridge Middle").district
    with pytest.raises(policy.NotFound):
        services.answer_survey(person("principal1"), district, school_year=2027, answers={})
    with pytest.raises(ValueError, match="one of"):
        services.answer_survey(
            person("teacher1"), district, school_year=2027, answers={"pace-own": "Maybe"}
        )
    with pytest.raises(ValueError, match="columns"):
        services.import_benchmark(person("district1"), district, source="x", text="a,b\n1,2\n")
    n = services.import_benchmark(
        person("district1"),
        district,
        source="test",
        text="respondent_id,item_id,answer\nr1,pace-own,Agree a lot\nr2,pace-own,Disagree\n",
    )
    assert n == 2
    rows = {r.item.code: r.comparison for r in queries.survey_comparison(district, 2027)}
    assert rows["pace-own"].benchmark_n == 2
    assert rows["pace-own"].benchmark_share == 0.5


def test_the_school_year_comes_from_the_districts_terms() -> None:
    district = School.objects.get(name="Maple Ridge Middle").district
    assert queries.current_school_year(district, date(2026, 11, 24)) == 2027  # 2026-27
    assert queries.current_school_year(district, date(2031, 1, 1)) == 2027  # latest term
