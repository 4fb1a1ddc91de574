"""Writes for the system for innovation. One verb per function, the acting person first.

Every function checks permission through ``access.policy`` and raises ``policy.NotFound`` when
the actor may not act (the same answer as a missing record), ``ValueError`` for invalid input.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from pathways.apps.access import policy
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.innovation import adapters
from pathways.apps.innovation.models import (
    LIKERT,
    Adoption,
    BenchmarkResponse,
    Community,
    Competition,
    Cycle,
    CycleNote,
    EditLog,
    Flexibility,
    Goal,
    GoalMeasure,
    Observation,
    Post,
    Practice,
    Problem,
    ProblemComment,
    ProblemVote,
    Proposal,
    Readiness,
    Review,
    SchoolCase,
    SurveyItem,
    SurveyResponse,
)
from pathways.apps.roster.models import District, Membership, Role, School, Section
from pathways.apps.standards.models import Standard


def _need(actor: User, action: Action, obj: object) -> None:
    policy.require(actor, action, obj)  # type: ignore[arg-type]


def _text(value: str, name: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValueError(f"{name} is required")
    return value


# Goals and measures ---------------------------------------------------------------------------


def create_goal(
    actor: User, district: District, *, area: str, title: str, description: str = ""
) -> Goal:
    _need(actor, Action.MANAGE_INNOVATION, district)
    if area not in Goal.Area.values:
        raise ValueError(f"area must be one of {', '.join(Goal.Area.values)}")
    with transaction.atomic():
        goal = Goal.objects.create(
            district=district,
            area=area,
            title=_text(title, "title"),
            description=description.strip(),
        )
        _log(actor, district, goal, "goal", "created", f"{goal.get_area_display()}: {goal.title}")
    return goal


def add_measure(
    actor: User,
    goal: Goal,
    *,
    kind: str,
    description: str,
    standards: Iterable[Standard] = (),
    grade: str = "",
    survey_item: SurveyItem | None = None,
    target: str = "",
) -> GoalMeasure:
    _need(actor, Action.MANAGE_INNOVATION, goal.district)
    standards = list(standards)
    if kind == GoalMeasure.Kind.STANDARDS and not standards:
        raise ValueError("a standards measure needs at least one standard")
    if kind == GoalMeasure.Kind.GRADE and not grade:
        raise ValueError("a grade measure needs a grade")
    if kind == GoalMeasure.Kind.SURVEY_ITEM and survey_item is None:
        raise ValueError("a survey measure needs a survey item")
    if kind not in GoalMeasure.Kind.values:
        raise ValueError("unknown measure kind")
    if survey_item is not None and survey_item.district_id != goal.district_id:
        raise policy.NotFound("survey item not found")
    # Only what the kind names is kept: a grade measure does not carry stray standards.
    if kind != GoalMeasure.Kind.STANDARDS:
        standards = []
    grade = grade.strip() if kind == GoalMeasure.Kind.GRADE else ""
    survey_item = survey_item if kind == GoalMeasure.Kind.SURVEY_ITEM else None
    with transaction.atomic():
        measure = GoalMeasure.objects.create(
            goal=goal,
            kind=kind,
            description=_text(description, "description"),
            grade=grade,
            survey_item=survey_item,
            target=target,
        )
        measure.standards.set(standards)
        linked = (
            ", ".join(s.code for s in standards)
            or (f"grade {grade}" if grade else "")
            or (survey_item.code if survey_item else "")
        )
        _log(
            actor,
            goal.district,
            goal,
            "goal",
            "added measure",
            f"{measure.description} [{kind}: {linked}]" + (f"; target {target}" if target else ""),
        )
    return measure


def _log(
    actor: User, district: District, obj: object, kind: str, action: str, summary: str
) -> None:
    """Audit one change to the district's goals or survey (who, when, what: old -> new)."""
    EditLog.objects.create(
        district=district,
        actor=actor,
        object_type=kind,
        object_id=obj.pk,  # type: ignore[attr-defined]
        action=action,
        summary=summary,
    )


def _changes(obj: object, new: Mapping[str, object]) -> list[str]:
    """Set the changed fields on ``obj``; return "field: old -> new" for each."""
    out = []
    for name, value in new.items():
        old = getattr(obj, name)
        if old != value:
            out.append(f"{name}: {old!r} -> {value!r}")
            setattr(obj, name, value)
    return out


