"""The district's goals framework and the teacher practice survey's items in the API.

Staff of the district read them; district administrators (``Action.MANAGE_INNOVATION``) write
them, audited like the pages' edits. Another district's goal or item answers 404 like a missing
one; so does a write by someone who may not make it. 409: a request the record refuses (a
duplicate item code, a scale that drops a label someone already answered, a measure without what
its kind needs).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from pathways.api.v1._access import caller
from pathways.api.v1.schemas import SOME_TEXT, Error, ValidationErrorOut
from pathways.apps.access import policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.innovation import queries, services
from pathways.apps.innovation.models import Goal, SurveyItem
from pathways.apps.roster.models import District

router = Router(tags=["innovation"])
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
Label = Annotated[str, Field(min_length=1, max_length=32, pattern=SOME_TEXT)]
WRITE = {400: Error, 401: Error, 404: Error, 409: Error, 422: ValidationErrorOut}
READ = {401: Error, 404: Error, 422: ValidationErrorOut}
Area = Literal["academic", "social", "emotional"]
Construct = Literal["pacing", "mastery", "choice", "reflection"]


class GoalMeasureOut(Schema):
    id: int
    kind: str
    description: str
    standards: list[str] = Field(description="Codes of the linked standards")
    grade: str
    survey_item: str | None = Field(description="Code of the linked survey item")
    target: str


class DistrictGoalOut(Schema):
    id: int
    area: str
    title: str
    description: str
    measures: list[GoalMeasureOut]


class DistrictGoalIn(Schema):
    area: Area
    title: str = Field(min_length=1, max_length=200, pattern=SOME_TEXT)
    description: str = Field(default="", max_length=5000)


class GoalMeasureIn(Schema):
    kind: Literal["standards", "grade", "survey_item"]
    description: str = Field(min_length=1, max_length=300, pattern=SOME_TEXT)
    standards: list[Id] = Field(default=[], max_length=100)
    grade: str = Field(default="", max_length=8)
    survey_item: Id | None = None
    target: str = Field(default="", max_length=200)


class SurveyItemDetailOut(Schema):
    id: int
    code: str
    construct_: str = Field(alias="construct", description="pacing, mastery, choice, reflection")
    text: str
    position: int
    scale: list[str] = Field(description="Answer labels, top first; the top two count as agreement")
    retired_at: datetime | None
    answers: int
    cycles: int


class SurveyItemIn(Schema):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    # "construct" would shadow pydantic's BaseModel.construct: the name lives in the alias.
    construct_: Construct = Field(alias="construct")
    text: str = Field(min_length=1, max_length=300, pattern=SOME_TEXT)
    position: int = Field(default=0, ge=0, le=32767)
    scale: list[Label] = Field(default=[], max_length=7, description="Empty: the Likert scale")


class SurveyItemUpdate(Schema):
    construct_: Construct = Field(alias="construct")
    text: str = Field(min_length=1, max_length=300, pattern=SOME_TEXT)
    position: int = Field(default=0, ge=0, le=32767)
    scale: list[Label] = Field(min_length=2, max_length=7)
    retired: bool = Field(default=False, description="True stops asking it; answers are kept")


def _district(actor: User) -> District:
    district = queries.first_district(scopes.innovation_districts(actor))
    if district is None:
        raise policy.NotFound("district not found")
    return district


def _goal_out(goal: Goal) -> dict[str, object]:
    return {
        "id": goal.pk,
        "area": goal.area,
        "title": goal.title,
        "description": goal.description,
        "measures": [
            {
                "id": m.pk,
                "kind": m.kind,
                "description": m.description,
                "standards": [s.code for s in m.standards.all()],
                "grade": m.grade,
                "survey_item": m.survey_item.code if m.survey_item else None,
                "target": m.target,
            }
            for m in goal.measures.all()
        ],
    }


def _goal(actor: User, pk: int) -> Goal:
    goal = queries.goal_by_id(pk)
    policy.require(actor, Action.MANAGE_INNOVATION, goal.district if goal else None)
    assert goal is not None
    return next(g for g in queries.goals(goal.district) if g.pk == goal.pk)


@router.get(
    "/innovation/goals",
    response={200: list[DistrictGoalOut], **READ},
    summary="The district's goals (academic, social, emotional) with their measures",
)
def list_goals(request: HttpRequest) -> list[dict[str, object]]:
    return [_goal_out(g) for g in queries.goals(_district(caller(request)))]


@router.post(
    "/innovation/goals",
    response={201: DistrictGoalOut, **WRITE},
    summary="Add a goal (district administrators)",
)
def create_goal(request: HttpRequest, body: DistrictGoalIn) -> Status[object]:
    actor = caller(request)
    district = _district(actor)
    policy.require(actor, Action.MANAGE_INNOVATION, district)
    try:
        goal = services.create_goal(
            actor, district, area=body.area, title=body.title, description=body.description
        )
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _goal_out(goal))


@router.put(
    "/innovation/goals/{goal_id}",
    response={200: DistrictGoalOut, **WRITE},
    summary="Edit a goal's area, title and description (district administrators; audited)",
)
def update_goal(request: HttpRequest, goal_id: Id, body: DistrictGoalIn) -> Status[object]:
    actor = caller(request)
    goal = _goal(actor, goal_id)
    try:
        services.update_goal(
            actor, goal, area=body.area, title=body.title, description=body.description
        )
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _goal_out(_goal(actor, goal_id)))


@router.post(
    "/innovation/goals/{goal_id}/measures",
    response={201: DistrictGoalOut, **WRITE},
    summary="Add a measure linked to standards, a grade or a survey item (administrators)",
)
def add_measure(request: HttpRequest, goal_id: Id, body: GoalMeasureIn) -> Status[object]:
    actor = caller(request)
    goal = _goal(actor, goal_id)
    wanted = set(body.standards)
    standards = [s for s in queries.district_standards(goal.district) if s.pk in wanted]
    item = queries.survey_item_by_id(body.survey_item) if body.survey_item else None
    if len(standards) != len(wanted) or (body.survey_item and item is None):
        raise policy.NotFound("standard or survey item not found")
    if body.grade and body.grade not in queries.district_grades(goal.district):
        return Status(409, {"detail": "choose a grade of the district's courses"})
    try:
        services.add_measure(
            actor,
            goal,
            kind=body.kind,
            description=body.description,
            standards=standards,
            grade=body.grade,
            survey_item=item,
            target=body.target,
        )
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _goal_out(_goal(actor, goal_id)))


def _item_out(row: queries.ItemRow) -> dict[str, object]:
    item = row.item
    return {
        "id": item.pk,
        "code": item.code,
        "construct": item.construct,
        "text": item.text,
        "position": item.position,
        "scale": item.labels,
        "retired_at": item.retired_at,
        "answers": row.answers,
        "cycles": row.cycles,
    }


def _item_row(item: SurveyItem) -> dict[str, object]:
    return _item_out(next(r for r in queries.survey_item_rows(item.district) if r.item == item))


@router.get(
    "/innovation/survey/items",
    response={200: list[SurveyItemDetailOut], **READ},
    by_alias=True,
    summary="The teacher practice survey's items, retired ones too, with answer counts",
)
def list_items(request: HttpRequest) -> list[dict[str, object]]:
    return [_item_out(r) for r in queries.survey_item_rows(_district(caller(request)))]


@router.post(
    "/innovation/survey/items",
    response={201: SurveyItemDetailOut, **WRITE},
    by_alias=True,
    summary="Add a survey item (district administrators; 409 for a code already used)",
)
def create_item(request: HttpRequest, body: SurveyItemIn) -> Status[object]:
    actor = caller(request)
    district = _district(actor)
    policy.require(actor, Action.MANAGE_INNOVATION, district)
    try:
        item = services.create_survey_item(
            actor,
            district,
            code=body.code,
            construct=body.construct_,
            text=body.text,
            position=body.position,
            scale=body.scale,
        )
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _item_row(item))


@router.put(
    "/innovation/survey/items/{item_id}",
    response={200: SurveyItemDetailOut, **WRITE},
    by_alias=True,
    summary="Reword, reorder, rescale, retire or restore an item (its past answers are kept)",
)
def update_item(request: HttpRequest, item_id: Id, body: SurveyItemUpdate) -> Status[object]:
    actor = caller(request)
    item = queries.survey_item_by_id(item_id)
    policy.require(actor, Action.MANAGE_INNOVATION, item.district if item else None)
    assert item is not None
    try:
        services.update_survey_item(
            actor,
            item,
            construct=body.construct_,
            text=body.text,
            position=body.position,
            scale=body.scale,
        )
        services.retire_survey_item(actor, item, retired=body.retired)
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _item_row(item))
