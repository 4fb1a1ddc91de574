"""The system for innovation in the API: PDSA cycles (plan, notes, study, decision), problems of
practice, the practice library with its evidence, the district dashboard and survey comparison.

Same rules as the pages (``access.policy``): a cycle, problem or practice the caller may not see
answers 404, exactly like a missing one. 409 answers a request that conflicts with the cycle's
state or with itself (deciding before studying, a class in both groups, an end before the start).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from pathways.api.v1._access import caller
from pathways.api.v1.schemas import SOME_TEXT, Error, ValidationErrorOut
from pathways.apps.access import policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.innovation import queries, services
from pathways.apps.innovation.models import Cycle, Practice
from pathways.apps.roster.models import District

router = Router(tags=["innovation"])
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]


class CycleIn(Schema):
    title: str = Field(min_length=1, max_length=200, pattern=SOME_TEXT)
    change_idea: str = Field(min_length=1, max_length=10_000, pattern=SOME_TEXT)
    prediction: str = Field(min_length=1, max_length=10_000, pattern=SOME_TEXT)
    measure: Literal["mastery_gain", "exit_ticket", "survey_item", "attendance"]
    survey_item: Id | None = Field(
        default=None, description="The survey item a survey_item measure reads (its id)"
    )
    trying: list[Id] = Field(min_length=1, max_length=50)
    comparison: list[Id] = Field(min_length=1, max_length=50)
    start: date
    end: date
    standards: list[Id] = Field(default=[], max_length=100)
    predicted_difference: float | None = Field(
        default=None, ge=-10, le=10, description="On the measure's scale (a share: -1 to 1)"
    )
    problem: Id | None = None
    practice: Id | None = Field(
        default=None, description="The practice tested (required by the attendance measure)"
    )


class CycleOut(Schema):
    id: int
    title: str
    school: str
    measure: str
    survey_item: int | None
    stage: str
    decision: str
    start: date
    end: date
    change_idea: str
    prediction: str
    predicted_difference: float | None
    trying: list[int]
    comparison: list[int]
    practice: int | None
    parent: int | None
    result: dict[str, object]


class NoteIn(Schema):
    body: str = Field(min_length=1, max_length=5000, pattern=SOME_TEXT)
    link: str = Field(default="", max_length=200)


class NoteOut(Schema):
    id: int
    body: str
    link: str


class PracticeFields(Schema):
    title: str = Field(min_length=1, max_length=200, pattern=SOME_TEXT)
    how_to: str = Field(min_length=1, max_length=10_000, pattern=SOME_TEXT)
    summary: str = Field("", max_length=10_000)
    materials: str = Field("", max_length=10_000)
    look_fors: str = Field("", max_length=10_000)
    subject: str = Field(default="", max_length=64)
    grade_span: Literal["elementary", "middle", "high", "any"] = "any"


class DecisionIn(Schema):
    decision: Literal["adopt", "adapt", "abandon"]
    notes: str = Field("", max_length=10_000)
    practice: PracticeFields | None = None


class DecisionOut(Schema):
    cycle: CycleOut
    practice: int | None
    next_cycle: int | None


class ProblemIn(Schema):
    title: str = Field(min_length=1, max_length=200, pattern=SOME_TEXT)
    description: str = Field(min_length=1, max_length=10_000, pattern=SOME_TEXT)


class ProblemOut(Schema):
    id: int
    title: str
    description: str
    status: str
    votes: int
    comments: int
    voted: bool


class TrialOut(Schema):
    cycle: int
    school: str
    difference: float | None
    low: float | None
    high: float | None
    method: str
    flags: int


class PracticeOut(Schema):
    id: int
    title: str
    summary: str
    how_to: str
    look_fors: list[str]
    subject: str
    grade_span: str
    problem: int | None
    strength: str
    trials: list[TrialOut]
    adopted_by: list[str]


class AdoptIn(Schema):
    school: Id


class PracticeQuery(Schema):
    q: str = Field(default="", max_length=100)
    grade_span: Literal["", "elementary", "middle", "high", "any"] = ""
    subject: str = Field(default="", max_length=64)
    strength: Literal["", "strong", "promising", "inconclusive", "untested"] = ""
    problem: Id | None = Field(default=None, description="Only practices addressing this problem")


class AdoptOut(Schema):
    practice: int
    school: int
    adopted_on: date


class GrowthOut(Schema):
    school: str
    students: int
    mastered_per_student: float


class DashboardOut(Schema):
    students: int
    personalized: int
    share: float
    targets: dict[str, float]
    growth: list[GrowthOut]
    adoption: dict[str, int]
    cycles_by_stage: dict[str, int]


class SurveyItemOut(Schema):
    item_id: str
    text: str
    n: int
    share: float
    benchmark_n: int
    benchmark_share: float
    difference: float
    p_value: float
    p_holm: float
    significant: bool


def _district(actor: User) -> District:
    district = queries.first_district(scopes.innovation_districts(actor))
    if district is None:
        raise policy.NotFound("district not found")
    return district


def _cycle(actor: User, pk: int, action: Action = Action.VIEW_CYCLE) -> Cycle:
    cycle = queries.cycle_by_id(pk)
    policy.require(actor, action, cycle)
    assert cycle is not None
    return cycle


def _cycle_out(cycle: Cycle) -> dict[str, object]:
    view = queries.cycle_view(cycle)
    return {
        "id": cycle.pk,
        "title": cycle.title,
        "school": cycle.school.name,
        "measure": cycle.measure,
        "survey_item": cycle.survey_item_id,
        "stage": cycle.stage,
        "decision": cycle.decision,
        "start": cycle.start,
        "end": cycle.end,
        "change_idea": cycle.change_idea,
        "prediction": cycle.prediction,
        "predicted_difference": cycle.predicted_difference,
        "trying": [s.pk for s in view.trying],
        "comparison": [s.pk for s in view.comparison],
        "practice": cycle.practice_id,
        "parent": cycle.parent_id,
        "result": cycle.result or {},
    }


@router.get(
    "/innovation/cycles",
    response={200: list[CycleOut], 401: Error, 422: ValidationErrorOut},
    summary="PDSA cycles the caller may see",
)
def list_cycles(request: HttpRequest) -> list[dict[str, object]]:
    return [_cycle_out(c) for c in queries.cycles(scopes.visible_cycles(caller(request)))]


@router.post(
    "/innovation/cycles",
    response={
        201: CycleOut,
        400: Error,
        401: Error,
        404: Error,
        409: Error,
        422: ValidationErrorOut,
    },
    summary="Plan a PDSA cycle in the caller's own classes against a comparison group",
)
def plan_cycle(request: HttpRequest, body: CycleIn) -> Status[object]:
    actor = caller(request)
    trying = queries.sections_by_id(body.trying)
    comparison = queries.sections_by_id(body.comparison)
    if len(trying) != len(set(body.trying)) or len(comparison) != len(set(body.comparison)):
        raise policy.NotFound("class not found")
    problem = queries.problem_by_id(body.problem) if body.problem else None
    practice = queries.practice_by_id(body.practice) if body.practice else None
    item = queries.survey_item_by_id(body.survey_item) if body.survey_item else None
    if (
        (body.problem and problem is None)
        or (body.practice and practice is None)
        or (body.survey_item and item is None)
    ):
        raise policy.NotFound("not found")
    try:
        cycle = services.plan_cycle(
            actor,
            title=body.title,
            change_idea=body.change_idea,
            prediction=body.prediction,
            measure=body.measure,
            trying=trying,
            comparison=comparison,
            start=body.start,
            end=body.end,
            standards=queries.standards_by_id(body.standards),
            predicted_difference=body.predicted_difference,
            problem=problem,
            practice=practice,
            survey_item=item,
        )
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _cycle_out(cycle))


@router.get(
    "/innovation/cycles/{cycle_id}",
    response={200: CycleOut, 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="One PDSA cycle with its study result",
)
def get_cycle(request: HttpRequest, cycle_id: Id) -> dict[str, object]:
    return _cycle_out(_cycle(caller(request), cycle_id))


@router.post(
    "/innovation/cycles/{cycle_id}/notes",
    response={
        201: NoteOut,
        400: Error,
        401: Error,
        404: Error,
        409: Error,
        422: ValidationErrorOut,
    },
    summary="Do: add a note or artefact link",
)
def add_note(request: HttpRequest, cycle_id: Id, body: NoteIn) -> Status[object]:
    actor = caller(request)
    cycle = _cycle(actor, cycle_id, Action.EDIT_CYCLE)
    try:
        note = services.add_note(actor, cycle, body.body, body.link)
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, {"id": note.pk, "body": note.body, "link": note.link})


@router.post(
    "/innovation/cycles/{cycle_id}/study",
    response={200: CycleOut, 401: Error, 404: Error, 409: Error, 422: ValidationErrorOut},
    summary="Study: collect the measure from evidence and compute the effect with its interval",
)
def study(request: HttpRequest, cycle_id: Id) -> Status[object]:
    actor = caller(request)
    cycle = _cycle(actor, cycle_id, Action.EDIT_CYCLE)
    try:
        services.study_cycle(actor, cycle)
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _cycle_out(cycle))


@router.post(
    "/innovation/cycles/{cycle_id}/decision",
    response={
        200: DecisionOut,
        400: Error,
        401: Error,
        404: Error,
        409: Error,
        422: ValidationErrorOut,
    },
    summary="Act: adopt (optionally codifying a practice), adapt (next cycle) or abandon",
)
def decide(request: HttpRequest, cycle_id: Id, body: DecisionIn) -> Status[object]:
    actor = caller(request)
    cycle = _cycle(actor, cycle_id, Action.EDIT_CYCLE)
    try:
        cycle, made = services.decide(
            actor,
            cycle,
            decision=body.decision,
            notes=body.notes,
            practice=body.practice.model_dump() if body.practice else None,
        )
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(
        200,
        {
            "cycle": _cycle_out(cycle),
            "practice": made.pk if isinstance(made, Practice) else None,
            "next_cycle": made.pk if isinstance(made, Cycle) else None,
        },
    )


def _problem_out(row: queries.ProblemRow) -> dict[str, object]:
    p = row.problem
    return {
        "id": p.pk,
        "title": p.title,
        "description": p.description,
        "status": p.status,
        "votes": row.votes,
        "comments": row.comments,
        "voted": row.voted,
    }


@router.get(
    "/innovation/problems",
    response={200: list[ProblemOut], 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="Problems of practice, ranked (district priorities first, then votes)",
)
def list_problems(request: HttpRequest) -> list[dict[str, object]]:
    actor = caller(request)
    return [_problem_out(r) for r in queries.problems(_district(actor), actor)]


@router.post(
    "/innovation/problems",
    response={
        201: ProblemOut,
        400: Error,
        401: Error,
        404: Error,
        409: Error,
        422: ValidationErrorOut,
    },
    summary="Raise a problem of practice (the person raising it votes for it)",
)
def raise_problem(request: HttpRequest, body: ProblemIn) -> Status[object]:
    actor = caller(request)
    district = _district(actor)
    try:
        problem = services.raise_problem(
            actor, district, title=body.title, description=body.description
        )
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    row = next(r for r in queries.problems(district, actor) if r.problem.pk == problem.pk)
    return Status(201, _problem_out(row))


@router.post(
    "/innovation/problems/{problem_id}/votes",
    response={200: ProblemOut, 201: ProblemOut, 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="Vote for a problem (201 when counted, 200 when the caller had already voted)",
)
def vote(request: HttpRequest, problem_id: Id) -> Status[object]:
    actor = caller(request)
    problem = queries.problem_by_id(problem_id)
    if problem is None:
        raise policy.NotFound("problem not found")
    created = services.vote(actor, problem)
    row = next(r for r in queries.problems(problem.district, actor) if r.problem.pk == problem.pk)
    return Status(201 if created else 200, _problem_out(row))


def _practice_out(card: queries.PracticeCard) -> dict[str, object]:
    p = card.practice
    return {
        "id": p.pk,
        "title": p.title,
        "summary": p.summary,
        "how_to": p.how_to,
        "look_fors": p.look_for_list,
        "subject": p.subject,
        "grade_span": p.grade_span,
        "problem": p.problem_id,
        "strength": card.strength,
        "trials": [
            {
                "cycle": t.cycle.pk,
                "school": t.cycle.school.name,
                "difference": t.difference,
                "low": t.low,
                "high": t.high,
                "method": t.method,
                "flags": t.flags,
            }
            for t in card.trials
        ],
        "adopted_by": [s.name for s in card.adopted_by],
    }


@router.get(
    "/innovation/practices",
    response={200: list[PracticeOut], 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="The practice library with each practice's evidence from cycles and its adoptions",
)
def list_practices(request: HttpRequest, params: Query[PracticeQuery]) -> list[dict[str, object]]:
    district = _district(caller(request))
    cards = queries.practice_library(
        district,
        text=params.q,
        grade_span=params.grade_span,
        subject=params.subject,
        strength=params.strength,
        problem_id=params.problem,
    )
    return [_practice_out(c) for c in cards]


@router.post(
    "/innovation/practices/{practice_id}/adoptions",
    response={201: AdoptOut, 400: Error, 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="A school adopts a practice (its principal, coach or district administrator)",
)
def adopt(request: HttpRequest, practice_id: Id, body: AdoptIn) -> Status[object]:
    actor = caller(request)
    practice = queries.practice_by_id(practice_id)
    school = queries.school_by_id(body.school)
    if practice is None or school is None:
        raise policy.NotFound("not found")
    adoption = services.adopt_practice(actor, practice, school)
    return Status(
        201, {"practice": practice.pk, "school": school.pk, "adopted_on": adoption.adopted_on}
    )


def _admin_district(actor: User) -> District:
    district = _district(actor)
    policy.require(actor, Action.VIEW_DISTRICT, district)
    return district


@router.get(
    "/innovation/dashboard",
    response={200: DashboardOut, 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="District dashboard: personalized share against targets, growth, adoption, cycles",
)
def dashboard(request: HttpRequest) -> dict[str, object]:
    district = _admin_district(caller(request))
    board = queries.dashboard(district, today=timezone.localdate())
    return {
        "students": board.students,
        "personalized": board.personalized,
        "share": board.share,
        "targets": board.targets,
        "growth": [
            {"school": s.name, "students": n, "mastered_per_student": g} for s, n, g in board.growth
        ],
        "adoption": {p.title: n for p, n in board.adoption},
        "cycles_by_stage": board.cycles_by_stage,
    }


@router.get(
    "/innovation/survey/comparison",
    response={200: list[SurveyItemOut], 401: Error, 404: Error, 422: ValidationErrorOut},
    summary="Teacher practice survey against the benchmark (pooled z-test, Holm correction)",
)
def survey_comparison(request: HttpRequest) -> list[dict[str, object]]:
    district = _admin_district(caller(request))
    return [
        {**row.comparison.as_dict(), "text": row.item.text}
        for row in queries.survey_comparison(
            district, queries.current_school_year(district, timezone.localdate())
        )
    ]