def update_goal(actor: User, goal: Goal, *, area: str, title: str, description: str = "") -> Goal:
    _need(actor, Action.MANAGE_INNOVATION, goal.district)
    if area not in Goal.Area.values:
        raise ValueError(f"area must be one of {', '.join(Goal.Area.values)}")
    title = _text(title, "title")
    if len(title) > 200:
        raise ValueError("title: at most 200 characters")
    with transaction.atomic():
        changed = _changes(goal, {"area": area, "title": title, "description": description.strip()})
        if changed:
            goal.save(update_fields=["area", "title", "description"])
            _log(actor, goal.district, goal, "goal", "edited", "; ".join(changed))
    return goal


def remove_goal(actor: User, goal: Goal) -> None:
    """Remove a goal and its measures (problems keep their text, without the goal)."""
    _need(actor, Action.MANAGE_INNOVATION, goal.district)
    with transaction.atomic():
        _log(
            actor,
            goal.district,
            goal,
            "goal",
            "removed",
            f"{goal.get_area_display()}: {goal.title}",
        )
        goal.delete()


def remove_measure(actor: User, measure: GoalMeasure) -> None:
    goal = measure.goal
    _need(actor, Action.MANAGE_INNOVATION, goal.district)
    with transaction.atomic():
        _log(actor, goal.district, goal, "goal", "removed measure", measure.description)
        measure.delete()


# Schools as cases, flexibilities ---------------------------------------------------------------


def describe_school(
    actor: User,
    school: School,
    *,
    grade_span: str,
    english_learner_share: float,
    setting: str,
    prior_personalization: str,
    notes: str = "",
) -> SchoolCase:
    _need(actor, Action.LEAD_INNOVATION, school)
    if not 0.0 <= english_learner_share <= 1.0:
        raise ValueError("english_learner_share must be between 0 and 1")
    if setting not in SchoolCase.Setting.values:
        raise ValueError("unknown setting")
    if prior_personalization not in SchoolCase.Prior.values:
        raise ValueError("unknown prior personalization")
    case, _ = SchoolCase.objects.update_or_create(
        school=school,
        defaults={
            "grade_span": _text(grade_span, "grade span"),
            "english_learner_share": english_learner_share,
            "setting": setting,
            "prior_personalization": prior_personalization,
            "notes": notes,
        },
    )
    return case


def record_flexibility(
    actor: User, school: School, *, kind: str, rule: str, description: str, status: str = ""
) -> Flexibility:
    """A flexibility or waiver (leaders) or a pain point (any staff of the district)."""
    if kind == Flexibility.Kind.PAIN_POINT:
        _need(actor, Action.JOIN_INNOVATION, school.district)
        status = status or Flexibility.Status.OPEN
    else:
        _need(actor, Action.LEAD_INNOVATION, school)
        status = status or Flexibility.Status.REQUESTED
    if kind not in Flexibility.Kind.values or status not in Flexibility.Status.values:
        raise ValueError("unknown kind or status")
    return Flexibility.objects.create(
        school=school,
        kind=kind,
        rule=_text(rule, "rule"),
        description=_text(description, "description"),
        status=status,
        raised_by=actor,
    )


# Problems of practice --------------------------------------------------------------------------


def raise_problem(
    actor: User,
    district: District,
    *,
    title: str,
    description: str,
    school: School | None = None,
    goal: Goal | None = None,
) -> Problem:
    _need(actor, Action.JOIN_INNOVATION, district)
    if school is not None and school.district_id != district.pk:
        raise ValueError("the school is not in this district")
    with transaction.atomic():
        problem = Problem.objects.create(
            district=district,
            school=school,
            goal=goal,
            title=_text(title, "title"),
            description=_text(description, "description"),
            raised_by=actor,
        )
        ProblemVote.objects.create(problem=problem, voter=actor)
    return problem


def vote(actor: User, problem: Problem) -> bool:
    """Vote for a problem (once per person); returns whether a new vote was counted."""
    _need(actor, Action.JOIN_INNOVATION, problem.district)
    _, created = ProblemVote.objects.get_or_create(problem=problem, voter=actor)
    return created


