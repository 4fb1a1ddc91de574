"""Schemas of the daily loop's API: pacing, insights, library, assignments, choices, profiles,
correction requests (they generate the OpenAPI document)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema

from pathways.api.v1.schemas import SENTENCE, SOME_TEXT, RecordId, StudentOut

Bloom = Literal[1, 2, 3, 4, 5, 6]
Code = Annotated[str, Field(min_length=1, max_length=100, pattern=SOME_TEXT)]
ModalityName = Literal[
    "teacher_led", "collaborative", "independent", "adaptive", "flipped_video", "project", "service"
]


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


# --- pacing and insights ----------------------------------------------------------------------


class PacingGuideOut(Schema):
    course_id: int
    start_date: date
    test_date: date


class StudentPaceOut(Schema):
    student: StudentOut
    mastered: int
    expected: int = Field(description="Standards due by today on the pacing guide")
    projected: int = Field(description="Standards mastered by the test date at this pace")
    status: Literal["ahead", "on track", "behind", "no pacing guide"]


class PacingOut(Schema):
    section_id: int
    guide: PacingGuideOut | None
    total: int = Field(description="Standards of the course")
    expected_today: int
    weeks_to_test: int | None
    students: list[StudentPaceOut]


class StandardRefOut(Schema):
    id: int
    code: str
    statement: str


class ReadyOut(Schema):
    standard: StandardRefOut
    students: list[StudentOut]


class StuckOut(Schema):
    student: StudentOut
    standard: StandardRefOut
    n_evidence: int
    p_mastery: float


class NotAssessedOut(Schema):
    student: StudentOut
    last_evidence_at: datetime | None


class InsightsOut(Schema):
    section_id: int
    ready: list[ReadyOut] = Field(description="Every prerequisite mastered, the standard not yet")
    stuck: list[StuckOut] = Field(description="Many attempts on a standard without progress")
    not_assessed: list[NotAssessedOut] = Field(description="No evidence in the last 10 days")
    stuck_after: int
    not_assessed_days: int


# --- activity library -------------------------------------------------------------------------


class ActivityQuery(PageQuery):
    q: str = Field("", max_length=100, description="Words in the title or description")
    standard: str = Field("", max_length=100, description="A standard's code, e.g. 4.NF.A.1")
    bloom: int | None = Field(None, ge=1, le=6, description="1 remember ... 6 create")
    modality: ModalityName | None = None
    interest: str = Field("", max_length=40, description="An interest tag, e.g. sports")


class ActivityOut(Schema):
    id: int
    district_id: int
    title: str
    modality: str
    bloom_level: int
    minutes: int
    interest_tags: list[str]
    standards: list[StandardRefOut]


class ActivityDetailOut(ActivityOut):
    description: str
    materials: str


class ActivityPage(Schema):
    count: int
    items: list[ActivityOut]


class ActivityIn(Schema):
    title: str = Field(..., min_length=1, max_length=200, pattern=SOME_TEXT)
    description: str = Field("", max_length=10_000)
    modality: ModalityName
    bloom_level: Bloom
    duration_minutes: int = Field(..., ge=1, le=600)
    materials: str = Field("", max_length=10_000)
    interest_tags: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=20
    )
    standards: list[Code] = Field(..., min_length=1, max_length=50, description="Standard codes")
    district: RecordId | None = Field(
        None, description="Needed only when you work in two districts"
    )


# --- assignments ------------------------------------------------------------------------------


class ActivitySummaryOut(Schema):
    id: int
    title: str
    modality: str
    bloom_level: int
    minutes: int


class AssignmentOut(Schema):
    id: int
    section_id: int
    student_id: int | None = Field(description="null: the whole section")
    activity: ActivitySummaryOut
    pinned: bool
    due: date | None
    created_at: datetime


class StudentAssignmentOut(AssignmentOut):
    completed_at: datetime | None


class AssignmentPage(Schema):
    count: int
    items: list[AssignmentOut]


class AssignmentIn(Schema):
    activity: RecordId
    students: list[RecordId] = Field(
        default_factory=list,
        max_length=60,
        description="Empty: the whole section; one or more: each of these students (a group)",
    )
    pinned: bool = False
    due: date | None = None


class CompletionIn(Schema):
    note: str = Field("", max_length=2000)


class CompletionOut(Schema):
    assignment_id: int
    student_id: int
    note: str
    completed_at: datetime


# --- choice boards ----------------------------------------------------------------------------


class ChoiceIn(Schema):
    id: UUID = Field(description="Client-made id: the same id again changes nothing")
    standard: RecordId
    offered: set[RecordId] = Field(..., min_length=2, max_length=4, description="Activity ids")
    chosen: RecordId
    reason: str = Field(
        ..., max_length=2000, pattern=SENTENCE, description="Why (a sentence, required)"
    )


class ChoiceOut(Schema):
    id: UUID
    student_id: int
    standard: StandardRefOut
    offered: list[ActivitySummaryOut]
    chosen: ActivitySummaryOut
    reason: str
    chosen_at: datetime
    how_it_went: str
    reflected_at: datetime | None


class ChoicePage(Schema):
    count: int
    items: list[ChoiceOut]


class ChoiceReflectionIn(Schema):
    how_it_went: str = Field(..., max_length=2000, pattern=SOME_TEXT)


# --- profiles ---------------------------------------------------------------------------------


class AboutIn(Schema):
    interests: list[Annotated[str, Field(max_length=100)]] = Field(..., max_length=50)
    aspirations: str = Field("", max_length=2000)


class CheckInOut(Schema):
    id: int
    progress: int
    note: str
    at: datetime


class GoalDetailOut(Schema):
    id: int
    title: str
    target_date: date | None
    state: str
    check_ins: list[CheckInOut]


class GoalIn(Schema):
    title: str = Field(..., max_length=200, pattern=SOME_TEXT)
    target_date: date | None = None


class CheckInIn(Schema):
    progress: int = Field(..., ge=0, le=100)
    note: str = Field("", max_length=2000)


class HabitPointOut(Schema):
    day: date
    rating: int


class HabitOut(Schema):
    habit: str
    label: str
    ratings: list[HabitPointOut]


class HabitIn(Schema):
    habit: Literal["persistence", "organization", "collaboration", "self_regulation"]
    rating: int = Field(..., ge=1, le=4)


class HabitRatingOut(Schema):
    habit: str
    rating: int
    at: datetime


class ReflectionIn(Schema):
    id: UUID = Field(description="Client-made id: the same id again changes nothing")
    prompt: str = Field("Reflection", max_length=200)
    text: str = Field(..., max_length=4000, pattern=SOME_TEXT)


class ReflectionOut(Schema):
    id: UUID
    prompt: str
    text: str
    at: datetime


class ReflectionPage(Schema):
    count: int
    items: list[ReflectionOut]


class RestrictedOut(Schema):
    accommodations: str
    language_status: str = Field(description="Code: EO, EL, RFEP, IFEP or empty")
    language_status_label: str


class RestrictedIn(Schema):
    accommodations: str = Field("", max_length=4000)
    language_status: Literal["", "EO", "EL", "RFEP", "IFEP"]


class LearnerProfileOut(Schema):
    student_id: int
    interests: list[str]
    aspirations: str
    goals: list[GoalDetailOut]
    habits: list[HabitOut]
    reflections: list[ReflectionOut] = Field(description="The latest ten")
    can_edit: bool = Field(description="Whether the caller may edit the student's own parts")
    restricted: RestrictedOut | None = Field(
        None, description="Staff of the student only: absent for students and guardians"
    )


# --- correction requests ----------------------------------------------------------------------


class CorrectionIn(Schema):
    about: str = Field(..., max_length=200, pattern=SOME_TEXT, description="Which part")
    details: str = Field(
        ..., max_length=4000, pattern=SENTENCE, description="What should change (a sentence)"
    )


class CorrectionOut(Schema):
    id: int
    student_id: int
    about: str
    details: str
    status: Literal["open", "resolved", "declined"]
    requested_by: str | None
    created_at: datetime
    response: str
    resolved_by: str | None
    resolved_at: datetime | None


class CorrectionPage(Schema):
    count: int
    items: list[CorrectionOut]


class CorrectionQuery(PageQuery):
    status: Literal["open", "resolved", "declined"] | None = None


class ResolutionIn(Schema):
    status: Literal["resolved", "declined"]
    response: str = Field(
        ..., max_length=4000, pattern=SOME_TEXT, description="What was done, or why not"
    )
