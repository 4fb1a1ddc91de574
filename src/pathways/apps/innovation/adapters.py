"""Evidence rows -> the numbers a PDSA cycle studies, and those numbers -> the stats engine.

The platform collects a cycle's measure itself; nobody types results in:

- **mastery gain**: for each student of a trying or comparison class, the tracing engine replays
  that student's evidence on each chosen standard (the same update and parameters as the live
  estimates) and reads the estimated probability of mastery the day before the cycle starts and
  on its last day. The student's gain is the mean over the chosen standards they produced
  evidence on during the cycle; students without such evidence are counted as missing, not as
  zero.
- **exit-ticket pass rate**: the share of the student's exit tickets on the chosen standards
  during the cycle that were correct (rubric level 3 or 4 counts as a pass).
- **a survey item** (teachers are the unit): each teacher of a trying or comparison class gives
  their answer to the item as a number (bottom label 1 up to the top label). *Post* is their
  latest answer from the cycle's start to :data:`SURVEY_POST_DAYS` after its end, *pre* their
  latest answer before the start. When the survey ran twice (someone in the cycle has both),
  the value is post minus pre and teachers without both are missing; otherwise it is the post
  answer.
- **attendance of a practice** (observations are the unit): every observation of the cycle's
  practice in a trying or comparison class during the cycle counts 1 when the observer saw at
  least one of its look-fors, else 0, so a group's mean is the share of observations where the
  practice was seen; classes with no observation are counted as missing.

Without chosen standards, the standards of the classes' courses are used. A student enrolled in
both a trying and a comparison class counts as trying only. The run chart is the weekly value of
the trying classes (share correct, or exit-ticket pass rate) from as many weeks before the start
as the cycle lasts (the baseline) to the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from pathways.apps.evidence.models import Evidence
from pathways.apps.innovation.models import Cycle, Observation, SurveyResponse
from pathways.apps.mastery import adapters as mastery_adapters
from pathways.apps.roster.models import Enrollment, Section
from pathways.apps.standards.models import CourseStandard
from pathways.engines.stats import Effect, RunChart, estimate_effect, run_chart
from pathways.engines.tracing import SkillState, update

MAX_BASELINE_WEEKS = 8
# A survey answered up to this many days after the cycle ends still counts as its "post" survey.
SURVEY_POST_DAYS = 28
# Weeks with fewer survey answers than this stay blank on the run chart: one or two answers
# would show a named teacher's answer to everyone who sees the cycle.
SURVEY_MIN_WEEKLY = 3
UNITS = {
    Cycle.Measure.MASTERY_GAIN: "students",
    Cycle.Measure.EXIT_TICKET: "students",
    Cycle.Measure.SURVEY_ITEM: "teachers",
    Cycle.Measure.ATTENDANCE: "observations",
}


@dataclass
class Collected:
    """Per-student values by class and arm, and the weekly series for the run chart."""

    trying: dict[str, list[float]] = field(default_factory=dict)
    comparison: dict[str, list[float]] = field(default_factory=dict)
    missing: int = 0
    weeks: list[str] = field(default_factory=list)
    weekly_trying: list[float | None] = field(default_factory=list)
    weekly_comparison: list[float | None] = field(default_factory=list)
    start_week: int = 0  # index in ``weeks`` of the cycle's first week
    student_ids: list[int] = field(default_factory=list)
    unit: str = "students"
    design: str = ""  # survey item: "pre_post" or "post_only"


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _passed(row: tuple[int, int, str, bool | None, int | None, datetime]) -> bool:
    correct, level = row[3], row[4]
    if level is not None:
        return level >= 3
    return bool(correct)


def _window(cycle: Cycle) -> tuple[datetime, datetime, datetime, int]:
    """(start, end exclusive, run chart start, baseline weeks) of a cycle."""
    start, end = _day_start(cycle.start), _day_start(cycle.end + timedelta(days=1))
    length_weeks = max(1, ((cycle.end - cycle.start).days + 7) // 7)
    baseline_weeks = min(length_weeks, MAX_BASELINE_WEEKS)
    return start, end, _day_start(cycle.start - timedelta(weeks=baseline_weeks)), baseline_weeks


def collect(cycle: Cycle) -> Collected:
    """Read the cycle's measure from the platform's own records (evidence, survey answers,
    observations), in a fixed number of queries whatever the class sizes."""
    trying = list(cycle.trying_sections.select_related("course"))
    comparison = list(cycle.comparison_sections.select_related("course"))
    if cycle.measure == Cycle.Measure.SURVEY_ITEM:
        return _collect_survey(cycle, trying, comparison)
    if cycle.measure == Cycle.Measure.ATTENDANCE:
        return _collect_attendance(cycle, trying, comparison)
    sections = trying + comparison
    standard_ids = set(cycle.standards.values_list("pk", flat=True))
    if not standard_ids:
        standard_ids = set(
            CourseStandard.objects.filter(
                course_id__in={s.course_id for s in sections}
            ).values_list("standard_id", flat=True)
        )
    arm_of: dict[int, tuple[str, str]] = {}  # student -> (arm, class label)
    trying_ids = {s.pk for s in trying}
    for section_id, user_id in Enrollment.objects.filter(
        section__in=sections, role=Enrollment.SectionRole.STUDENT, active=True
    ).values_list("section_id", "user_id"):
        label = next(str(s) for s in sections if s.pk == section_id)
        arm = "trying" if section_id in trying_ids else "comparison"
        if arm == "trying" or user_id not in arm_of:
            arm_of[user_id] = (arm, label)
    out = Collected(student_ids=sorted(arm_of))
    for section in sections:
        target = out.trying if section.pk in trying_ids else out.comparison
        target.setdefault(str(section), [])
    start, end, chart_from, baseline_weeks = _window(cycle)
    rows = list(
        Evidence.objects.filter(
            student_id__in=list(arm_of), standard_id__in=standard_ids, occurred_at__lt=end
        )
        .order_by("occurred_at")
        .values_list("student_id", "standard_id", "kind", "correct", "rubric_level", "occurred_at")
    )
    values = (
        _mastery_gains(rows, start, end)
        if cycle.measure == Cycle.Measure.MASTERY_GAIN
        else _exit_ticket_rates(rows, start, end)
    )
    for student_id, (arm, label) in arm_of.items():
        value = values.get(student_id)
        if value is None:
            out.missing += 1
            continue
        (out.trying if arm == "trying" else out.comparison)[label].append(value)
    _weekly(out, cycle, rows, arm_of, chart_from, end, baseline_weeks)
    return out


def _mastery_gains(
    rows: list[tuple[int, int, str, bool | None, int | None, datetime]],
    start: datetime,
    end: datetime,
) -> dict[int, float]:
    params = mastery_adapters.params_for({r[1] for r in rows})
    states: dict[tuple[int, int], SkillState] = {}
    before: dict[tuple[int, int], float] = {}
    active: set[tuple[int, int]] = set()
    for student_id, standard_id, kind, correct, level, at in rows:
        key = (student_id, standard_id)
        p = params[standard_id]
        state = states.get(key) or SkillState.prior(p)
        if at >= start and key not in before:
            before[key] = state.p_mastery
        if at >= start:
            active.add(key)
        score, strength = mastery_adapters.observation(kind, correct, level)
        states[key] = update(p, state, score, strength=strength)
    gains: dict[int, list[float]] = defaultdict(list)
    for key in active:
        if start <= end:
            gains[key[0]].append(states[key].p_mastery - before[key])
    return {sid: sum(g) / len(g) for sid, g in gains.items()}


def _exit_ticket_rates(
    rows: list[tuple[int, int, str, bool | None, int | None, datetime]],
    start: datetime,
    end: datetime,
) -> dict[int, float]:
    passed: dict[int, list[bool]] = defaultdict(list)
    for row in rows:
        if row[2] == Evidence.Kind.EXIT_TICKET and start <= row[5] < end:
            passed[row[0]].append(_passed(row))
    return {sid: sum(p) / len(p) for sid, p in passed.items()}


def _weekly(
    out: Collected,
    cycle: Cycle,
    rows: list[tuple[int, int, str, bool | None, int | None, datetime]],
    arm_of: dict[int, tuple[str, str]],
    chart_from: datetime,
    end: datetime,
    baseline_weeks: int,
) -> None:
    points = [
        (arm_of[row[0]][0], row[5], float(_passed(row)))
        for row in rows
        if row[5] >= chart_from
        and (cycle.measure != Cycle.Measure.EXIT_TICKET or row[2] == Evidence.Kind.EXIT_TICKET)
    ]
    _series(out, points, chart_from, end, baseline_weeks)


def _series(
    out: Collected,
    points: list[tuple[str, datetime, float]],
    chart_from: datetime,
    end: datetime,
    baseline_weeks: int,
    *,
    min_count: int = 1,
) -> None:
    """Weekly means of (arm, when, value) points from ``chart_from`` to ``end`` (the run chart);
    a week with fewer than ``min_count`` points in an arm stays blank."""
    n_weeks = max(1, (end - chart_from).days // 7 + (1 if (end - chart_from).days % 7 else 0))
    sums: dict[str, list[list[float]]] = {
        "trying": [[0.0, 0] for _ in range(n_weeks)],
        "comparison": [[0.0, 0] for _ in range(n_weeks)],
    }
    for arm, at, value in points:
        if at < chart_from:
            continue
        week = min((at - chart_from).days // 7, n_weeks - 1)
        cell = sums[arm][week]
        cell[0] += value
        cell[1] += 1
    out.weeks = [(chart_from + timedelta(weeks=w)).date().isoformat() for w in range(n_weeks)]
    out.weekly_trying = [
        round(a / n, 4) if n >= min_count and n else None for a, n in sums["trying"]
    ]
    out.weekly_comparison = [
        round(a / n, 4) if n >= min_count and n else None for a, n in sums["comparison"]
    ]
    out.start_week = baseline_weeks


def _teachers(trying: list[Section], comparison: list[Section]) -> dict[int, tuple[str, str]]:
    """Teacher -> (arm, class label); a teacher of both groups counts as trying."""
    sections = trying + comparison
    labels = {s.pk: str(s) for s in sections}
    trying_ids = {s.pk for s in trying}
    arm_of: dict[int, tuple[str, str]] = {}
    for section_id, user_id in (
        Enrollment.objects.filter(
            section__in=sections, role=Enrollment.SectionRole.TEACHER, active=True
        )
        .values_list("section_id", "user_id")
        .order_by("section_id", "user_id")
    ):
        arm = "trying" if section_id in trying_ids else "comparison"
        if user_id not in arm_of or (arm == "trying" and arm_of[user_id][0] != "trying"):
            arm_of[user_id] = (arm, labels[section_id])
    return arm_of


def _collect_survey(cycle: Cycle, trying: list[Section], comparison: list[Section]) -> Collected:
    """The cycle's survey item, answered by the teachers of both groups (see the module doc)."""
    item = cycle.survey_item
    arm_of = _teachers(trying, comparison)
    out = Collected(unit="teachers")
    for section in trying:
        out.trying.setdefault(str(section), [])
    for section in comparison:
        out.comparison.setdefault(str(section), [])
    start, end, chart_from, baseline_weeks = _window(cycle)
    post_until = end + timedelta(days=SURVEY_POST_DAYS)
    pre: dict[int, int] = {}
    post: dict[int, int] = {}
    points: list[tuple[str, datetime, float]] = []
    if item is not None:
        for user_id, answer, at in (
            SurveyResponse.objects.filter(item=item, respondent_id__in=list(arm_of))
            .order_by("at", "pk")
            .values_list("respondent_id", "answer", "at")
        ):
            score = item.score(answer)
            if score is None or at >= post_until:
                continue
            (pre if at < start else post)[user_id] = score  # ordered by time: latest wins
            if at < end:
                points.append((arm_of[user_id][0], at, float(score)))
    paired = {uid for uid in post if uid in pre}
    out.design = "pre_post" if paired else "post_only"
    for user_id, (arm, label) in arm_of.items():
        if out.design == "pre_post":
            value = float(post[user_id] - pre[user_id]) if user_id in paired else None
        else:
            value = float(post[user_id]) if user_id in post else None
        if value is None:
            out.missing += 1
            continue
        (out.trying if arm == "trying" else out.comparison)[label].append(value)
    _series(out, points, chart_from, end, baseline_weeks, min_count=SURVEY_MIN_WEEKLY)
    return out