def discuss(actor: User, problem: Problem, body: str) -> ProblemComment:
    _need(actor, Action.JOIN_INNOVATION, problem.district)
    return ProblemComment.objects.create(problem=problem, author=actor, body=_text(body, "comment"))


def prioritize(actor: User, problem: Problem) -> Problem:
    """Mark a problem as a district priority (district administrators)."""
    _need(actor, Action.MANAGE_INNOVATION, problem.district)
    problem.status = Problem.Status.PRIORITIZED
    problem.save(update_fields=["status"])
    return problem


# PDSA cycles -----------------------------------------------------------------------------------


def plan_cycle(
    actor: User,
    *,
    title: str,
    change_idea: str,
    prediction: str,
    measure: str,
    trying: Iterable[Section],
    comparison: Iterable[Section],
    start: date,
    end: date,
    standards: Iterable[Standard] = (),
    predicted_difference: float | None = None,
    problem: Problem | None = None,
    practice: Practice | None = None,
    parent: Cycle | None = None,
    survey_item: SurveyItem | None = None,
) -> Cycle:
    """Plan: the change, the prediction, the measure, trying classes and a comparison group.

    A survey-item measure names the item (teachers' mean answer); an attendance measure names
    the practice whose look-fors observers record."""
    trying, comparison = list(trying), list(comparison)
    for section in trying:
        _need(actor, Action.RUN_CYCLE, section)
    for section in comparison:
        _need(actor, Action.COMPARE_SECTION, section)
    if not trying:
        raise ValueError("choose at least one class to try the change")
    if not comparison:
        raise ValueError("choose at least one comparison class")
    if {s.pk for s in trying} & {s.pk for s in comparison}:
        raise ValueError("a class cannot both try the change and be the comparison")
    if measure not in Cycle.Measure.values:
        raise ValueError("unknown measure")
    if end < start:
        raise ValueError("the cycle ends before it starts")
    school = trying[0].school
    if any(s.school.district_id != school.district_id for s in trying + comparison):
        raise ValueError("all classes must be in one district")
    _check_measure(school.district_id, measure, survey_item, practice, predicted_difference)
    with transaction.atomic():
        cycle = Cycle.objects.create(
            school=school,
            owner=actor,
            title=_text(title, "title"),
            change_idea=_text(change_idea, "change idea"),
            prediction=_text(prediction, "prediction"),
            predicted_difference=predicted_difference,
            measure=measure,
            start=start,
            end=end,
            problem=problem,
            practice=practice,
            parent=parent,
            survey_item=survey_item if measure == Cycle.Measure.SURVEY_ITEM else None,
        )
        cycle.trying_sections.set(trying)
        cycle.comparison_sections.set(comparison)
        cycle.standards.set(list(standards))
    return cycle


def _check_measure(
    district_id: int,
    measure: str,
    survey_item: SurveyItem | None,
    practice: Practice | None,
    predicted: float | None,
) -> None:
    """What each measure needs, and a prediction on the measure's own scale."""
    if practice is not None and practice.district_id != district_id:
        raise policy.NotFound("practice not found")
    if survey_item is not None and survey_item.district_id != district_id:
        raise policy.NotFound("survey item not found")
    if measure == Cycle.Measure.SURVEY_ITEM:
        if survey_item is None:
            raise ValueError("a survey-item measure needs an item of the district's survey")
        if survey_item.retired_at is not None:
            raise ValueError("that survey item is retired: choose one the survey still asks")
        bound = float(len(survey_item.labels) - 1)
    else:
        bound = 1.0
    if measure == Cycle.Measure.ATTENDANCE and (practice is None or not practice.look_for_list):
        raise ValueError("an attendance measure needs a practice with look-fors to observe")
    if predicted is not None and not -bound <= predicted <= bound:
        raise ValueError(f"the predicted difference must be between {-bound:g} and {bound:g}")


def add_note(actor: User, cycle: Cycle, body: str, link: str = "") -> CycleNote:
    """Do: a note or artefact while the change is tried (moves a planned cycle to Do)."""
    _need(actor, Action.EDIT_CYCLE, cycle)
    with transaction.atomic():
        note = CycleNote.objects.create(
            cycle=cycle, author=actor, body=_text(body, "note"), link=link.strip()
        )
        if cycle.stage == Cycle.Stage.PLAN:
            cycle.stage = Cycle.Stage.DO
            cycle.save(update_fields=["stage"])
    return note


