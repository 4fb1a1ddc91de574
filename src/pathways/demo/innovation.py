"""The demo district's system for innovation, made through the same services a district uses.

Goals with measures, school cases, two problems of practice with votes and a discussion,
flexibilities and a pain point, readiness for both schools (one innovating, one adopting),
a finished PDSA cycle at Cedar Grove whose effect is measured from the demo's own evidence and
adopted as a practice, a second cycle at Maple Ridge trying that practice (studied, not yet
decided), the teacher practice survey answered by the demo teachers, and a benchmark sample.

The benchmark here is SYNTHETIC (drawn with fixed shares, labelled as such): the report's
national sample is not published as data. A district imports its own benchmark as CSV.
"""

from __future__ import annotations

import random
from datetime import date

from django.db.models import Count

from pathways.apps.accounts.models import User
from pathways.apps.evidence.models import Evidence
from pathways.apps.innovation import services
from pathways.apps.innovation.models import (
    LIKERT,
    Cycle,
    Flexibility,
    Goal,
    GoalMeasure,
    Practice,
    SchoolCase,
    SurveyItem,
)
from pathways.apps.roster.models import District, Section
from pathways.apps.standards.models import CourseStandard, Standard

SCHOOL_YEAR = 2027  # the demo term: 2026-27, as OneRoster numbers school years
SURVEY = [
    ("pace-own", "pacing", "Students in my class progress through the material at their own pace."),
    ("pace-time", "pacing", "Students who need more time on a topic get it before moving on."),
    ("mastery-show", "mastery", "Students move on only after showing they understand the content."),
    ("mastery-retry", "mastery", "Students can retry an assessment until they show mastery."),
    ("choice-what", "choice", "Students choose what they work on during part of the day."),
    ("choice-how", "choice", "Students choose how they show what they have learned."),
    ("reflect-progress", "reflection", "Students reflect on their progress toward their goals."),
    (
        "reflect-strategy",
        "reflection",
        "Students think about which ways of learning work for them.",
    ),
]
# Synthetic benchmark: share answering in the top two categories per item.
BENCHMARK_TOP_SHARE = {
    "pace-own": 0.38,
    "pace-time": 0.55,
    "mastery-show": 0.45,
    "mastery-retry": 0.41,
    "choice-what": 0.22,
    "choice-how": 0.33,
    "reflect-progress": 0.47,
    "reflect-strategy": 0.39,
}
BENCHMARK_SIZE = 600


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _section(district: District, title_end: str) -> Section:
    return Section.objects.get(school__district=district, title__endswith=title_end)


def _busiest_standards(
    sections: list[Section], start: date, end: date, k: int, kind: str = ""
) -> list[Standard]:
    """The ``k`` course standards with the most evidence from these classes during the cycle."""
    course_ids = {s.course_id for s in sections}
    evidence = Evidence.objects.filter(
        student__enrollments__section__in=sections,
        standard__in=CourseStandard.objects.filter(course_id__in=course_ids).values("standard"),
        occurred_at__date__gte=start,
        occurred_at__date__lte=end,
    )
    if kind:
        evidence = evidence.filter(kind=kind)
    ranked = evidence.values("standard").annotate(n=Count("pk")).order_by("-n", "standard")[:k]
    return list(Standard.objects.filter(pk__in=[row["standard"] for row in ranked]))