def _collect_attendance(
    cycle: Cycle, trying: list[Section], comparison: list[Section]
) -> Collected:
    """Observations of the cycle's practice in both groups: seen (1) or not (0)."""
    out = Collected(unit="observations")
    labels = {s.pk: str(s) for s in trying + comparison}
    trying_ids = {s.pk for s in trying}
    for section in trying:
        out.trying.setdefault(str(section), [])
    for section in comparison:
        out.comparison.setdefault(str(section), [])
    start, end, chart_from, baseline_weeks = _window(cycle)
    points: list[tuple[str, datetime, float]] = []
    look_fors = set(cycle.practice.look_for_list) if cycle.practice else set()
    rows = (
        Observation.objects.filter(
            practice=cycle.practice, section_id__in=list(labels), at__gte=chart_from, at__lt=end
        ).values_list("section_id", "seen", "at")
        if cycle.practice is not None
        else []
    )
    for section_id, seen, at in rows:
        arm = "trying" if section_id in trying_ids else "comparison"
        value = 1.0 if look_fors & set(seen or []) else 0.0
        points.append((arm, at, value))
        if at >= start:
            (out.trying if arm == "trying" else out.comparison)[labels[section_id]].append(value)
    out.missing = sum(1 for v in (*out.trying.values(), *out.comparison.values()) if not v)
    _series(out, points, chart_from, end, baseline_weeks)
    return out