def study_cycle(actor: User, cycle: Cycle) -> Cycle:
    """Study: collect the measure from evidence and compute the effect (kept on the cycle)."""
    _need(actor, Action.EDIT_CYCLE, cycle)
    if cycle.decision:
        raise ValueError("the team has already decided; start a new cycle to study again")
    result = adapters.study(cycle, seed=cycle.pk)
    cycle.result = result
    cycle.studied_at = timezone.now()
    cycle.stage = Cycle.Stage.STUDY
    cycle.save(update_fields=["result", "studied_at", "stage"])
    return cycle


def decide(
    actor: User,
    cycle: Cycle,
    *,
    decision: str,
    notes: str = "",
    practice: Mapping[str, str] | None = None,
    next_start: date | None = None,
    next_end: date | None = None,
) -> tuple[Cycle, Practice | Cycle | None]:
    """Act: adopt (optionally codifying a practice), adapt (plan the next cycle) or abandon.

    Returns the cycle and what the decision made: the practice (adopt with ``practice`` fields,
    or the practice the cycle tested), the next cycle (adapt), or None.
    """
    _need(actor, Action.EDIT_CYCLE, cycle)
    if decision not in Cycle.Decision.values:
        raise ValueError("decision must be adopt, adapt or abandon")
    if not cycle.result:
        raise ValueError("study the cycle before deciding")
    if cycle.decision:
        raise ValueError("this cycle has already been decided")
    made: Practice | Cycle | None = None
    with transaction.atomic():
        cycle.decision = decision
        cycle.decision_notes = notes.strip()
        cycle.stage = Cycle.Stage.ACT
        if decision == Cycle.Decision.ADOPT:
            if practice:
                made = Practice.objects.create(
                    district=cycle.school.district,
                    title=_text(practice.get("title", ""), "practice title"),
                    problem=cycle.problem,
                    summary=practice.get("summary", "") or cycle.change_idea,
                    how_to=_text(practice.get("how_to", ""), "how to do it"),
                    materials=practice.get("materials", ""),
                    look_fors=practice.get("look_fors", ""),
                    subject=practice.get("subject", ""),
                    grade_span=practice.get("grade_span", "") or Practice.Span.ANY,
                    created_by=actor,
                )
                cycle.practice = made
            else:
                made = cycle.practice
            if made is not None:
                adoption, _ = Adoption.objects.get_or_create(
                    practice=made,
                    school=cycle.school,
                    defaults={"adopted_by": actor, "adopted_on": timezone.localdate()},
                )
                adoption.sections.add(*cycle.trying_sections.all())
        cycle.save(update_fields=["decision", "decision_notes", "stage", "practice"])
        if decision == Cycle.Decision.ADAPT:
            length = cycle.end - cycle.start
            start = next_start or cycle.end + timedelta(days=1)
            made = Cycle.objects.create(
                school=cycle.school,
                owner=actor,
                parent=cycle,
                problem=cycle.problem,
                practice=cycle.practice,
                title=f"{cycle.title} (adapted)",
                change_idea=cycle.change_idea,
                prediction=cycle.prediction,
                predicted_difference=cycle.predicted_difference,
                measure=cycle.measure,
                survey_item=cycle.survey_item,
                start=start,
                end=next_end or start + length,
            )
            made.trying_sections.set(cycle.trying_sections.all())
            made.comparison_sections.set(cycle.comparison_sections.all())
            made.standards.set(cycle.standards.all())
    return cycle, made


# Practices and adoption ------------------------------------------------------------------------


def adopt_practice(
    actor: User, practice: Practice, school: School, sections: Iterable[Section] = ()
) -> Adoption:
    """A school adopts a practice (its leaders), optionally naming the classes that use it."""
    _need(actor, Action.LEAD_INNOVATION, school)
    if school.district_id != practice.district_id:
        raise policy.NotFound("practice not found")
    sections = list(sections)
    if any(s.school_id != school.pk for s in sections):
        raise ValueError("the classes must belong to the adopting school")
    with transaction.atomic():
        adoption, _ = Adoption.objects.get_or_create(
            practice=practice,
            school=school,
            defaults={"adopted_by": actor, "adopted_on": timezone.localdate()},
        )
        if sections:
            adoption.sections.add(*sections)
    return adoption