def add_demo_innovation(district: District) -> None:
    rng = random.Random(8)
    admin = _user("district1")
    elementary = district.schools.get(name="Cedar Grove Elementary")
    middle = district.schools.get(name="Maple Ridge Middle")

    items = [
        SurveyItem.objects.create(
            district=district, code=code, construct=construct, text=text, position=i
        )
        for i, (code, construct, text) in enumerate(SURVEY)
    ]

    room101, room102, room103 = (_section(district, f"Room {n}") for n in (101, 102, 103))
    first_start, first_end = date(2026, 10, 5), date(2026, 11, 20)
    fractions = _busiest_standards([room101, room102, room103], first_start, first_end, 4)

    academic = services.create_goal(
        admin,
        district,
        area=Goal.Area.ACADEMIC,
        title="Every student masters grade-level math standards by spring",
        description="Mastery of the Common Core math standards of each grade, not seat time.",
    )
    services.add_measure(
        admin,
        academic,
        kind=GoalMeasure.Kind.STANDARDS,
        description="Share of the grade-4 standards of this fall's units mastered",
        standards=fractions,
        target="80% of students by May",
    )
    services.add_measure(
        admin,
        academic,
        kind=GoalMeasure.Kind.GRADE,
        description="Grade 6 students at level 3 or 4 on the course standards",
        grade="06",
        target="70% by May",
    )
    social = services.create_goal(
        admin,
        district,
        area=Goal.Area.SOCIAL,
        title="Students direct their own learning",
        description="Students choose work with reasons and reflect on how it went.",
    )
    services.add_measure(
        admin,
        social,
        kind=GoalMeasure.Kind.SURVEY_ITEM,
        description="Teachers report that students choose what they work on",
        survey_item=items[4],
        target="Above the benchmark",
    )
    services.create_goal(
        admin,
        district,
        area=Goal.Area.EMOTIONAL,
        title="Every student has an adult who knows their goals",
        description="Weekly goal conversations between each student and a teacher.",
    )

    services.describe_school(
        admin,
        elementary,
        grade_span="4-5",
        english_learner_share=0.18,
        setting=SchoolCase.Setting.SUBURBAN,
        prior_personalization=SchoolCase.Prior.SOME,
        notes="Two grade-4 rooms piloted playlists last year.",
    )
    services.describe_school(
        admin,
        middle,
        grade_span="6",
        english_learner_share=0.11,
        setting=SchoolCase.Setting.SUBURBAN,
        prior_personalization=SchoolCase.Prior.NONE,
    )

    teacher1, teacher2 = _user("teacher1"), _user("teacher2")
    pacing = services.raise_problem(
        teacher1,
        district,
        title="Students move on before they have mastered fractions",
        description="The pacing calendar moves the class on while a third of the room has not "
        "mastered equivalent fractions; later units build on it.",
        school=elementary,
        goal=academic,
    )
    choice = services.raise_problem(
        teacher2,
        district,
        title="Choice time turns into off-task time",
        description="When students choose their work, many pick what they already know.",
        school=middle,
        goal=social,
    )
    for voter in ("teacher3", "teacher4", "coach1", "principal1", "teacher5"):
        services.vote(_user(voter), pacing)
    for voter in ("teacher8", "principal2"):
        services.vote(_user(voter), choice)
    services.discuss(
        _user("coach1"), pacing, "Exit tickets show the same pattern in Rooms 102 and 103."
    )
    services.discuss(
        _user("teacher3"), pacing, "Could students set a weekly goal on the standard they need?"
    )
    services.prioritize(admin, pacing)

    principal1 = _user("principal1")
    services.record_flexibility(
        principal1,
        elementary,
        kind=Flexibility.Kind.WAIVER,
        rule="District pacing calendar for grade 4 math",
        description="Rooms 101-103 may extend the fractions unit by two weeks for students "
        "who have not mastered it.",
        status=Flexibility.Status.GRANTED,
    )
    services.record_flexibility(
        principal1,
        elementary,
        kind=Flexibility.Kind.FLEXIBILITY,
        rule="Seat-time grading",
        description="Grades reported from mastery of standards.",
        status=Flexibility.Status.GRANTED,
    )
    services.record_flexibility(
        teacher2,
        middle,
        kind=Flexibility.Kind.PAIN_POINT,
        rule="Quarterly benchmark test window",
        description="All students test in the same week, whatever unit they are on.",
    )

    services.record_readiness(
        admin,
        elementary,
        school_year=SCHOOL_YEAR,
        principal_committed=True,
        staff_stability=0.9,
        collaboration_minutes=90,
        sharing_norms=True,
    )
    services.record_readiness(
        admin,
        middle,
        school_year=SCHOOL_YEAR,
        principal_committed=True,
        staff_stability=0.7,
        collaboration_minutes=45,
        sharing_norms=False,
    )

    cycle = services.plan_cycle(
        teacher1,
        title="Weekly goal conferences in grade 4",
        change_idea="Each student meets the teacher for three minutes a week to choose one "
        "standard of the unit to work on and how they will show it.",
        prediction="Students in Room 101 will gain about 0.10 more in estimated mastery of the "
        "standards of this unit than Rooms 102 and 103.",
        predicted_difference=0.10,
        measure=Cycle.Measure.MASTERY_GAIN,
        trying=[room101],
        comparison=[room102, room103],
        start=first_start,
        end=first_end,
        standards=fractions,
        problem=pacing,
    )
    services.add_note(teacher1, cycle, "Week 1: conferences took 5 minutes each; shortened.")
    services.add_note(teacher1, cycle, "Week 4: goal cards on desks; students track their own.")
    services.study_cycle(teacher1, cycle)
    _, practice = services.decide(
        teacher1,
        cycle,
        decision=Cycle.Decision.ADOPT,
        notes="Adopt in Room 101 and share; the effect is uncertain, so test it elsewhere.",
        practice={
            "title": "Weekly goal conferences",
            "summary": "Students choose one standard a week to work on, with the teacher.",
            "how_to": "Three minutes per student per week; the student names the standard, the "
            "evidence they will produce, and when. Record it on a goal card.",
            "materials": "Goal cards; the class heatmap to pick the standard.",
            "look_fors": "Students can name their goal standard\nGoal cards are visible and "
            "current\nThe teacher refers to mastery evidence, not grades",
            "subject": "Math",
            "grade_span": Practice.Span.ANY,
        },
    )
    assert isinstance(practice, Practice)

    period1, period2, period3, period4 = (_section(district, f"Period {n}") for n in (1, 2, 3, 4))
    grade6 = _busiest_standards(
        [period1, period2, period3, period4],
        date(2026, 10, 12),
        date(2026, 11, 20),
        6,
        Evidence.Kind.EXIT_TICKET,
    )
    second = services.plan_cycle(
        teacher2,
        title="Goal conferences in grade 6",
        change_idea="Weekly goal conferences, as codified at Cedar Grove, in Periods 1 and 2.",
        prediction="A higher exit-ticket pass rate than Periods 3 and 4.",
        predicted_difference=0.05,
        measure=Cycle.Measure.EXIT_TICKET,
        trying=[period1, period2],
        comparison=[period3, period4],
        start=date(2026, 10, 12),
        end=date(2026, 11, 20),
        standards=grade6,
        problem=choice,
        practice=practice,
    )
    services.add_note(teacher2, second, "Periods 1-2 started goal cards on Monday.")
    services.study_cycle(teacher2, second)

    coach = _user("coach1")
    services.observe(
        coach,
        practice,
        elementary,
        section=room101,
        seen=practice.look_for_list[:2],
        vision_link="Students owning their next step is the heart of our vision statement.",
        notes="Goal cards current for 22 of 25 students.",
    )
    community = services.start_community(
        coach,
        district,
        name="Goal-setting across grades 4-6",
        purpose="Teachers trying goal conferences compare notes across the two schools.",
    )
    services.join_community(teacher2, community)
    services.share_practice(coach, community, practice)
    opening = services.post(
        coach,
        community,
        "Room 101's goal cards are on the practice page. What would change in 6th?",
    )
    services.post(
        teacher2, community, "Fewer, longer conferences: every other week.", parent=opening
    )

    contest = services.open_competition(
        admin,
        district,
        title="Redesign one hour of the school week",
        criteria=["Addresses a prioritized problem", "Measurable with platform data", "Feasible"],
        closes_on=date(2026, 12, 18),
    )
    flex_friday = services.propose(
        principal1,
        contest,
        elementary,
        title="Flex Friday workshop hour",
        summary="Students choose a workshop by the standard they are working on.",
    )
    math_lab = services.propose(
        principal1,
        contest,
        elementary,
        title="Mastery lab with peer tutors",
        summary="Grade 5 students who mastered a standard tutor grade 4 students on it.",
    )
    advisory = services.propose(
        _user("principal2"),
        contest,
        middle,
        title="Goal-setting advisory",
        summary="Fifteen minutes a day of goal setting with an advisor.",
    )
    criteria = contest.criteria
    services.review(admin, flex_friday, scores=dict(zip(criteria, (4, 3, 3), strict=True)))
    services.review(admin, math_lab, scores=dict(zip(criteria, (3, 3, 2), strict=True)))
    services.review(admin, advisory, scores=dict(zip(criteria, (4, 2, 4), strict=True)))
    services.review(teacher2, flex_friday, scores=dict(zip(criteria, (3, 4, 3), strict=True)))
    services.review(teacher2, math_lab, scores=dict(zip(criteria, (2, 3, 3), strict=True)))
    services.review(coach, advisory, scores=dict(zip(criteria, (3, 3, 4), strict=True)))

    for username in [f"teacher{n}" for n in range(1, 9)]:
        teacher = _user(username)
        services.answer_survey(
            teacher,
            district,
            school_year=SCHOOL_YEAR,
            answers={item.code: rng.choice(LIKERT[:3]) for item in items},
        )
    lines = ["respondent_id,item_id,answer"]
    for n in range(BENCHMARK_SIZE):
        for item in items:
            top = rng.random() < BENCHMARK_TOP_SHARE[item.code]
            answer = rng.choice(LIKERT[:2] if top else LIKERT[2:])
            lines.append(f"national-{n},{item.code},{answer}")
    services.import_benchmark(
        admin,
        district,
        source="Synthetic demo benchmark (not the report's national sample)",
        text="\n".join(lines),
    )