def study(cycle: Cycle, *, seed: int = 0) -> dict[str, object]:
    """The Study stage as a JSON-ready document: effect, flags, run chart, prediction vs result."""
    data = collect(cycle)
    n_trying = sum(len(v) for v in data.trying.values())
    n_comparison = sum(len(v) for v in data.comparison.values())
    effect: Effect | None = None
    if n_trying >= 2 and n_comparison >= 2:
        effect = estimate_effect(data.trying, data.comparison, seed=seed, unit=data.unit)
    series = [v for v in data.weekly_trying if v is not None]
    chart: RunChart = run_chart(series)
    result: dict[str, object] = {
        "measure": cycle.measure,
        "unit": data.unit,
        "design": data.design,
        "n_trying": n_trying,
        "n_comparison": n_comparison,
        "missing": data.missing,
        "missing_unit": "classes" if data.unit == "observations" else data.unit,
        "classes": {
            "trying": {k: len(v) for k, v in data.trying.items()},
            "comparison": {k: len(v) for k, v in data.comparison.items()},
        },
        "effect": None,
        "flags": [],
        "run_chart": {
            "weeks": data.weeks,
            "trying": data.weekly_trying,
            "comparison": data.weekly_comparison,
            "start_week": data.start_week,
            "median": round(chart.median, 4),
            "signals": chart.signals,
        },
        "prediction": None,
    }
    if effect is None:
        what = "evidence" if data.unit == "students" else "a value on the measure"
        result["flags"] = [f"not enough {data.unit} with {what} in one of the groups to compare"]
        return result
    result["effect"] = {
        "difference": round(effect.difference, 4),
        "low": round(effect.low, 4),
        "high": round(effect.high, 4),
        "level": effect.level,
        "method": effect.method,
        "mean_trying": round(effect.mean_trying, 4),
        "mean_comparison": round(effect.mean_comparison, 4),
        "clusters_trying": effect.clusters_trying,
        "clusters_comparison": effect.clusters_comparison,
    }
    result["flags"] = list(effect.flags)
    if cycle.predicted_difference is not None:
        predicted = cycle.predicted_difference
        inside = effect.low <= predicted <= effect.high
        result["prediction"] = {
            "predicted": predicted,
            "within_interval": inside,
            "verdict": (
                "the result is consistent with the prediction"
                if inside
                else (
                    "the change did better than predicted"
                    if effect.low > predicted
                    else "the change did less than predicted"
                )
            ),
        }
    return result