# Readiness -------------------------------------------------------------------------------------


def record_readiness(
    actor: User,
    school: School,
    *,
    school_year: int,
    principal_committed: bool,
    staff_stability: float,
    collaboration_minutes: int,
    sharing_norms: bool,
) -> Readiness:
    _need(actor, Action.LEAD_INNOVATION, school)
    if not 0.0 <= staff_stability <= 1.0:
        raise ValueError("staff stability must be a share between 0 and 1")
    if collaboration_minutes < 0:
        raise ValueError("collaboration minutes cannot be negative")
    row, _ = Readiness.objects.update_or_create(
        school=school,
        school_year=school_year,
        defaults={
            "principal_committed": principal_committed,
            "staff_stability": staff_stability,
            "collaboration_minutes": collaboration_minutes,
            "sharing_norms": sharing_norms,
            "recorded_by": actor,
        },
    )
    return row


# Teacher practice survey -----------------------------------------------------------------------


def answer_survey(
    actor: User, district: District, *, school_year: int, answers: Mapping[str, str]
) -> int:
    """A teacher answers the survey (one answer per item and year; answering again replaces)."""
    _need(actor, Action.JOIN_INNOVATION, district)
    membership = (
        Membership.objects.filter(
            user=actor, active=True, district=district, role=Role.TEACHER, school__isnull=False
        )
        .select_related("school")
        .first()
    )
    if membership is None or membership.school is None:
        raise policy.NotFound("survey not found")
    items = {
        i.code: i for i in SurveyItem.objects.filter(district=district, retired_at__isnull=True)
    }
    unknown = set(answers) - set(items)
    if unknown:
        raise ValueError(f"unknown or retired items: {', '.join(sorted(unknown))}")
    for code, answer in answers.items():
        if answer not in items[code].labels:
            raise ValueError(f"answers to {code} must be one of: {', '.join(items[code].labels)}")
    now = timezone.now()
    with transaction.atomic():
        for code, answer in answers.items():
            # The date moves with the answer: a PDSA cycle reads when it was given.
            SurveyResponse.objects.update_or_create(
                item=items[code],
                respondent=actor,
                school_year=school_year,
                defaults={"answer": answer, "school": membership.school, "at": now},
            )
    return len(answers)


MAX_SCALE = 7


def _scale(labels: Iterable[str]) -> list[str]:
    labels = [label.strip() for label in labels if label.strip()]
    if not 2 <= len(labels) <= MAX_SCALE:
        raise ValueError(f"a scale has 2 to {MAX_SCALE} answer labels, top first")
    if len({label.casefold() for label in labels}) != len(labels):
        raise ValueError("the scale's labels must be distinct")
    if any(len(label) > 32 for label in labels):
        raise ValueError("each label: at most 32 characters")
    return labels


def create_survey_item(
    actor: User,
    district: District,
    *,
    code: str,
    construct: str,
    text: str,
    position: int = 0,
    scale: Iterable[str] = (),
) -> SurveyItem:
    """Add an item to the teacher practice survey (district administrators)."""
    _need(actor, Action.MANAGE_INNOVATION, district)
    code = _text(code, "code").lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", code):
        raise ValueError("code: lowercase letters, digits and hyphens (it names the item in CSVs)")
    if construct not in SurveyItem.Construct.values:
        raise ValueError(f"construct must be one of {', '.join(SurveyItem.Construct.values)}")
    text = _text(text, "wording")
    if len(text) > 300:
        raise ValueError("wording: at most 300 characters")
    labels = _scale(scale) if list(scale) else []
    if SurveyItem.objects.filter(district=district, code=code).exists():
        raise ValueError(f"an item with the code {code} already exists")
    with transaction.atomic():
        item = SurveyItem.objects.create(
            district=district,
            code=code,
            construct=construct,
            text=text,
            position=max(0, min(int(position), 32767)),
            scale=labels if labels != LIKERT else [],
        )
        _log(actor, district, item, "survey item", "created", f"{code}: {text}")
    return item


