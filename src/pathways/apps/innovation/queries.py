"""Reads for the innovation pages and the API, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from pathways.apps.accounts.models import User
from pathways.apps.innovation.models import (
    TOP_TWO,
    Adoption,
    BenchmarkResponse,
    Community,
    Competition,
    Cycle,
    EditLog,
    Flexibility,
    Goal,
    GoalMeasure,
    Observation,
    Post,
    Practice,
    Problem,
    ProblemVote,
    Proposal,
    Readiness,
    Review,
    SchoolCase,
    SurveyItem,
    SurveyResponse,
)
from pathways.apps.mastery.models import MasteryEstimate
from pathways.apps.roster.models import (
    Course,
    District,
    Enrollment,
    Membership,
    Role,
    School,
    Section,
    Term,
)
from pathways.apps.standards.models import CourseStandard, Standard
from pathways.engines.stats import ItemComparison, compare_items, kendall_w, rank_proposals

# The report's targets: share of students in personalized models.
TARGETS = {"year one": 0.01, "year four": 0.10}
# Readiness thresholds: all four met -> innovating cohort, otherwise adopting.
MIN_STABILITY = 0.8
MIN_COLLABORATION_MINUTES = 60


def district_by_id(pk: int) -> District | None:
    return District.objects.filter(pk=pk).first()


def school_by_id(pk: int) -> School | None:
    return School.objects.select_related("district").filter(pk=pk).first()


def problem_by_id(pk: int) -> Problem | None:
    return Problem.objects.select_related("district").filter(pk=pk).first()


def practice_by_id(pk: int) -> Practice | None:
    return Practice.objects.select_related("district", "problem").filter(pk=pk).first()


def cycle_by_id(pk: int) -> Cycle | None:
    return (
        Cycle.objects.select_related("school__district", "problem", "practice", "owner")
        .filter(pk=pk)
        .first()
    )


def sections_by_id(ids: list[int]) -> list[Section]:
    return list(Section.objects.select_related("school", "course").filter(pk__in=ids))


def standards_by_id(ids: list[int]) -> list[Standard]:
    return list(Standard.objects.filter(pk__in=ids))


def current_school_year(district: District, today: date) -> int:
    """The school year (OneRoster's ending year: 2027 for 2026-27) of the district's term that
    contains ``today``, else its latest term's, else the calendar year."""
    terms = Term.objects.filter(district=district).order_by("-school_year")
    term = terms.filter(start_date__lte=today, end_date__gte=today).first() or terms.first()
    return term.school_year if term is not None else today.year


def first_district(districts: QuerySet[District]) -> District | None:
    return districts.order_by("pk").first()


# Goals, problems, cases, flexibilities ---------------------------------------------------------


def goals(district: District) -> list[Goal]:
    return list(
        Goal.objects.filter(district=district).prefetch_related(
            "measures__standards", "measures__survey_item"
        )
    )


def goal_by_id(pk: int) -> Goal | None:
    return Goal.objects.select_related("district").filter(pk=pk).first()


def measure_by_id(pk: int) -> GoalMeasure | None:
    return GoalMeasure.objects.select_related("goal__district").filter(pk=pk).first()


def district_standards(district: District) -> list[Standard]:
    """Standards taught in the district's courses, in pacing order (goal measures link them)."""
    seen: dict[int, Standard] = {}
    for link in (
        CourseStandard.objects.filter(course__district=district, course__active=True)
        .select_related("standard")
        .order_by("course__title", "position")
    ):
        seen.setdefault(link.standard_id, link.standard)
    return list(seen.values())


def district_grades(district: District) -> list[str]:
    """Grade levels of the district's courses (a grade measure names one)."""
    grades: set[str] = set()
    for levels in Course.objects.filter(district=district, active=True).values_list(
        "grade_levels", flat=True
    ):
        grades.update(str(g) for g in levels or [])
    return sorted(grades)


def edit_log(
    district: District, *, kinds: tuple[str, ...], object_id: int | None = None, limit: int = 50
) -> list[EditLog]:
    """The latest audited changes to the district's goals or survey (or one of them)."""
    rows = EditLog.objects.filter(district=district, object_type__in=kinds)
    if object_id is not None:
        rows = rows.filter(object_id=object_id)
    return list(rows.select_related("actor")[:limit])


@dataclass
class BenchmarkSummary:
    source: str
    answers: int
    respondents: int
    unknown_items: list[str]  # codes in the benchmark that are not items of the survey


def benchmark_summary(district: District) -> BenchmarkSummary | None:
    rows = BenchmarkResponse.objects.filter(district=district)
    first = rows.values_list("source", flat=True).first()
    if first is None:
        return None
    codes = set(rows.values_list("item_code", flat=True).distinct())
    known = set(SurveyItem.objects.filter(district=district).values_list("code", flat=True))
    return BenchmarkSummary(
        source=first,
        answers=rows.count(),
        respondents=rows.values("respondent_id").distinct().count(),
        unknown_items=sorted(codes - known),
    )


@dataclass
class ItemRow:
    item: SurveyItem
    answers: int
    cycles: int


def survey_item_rows(district: District) -> list[ItemRow]:
    """Every item, retired ones too, with how many answers and cycles rely on it."""
    rows = SurveyItem.objects.filter(district=district).annotate(
        n_answers=Count("responses", distinct=True), n_cycles=Count("cycles", distinct=True)
    )
    return [ItemRow(i, i.n_answers, i.n_cycles) for i in rows]


@dataclass
class ProblemRow:
    problem: Problem
    votes: int
    comments: int
    voted: bool
    cycles: int


def problems(district: District, viewer: User) -> list[ProblemRow]:
    """Problems ranked: prioritized first, then by votes."""
    rows = (
        Problem.objects.filter(district=district)
        .select_related("school", "raised_by", "goal")
        .prefetch_related("comments__author")
        .annotate(
            n_votes=Count("votes", distinct=True),
            n_comments=Count("comments", distinct=True),
            n_cycles=Count("cycles", distinct=True),
            voted=Exists(ProblemVote.objects.filter(problem=OuterRef("pk"), voter=viewer)),
        )
    )
    ranked = sorted(
        rows,
        key=lambda p: (p.status != Problem.Status.PRIORITIZED, -p.n_votes, p.title),
    )
    return [ProblemRow(p, p.n_votes, p.n_comments, p.voted, p.n_cycles) for p in ranked]


def problem_thread(problem: Problem) -> list[object]:
    return list(problem.comments.select_related("author"))


def cases(district: District) -> list[SchoolCase]:
    return list(SchoolCase.objects.filter(school__district=district).select_related("school"))


def similar_schools(school: School) -> list[SchoolCase]:
    """Schools of the district described like this one (same setting or prior personalization)."""
    case = SchoolCase.objects.filter(school=school).first()
    if case is None:
        return []
    return list(
        SchoolCase.objects.filter(school__district=school.district_id)
        .exclude(school=school)
        .filter(Q(setting=case.setting) | Q(prior_personalization=case.prior_personalization))
        .select_related("school")
    )


def flexibilities(schools: list[School]) -> list[Flexibility]:
    return list(
        Flexibility.objects.filter(school__in=schools).select_related("school", "raised_by")
    )


# Cycles ----------------------------------------------------------------------------------------


def cycles(visible: QuerySet[Cycle]) -> list[Cycle]:
    return list(
        visible.select_related("school", "owner", "practice").prefetch_related(
            "trying_sections", "comparison_sections"
        )
    )


@dataclass
class CycleView:
    cycle: Cycle
    trying: list[Section]
    comparison: list[Section]
    standards: list[object]
    notes: list[object]
    children: list[Cycle]


def cycle_view(cycle: Cycle) -> CycleView:
    return CycleView(
        cycle=cycle,
        trying=list(cycle.trying_sections.select_related("school")),
        comparison=list(cycle.comparison_sections.select_related("school")),
        standards=list(cycle.standards.all()),
        notes=list(cycle.notes.select_related("author")),
        children=list(cycle.children.all()),
    )


def run_chart_data(cycle: Cycle) -> dict[str, object]:
    """The study's run chart as the page's chart JSON: trying, comparison and the median."""
    chart = cycle.result.get("run_chart") if cycle.result else None
    if not chart:
        return {}
    trying = chart["trying"]
    median = chart["median"]
    return {
        "labels": chart["weeks"],
        "datasets": [
            {"label": "Trying classes", "data": trying},
            {"label": "Comparison classes", "data": chart["comparison"]},
            {"label": "Median (trying)", "data": [median] * len(trying), "dashed": True},
        ],
        "marker": chart["start_week"],
    }


def run_chart_rows(cycle: Cycle) -> list[tuple[str, float | None, float | None]]:
    """(week, trying, comparison): the numbers behind the run chart, for a table."""
    chart = cycle.result.get("run_chart") if cycle.result else None
    if not chart:
        return []
    return list(zip(chart["weeks"], chart["trying"], chart["comparison"], strict=True))


# Practice library ------------------------------------------------------------------------------


STRENGTHS = {
    "strong": "Strong: improved results in cycles at two or more schools",
    "promising": "Promising: one cycle with an interval above zero",
    "inconclusive": "Inconclusive: tried, no clear difference yet",
    "untested": "Untested: no cycle has measured it",
}


@dataclass
class Trial:
    cycle: Cycle
    difference: float | None
    low: float | None
    high: float | None
    method: str
    flags: int


@dataclass
class PracticeCard:
    practice: Practice
    trials: list[Trial] = field(default_factory=list)
    adopted_by: list[School] = field(default_factory=list)
    strength: str = "untested"

    @property
    def schools_tried(self) -> int:
        return len({t.cycle.school_id for t in self.trials})

    @property
    def strength_label(self) -> str:
        return STRENGTHS[self.strength]


def _strength(trials: list[Trial]) -> str:
    measured = [t for t in trials if t.low is not None]
    if not measured:
        return "untested"
    positive_schools = {t.cycle.school_id for t in measured if t.low is not None and t.low > 0}
    if len(positive_schools) >= 2:
        return "strong"
    if positive_schools:
        return "promising"
    return "inconclusive"


def practice_library(
    district: District,
    *,
    text: str = "",
    grade_span: str = "",
    subject: str = "",
    strength: str = "",
    problem_id: int | None = None,
) -> list[PracticeCard]:
    """Practices with their evidence (every cycle that tried one) and adoptions, filtered."""
    practices = Practice.objects.filter(district=district).select_related("problem")
    if text:
        practices = practices.filter(
            Q(title__icontains=text) | Q(summary__icontains=text) | Q(how_to__icontains=text)
        )
    if grade_span:
        practices = practices.filter(grade_span__in=[grade_span, Practice.Span.ANY])
    if subject:
        practices = practices.filter(subject__iexact=subject)
    if problem_id:
        practices = practices.filter(problem_id=problem_id)
    cards = {p.pk: PracticeCard(p) for p in practices}
    for cycle in Cycle.objects.filter(practice_id__in=list(cards)).select_related("school"):
        effect = (cycle.result or {}).get("effect") or {}
        cards[cycle.practice_id].trials.append(  # type: ignore[index]
            Trial(
                cycle,
                effect.get("difference"),
                effect.get("low"),
                effect.get("high"),
                effect.get("method", ""),
                len((cycle.result or {}).get("flags", [])),
            )
        )
    for adoption in Adoption.objects.filter(practice_id__in=list(cards)).select_related("school"):
        cards[adoption.practice_id].adopted_by.append(adoption.school)
    out = []
    for card in cards.values():
        card.strength = _strength(card.trials)
        if not strength or card.strength == strength:
            out.append(card)
    return out


def practice_card(practice: Practice) -> PracticeCard:
    found = practice_library(practice.district)
    return next(c for c in found if c.practice.pk == practice.pk)


# Readiness and cohorts -------------------------------------------------------------------------


@dataclass
class CohortRow:
    school: School
    readiness: Readiness | None
    cohort: str  # "innovating", "adopting" or "unknown"
    reasons: list[str]


def cohorts(district: District, school_year: int) -> list[CohortRow]:
    """Schools sorted into innovating and adopting cohorts by the four readiness indicators."""
    schools = list(School.objects.filter(district=district, active=True))
    found = {
        r.school_id: r
        for r in Readiness.objects.filter(school__in=schools, school_year=school_year)
    }
    rows = []
    for school in schools:
        r = found.get(school.pk)
        if r is None:
            rows.append(CohortRow(school, None, "unknown", ["readiness not recorded this year"]))
            continue
        missing = []
        if not r.principal_committed:
            missing.append("principal not yet committed to change")
        if r.staff_stability < MIN_STABILITY:
            missing.append(f"staff stability {r.staff_stability:.0%} (below {MIN_STABILITY:.0%})")
        if r.collaboration_minutes < MIN_COLLABORATION_MINUTES:
            missing.append(
                f"{r.collaboration_minutes} min/week to collaborate"
                f" (below {MIN_COLLABORATION_MINUTES})"
            )
        if not r.sharing_norms:
            missing.append("no norms for sharing practice yet")
        if missing:
            rows.append(CohortRow(school, r, "adopting", missing))
        else:
            rows.append(CohortRow(school, r, "innovating", ["all four readiness indicators met"]))
    return sorted(rows, key=lambda row: (row.cohort != "innovating", row.school.name))


# District dashboard ----------------------------------------------------------------------------


@dataclass
class Dashboard:
    students: int
    personalized: int
    share: float
    targets: dict[str, float]
    growth: list[tuple[School, int, float]]  # school, students, standards mastered per student
    adoption: list[tuple[Practice, int]]  # practice, schools adopting
    cycles_by_stage: dict[str, int]
    decided: dict[str, int]

    @property
    def share_percent(self) -> float:
        return round(100 * self.share, 1)


def personalized_section_ids(district: District) -> set[int]:
    """Classes in a personalized model: trying a change now or using an adopted practice."""
    trying = Cycle.objects.filter(school__district=district).exclude(
        decision=Cycle.Decision.ABANDON
    )
    ids = set(Section.objects.filter(trying_cycles__in=trying).values_list("pk", flat=True)) | set(
        Section.objects.filter(adoptions__school__district=district).values_list("pk", flat=True)
    )
    return ids


def dashboard(district: District, *, today: date, window_days: int = 28) -> Dashboard:
    student_school = dict(
        Membership.objects.filter(
            district=district, role=Role.STUDENT, active=True, school__isnull=False
        ).values_list("user_id", "school_id")
    )
    sections = personalized_section_ids(district)
    personalized = set(
        Enrollment.objects.filter(
            section_id__in=sections, role=Enrollment.SectionRole.STUDENT, active=True
        ).values_list("user_id", flat=True)
    ) & set(student_school)
    since = today - timedelta(days=window_days)
    mastered: dict[int, int] = defaultdict(int)
    for student_id, n in (
        MasteryEstimate.objects.filter(
            student_id__in=list(student_school), mastered_at__date__gt=since
        )
        .values("student_id")
        .annotate(n=Count("pk"))
        .values_list("student_id", "n")
    ):
        mastered[student_school[student_id]] += n
    per_school: dict[int, int] = defaultdict(int)
    for school_id in student_school.values():
        per_school[school_id] += 1
    schools = list(School.objects.filter(district=district, active=True))
    growth = [
        (
            s,
            per_school[s.pk],
            round(mastered[s.pk] / per_school[s.pk], 2) if per_school[s.pk] else 0.0,
        )
        for s in schools
    ]
    adoption = [
        (p, p.n) for p in Practice.objects.filter(district=district).annotate(n=Count("adoptions"))
    ]
    stages: dict[str, int] = {s.label: 0 for s in Cycle.Stage}
    decided: dict[str, int] = {d.label: 0 for d in Cycle.Decision}
    for stage, decision in Cycle.objects.filter(school__district=district).values_list(
        "stage", "decision"
    ):
        stages[Cycle.Stage(stage).label] += 1
        if decision:
            decided[Cycle.Decision(decision).label] += 1
    total = len(student_school)
    return Dashboard(
        students=total,
        personalized=len(personalized),
        share=len(personalized) / total if total else 0.0,
        targets=dict(TARGETS),
        growth=growth,
        adoption=sorted(adoption, key=lambda a: (-a[1], a[0].title)),
        cycles_by_stage=stages,
        decided=decided,
    )


# Teacher practice survey -----------------------------------------------------------------------


def survey_items(district: District, *, retired: bool = False) -> list[SurveyItem]:
    """The items the survey asks (with ``retired``: every item, retired ones too)."""
    found = SurveyItem.objects.filter(district=district)
    if not retired:
        found = found.filter(retired_at__isnull=True)
    return list(found)


def survey_item_by_id(pk: int) -> SurveyItem | None:
    return SurveyItem.objects.select_related("district").filter(pk=pk).first()


def practices(district: District) -> list[Practice]:
    return list(Practice.objects.filter(district=district))


def my_answers(actor: User, district: District, school_year: int) -> dict[str, str]:
    return dict(
        SurveyResponse.objects.filter(
            respondent=actor, item__district=district, school_year=school_year
        ).values_list("item__code", "answer")
    )


@dataclass
class SurveyRow:
    item: SurveyItem
    comparison: ItemComparison


def survey_comparison(
    district: District, school_year: int, *, schools: list[School] | None = None
) -> list[SurveyRow]:
    """The district's teachers (or some schools') against the benchmark, item by item."""
    items = {i.code: i for i in SurveyItem.objects.filter(district=district)}
    responses = SurveyResponse.objects.filter(item__district=district, school_year=school_year)
    if schools is not None:
        responses = responses.filter(school__in=schools)
    # Each item has its own scale: an answer counts when it is one of that item's top two labels.
    top = {code: {label.casefold() for label in item.top} for code, item in items.items()}

    def mark(code: str, answer: str) -> str:
        if not answer.strip():
            return ""
        return TOP_TWO[0] if answer.strip().casefold() in top.get(code, ()) else "other"

    ours: dict[str, list[str]] = defaultdict(list)
    for code, answer in responses.values_list("item__code", "answer"):
        ours[code].append(mark(code, answer))
    benchmark: dict[str, list[str]] = defaultdict(list)
    for code, answer in BenchmarkResponse.objects.filter(district=district).values_list(
        "item_code", "answer"
    ):
        benchmark[code].append(mark(code, answer))
    rows = compare_items(ours, benchmark, TOP_TWO[:1])
    found = [SurveyRow(items[r.item_id], r) for r in rows if r.item_id in items]
    return sorted(found, key=lambda row: (row.item.position, row.item.code))


# Observations and design competitions ----------------------------------------------------------


def observations(practice: Practice) -> list[Observation]:
    return list(practice.observations.select_related("school", "section", "observer"))


def look_for_counts(practice: Practice) -> list[tuple[str, int, int]]:
    """(look-for, observations that saw it, observations) for a practice."""
    rows = list(practice.observations.values_list("seen", flat=True))
    return [
        (item, sum(1 for seen in rows if item in seen), len(rows))
        for item in practice.look_for_list
    ]


def competitions(district: District) -> list[Competition]:
    return list(Competition.objects.filter(district=district))


def competition_by_id(pk: int) -> Competition | None:
    return Competition.objects.select_related("district").filter(pk=pk).first()


def proposal_by_id(pk: int) -> Proposal | None:
    return Proposal.objects.select_related("competition__district", "school").filter(pk=pk).first()


@dataclass
class Standing:
    proposal: Proposal
    rank: int
    mean_total: float
    reviewers: int


@dataclass
class CompetitionResult:
    competition: Competition
    standings: list[Standing]
    agreement: float | None  # Kendall's W over reviewers who scored every proposal
    reviewers: int


def competition_result(competition: Competition) -> CompetitionResult:
    proposals = {str(p.pk): p for p in competition.proposals.select_related("school")}
    totals: dict[str, dict[str, float]] = {key: {} for key in proposals}
    reviewers: set[int] = set()
    for review in Review.objects.filter(proposal__competition=competition):
        totals[str(review.proposal_id)][str(review.reviewer_id)] = float(review.total)
        reviewers.add(review.reviewer_id)
    ranked = rank_proposals(totals)
    return CompetitionResult(
        competition=competition,
        standings=[
            Standing(proposals[r.proposal], r.rank, r.mean_total, r.reviewers) for r in ranked
        ],
        agreement=kendall_w(totals),
        reviewers=len(reviewers),
    )


def my_reviews(viewer: User, competition: Competition) -> dict[int, Review]:
    return {
        r.proposal_id: r
        for r in Review.objects.filter(reviewer=viewer, proposal__competition=competition)
    }


@dataclass
class SchoolView:
    case: SchoolCase | None
    readiness: Readiness | None
    cohort: CohortRow
    flexibilities: list[Flexibility]
    similar: list[SchoolCase]


def school_view(school: School, school_year: int) -> SchoolView:
    cohort = next(r for r in cohorts(school.district, school_year) if r.school.pk == school.pk)
    return SchoolView(
        case=SchoolCase.objects.filter(school=school).first(),
        readiness=cohort.readiness,
        cohort=cohort,
        flexibilities=flexibilities([school]),
        similar=similar_schools(school),
    )


def communities(district: District) -> list[Community]:
    return list(
        Community.objects.filter(district=district).annotate(
            n_members=Count("members", distinct=True), n_posts=Count("posts", distinct=True)
        )
    )


def community_by_id(pk: int) -> Community | None:
    return Community.objects.select_related("district").filter(pk=pk).first()


def post_by_id(pk: int) -> Post | None:
    return Post.objects.filter(pk=pk).first()


@dataclass
class Thread:
    post: Post
    replies: list[Thread]


@dataclass
class CommunityView:
    community: Community
    members: list[User]
    schools: list[str]
    practices: list[Practice]
    threads: list[Thread]
    is_member: bool


def community_view(community: Community, viewer: User) -> CommunityView:
    """Members (and their schools), shared practices, and the discussion as nested threads."""
    members = list(community.members.order_by("last_name", "first_name"))
    schools = sorted(
        set(
            Membership.objects.filter(
                user__in=members, active=True, school__isnull=False
            ).values_list("school__name", flat=True)
        )
    )
    posts = list(community.posts.select_related("author"))
    nodes = {p.pk: Thread(p, []) for p in posts}
    roots: list[Thread] = []
    for p in posts:
        parent = nodes.get(p.parent_id) if p.parent_id else None
        (parent.replies if parent is not None else roots).append(nodes[p.pk])
    return CommunityView(
        community=community,
        members=members,
        schools=schools,
        practices=list(community.practices.all()),
        threads=roots,
        is_member=any(m.pk == viewer.pk for m in members),
    )