def update_survey_item(
    actor: User,
    item: SurveyItem,
    *,
    construct: str,
    text: str,
    position: int,
    scale: Iterable[str],
) -> SurveyItem:
    """Edit an item's wording, construct, order or scale. Past answers are kept: a scale must
    still contain every label someone already answered (reword the item, not the answers)."""
    _need(actor, Action.MANAGE_INNOVATION, item.district)
    if construct not in SurveyItem.Construct.values:
        raise ValueError(f"construct must be one of {', '.join(SurveyItem.Construct.values)}")
    text = _text(text, "wording")
    if len(text) > 300:
        raise ValueError("wording: at most 300 characters")
    labels = _scale(scale)
    used = set(item.responses.values_list("answer", flat=True).distinct())
    dropped = sorted(used - set(labels))
    if dropped:
        raise ValueError(
            f"past answers use {', '.join(dropped)}: keep those labels (retire the item and"
            " add a new one to change the answers)"
        )
    with transaction.atomic():
        changed = _changes(
            item,
            {
                "construct": construct,
                "text": text,
                "position": max(0, min(int(position), 32767)),
                "scale": [] if labels == LIKERT else labels,
            },
        )
        if changed:
            item.save(update_fields=["construct", "text", "position", "scale"])
            _log(actor, item.district, item, "survey item", "edited", "; ".join(changed))
    return item


def retire_survey_item(actor: User, item: SurveyItem, *, retired: bool = True) -> SurveyItem:
    """Stop asking an item (or ask it again); its past answers and comparisons are kept."""
    _need(actor, Action.MANAGE_INNOVATION, item.district)
    if retired == (item.retired_at is not None):
        return item
    with transaction.atomic():
        item.retired_at = timezone.now() if retired else None
        item.save(update_fields=["retired_at"])
        _log(
            actor,
            item.district,
            item,
            "survey item",
            "retired" if retired else "restored",
            f"{item.code}: {item.responses.count()} past answers kept",
        )
    return item


_BENCHMARK_COLUMNS = {"respondent_id": 64, "item_id": 64, "answer": 32}  # name: longest value


def import_benchmark(actor: User, district: District, *, source: str, text: str) -> int:
    """Replace the benchmark sample from CSV (columns respondent_id, item_id, answer).

    All or nothing: a problem is reported with its line and column and the old sample is kept.
    """
    _need(actor, Action.MANAGE_INNOVATION, district)
    source = _text(source, "source")[:200]
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    rows = []
    try:
        header = {(f or "").strip() for f in reader.fieldnames or []}
        if not set(_BENCHMARK_COLUMNS) <= header:
            raise ValueError("the CSV needs the columns respondent_id, item_id, answer")
        for raw in reader:
            line = reader.line_num  # a quoted value may span lines: say where the row ends
            row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
            for column, longest in _BENCHMARK_COLUMNS.items():
                if len(row[column]) > longest:
                    raise ValueError(
                        f"line {line}, column {column}: longer than {longest} characters"
                    )
            if not row["item_id"] or not row["respondent_id"]:
                raise ValueError(f"line {line}: respondent_id and item_id are required")
            rows.append(
                BenchmarkResponse(
                    district=district,
                    source=source,
                    respondent_id=row["respondent_id"],
                    item_code=row["item_id"],
                    answer=row["answer"],
                )
            )
    except csv.Error as exc:
        raise ValueError(f"line {reader.line_num}: not readable as CSV ({exc})") from None
    if not rows:
        raise ValueError("the CSV has no answers")
    with transaction.atomic():
        replaced = BenchmarkResponse.objects.filter(district=district).count()
        BenchmarkResponse.objects.filter(district=district).delete()
        BenchmarkResponse.objects.bulk_create(rows, batch_size=2000)
        _log(
            actor,
            district,
            district,
            "benchmark",
            "imported",
            f"{source}: {len(rows)} answers from {len({r.respondent_id for r in rows})}"
            f" respondents (replacing {replaced} answers)",
        )
    return len(rows)


# Observations against look-fors ---------------------------------------------------------------


def observe(
    actor: User,
    practice: Practice,
    school: School,
    *,
    seen: Iterable[str],
    section: Section | None = None,
    vision_link: str = "",
    notes: str = "",
) -> Observation:
    """A coach or principal records which of a practice's look-fors they saw in a class."""
    _need(actor, Action.LEAD_INNOVATION, school)
    if school.district_id != practice.district_id:
        raise policy.NotFound("practice not found")
    if section is not None and section.school_id != school.pk:
        raise ValueError("the class must belong to the school")
    seen = [s.strip() for s in seen if s.strip()]
    unknown = set(seen) - set(practice.look_for_list)
    if unknown:
        raise ValueError(f"not a look-for of this practice: {', '.join(sorted(unknown))}")
    return Observation.objects.create(
        practice=practice,
        school=school,
        section=section,
        observer=actor,
        seen=seen,
        vision_link=vision_link.strip(),
        notes=notes.strip(),
    )


# Design competitions ---------------------------------------------------------------------------


def open_competition(
    actor: User,
    district: District,
    *,
    title: str,
    criteria: Iterable[str],
    closes_on: date,
    max_score: int = 4,
) -> Competition:
    _need(actor, Action.MANAGE_INNOVATION, district)
    criteria = [c.strip() for c in criteria if c.strip()]
    if not criteria or len(set(criteria)) != len(criteria):
        raise ValueError("a rubric needs distinct criteria")
    if not 2 <= max_score <= 10:
        raise ValueError("max_score must be between 2 and 10")
    return Competition.objects.create(
        district=district,
        title=_text(title, "title"),
        criteria=criteria,
        max_score=max_score,
        closes_on=closes_on,
    )


def propose(
    actor: User, competition: Competition, school: School, *, title: str, summary: str
) -> Proposal:
    _need(actor, Action.LEAD_INNOVATION, school)
    if school.district_id != competition.district_id:
        raise policy.NotFound("competition not found")
    return Proposal.objects.create(
        competition=competition,
        school=school,
        title=_text(title, "title"),
        summary=_text(summary, "summary"),
        submitted_by=actor,
    )


def review(
    actor: User, proposal: Proposal, *, scores: Mapping[str, int], comment: str = ""
) -> Review:
    """Score a proposal on every criterion (district staff; not one's own school's proposal)."""
    competition = proposal.competition
    _need(actor, Action.JOIN_INNOVATION, competition.district)
    if Membership.objects.filter(user=actor, active=True, school=proposal.school).exists():
        raise ValueError("reviewers do not score their own school's proposal")
    if set(scores) != set(competition.criteria):
        raise ValueError(f"score every criterion: {', '.join(competition.criteria)}")
    if any(not 1 <= int(v) <= competition.max_score for v in scores.values()):
        raise ValueError(f"scores go from 1 to {competition.max_score}")
    row, _ = Review.objects.update_or_create(
        proposal=proposal,
        reviewer=actor,
        defaults={"scores": {k: int(v) for k, v in scores.items()}, "comment": comment.strip()},
    )
    return row


# Communities of practice -----------------------------------------------------------------------


def start_community(actor: User, district: District, *, name: str, purpose: str) -> Community:
    """Any staff member of the district starts a community (and is its first member)."""
    _need(actor, Action.JOIN_INNOVATION, district)
    with transaction.atomic():
        community = Community.objects.create(
            district=district,
            name=_text(name, "name"),
            purpose=_text(purpose, "purpose"),
            created_by=actor,
        )
        community.members.add(actor)
    return community


def join_community(actor: User, community: Community) -> None:
    _need(actor, Action.JOIN_INNOVATION, community.district)
    community.members.add(actor)


def share_practice(actor: User, community: Community, practice: Practice) -> None:
    """A member shares a practice of the district with the community."""
    _need(actor, Action.JOIN_INNOVATION, community.district)
    if not community.members.filter(pk=actor.pk).exists():
        raise ValueError("join the community to share a practice")
    if practice.district_id != community.district_id:
        raise policy.NotFound("practice not found")
    community.practices.add(practice)


def post(actor: User, community: Community, body: str, *, parent: Post | None = None) -> Post:
    """A member posts to the discussion, or replies to a post of the same community."""
    _need(actor, Action.JOIN_INNOVATION, community.district)
    if not community.members.filter(pk=actor.pk).exists():
        raise ValueError("join the community to take part in its discussion")
    if parent is not None and parent.community_id != community.pk:
        raise ValueError("a reply must answer a post of the same community")
    return Post.objects.create(
        community=community, parent=parent, author=actor, body=_text(body, "message")
    )
