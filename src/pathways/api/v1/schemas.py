"""Request and response schemas of the REST API (they generate the OpenAPI document)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import AfterValidator

# A record id the database can hold: larger numbers are refused as invalid (422) instead of
# reaching the database driver, which cannot convert them (SQLite raises OverflowError).
RecordId = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]


# Text rules the services apply, stated in the schema so clients (and schemathesis) know them:
# something besides spaces, and "a sentence" (ten characters once trimmed). The blanks are listed
# one by one (exactly what Python's strip() removes) because `\s` means different sets in the
# schema's ECMA dialect, Python and pydantic's Rust engine (U+0085, U+001C-U+001F, U+FEFF).
_BLANKS = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_VISIBLE = rf"[^{_BLANKS}]"
SOME_TEXT = _VISIBLE
SENTENCE = rf"{_VISIBLE}[\s\S]{{8,}}{_VISIBLE}"


def _as_utc(moment: datetime) -> datetime:
    """One instant in UTC, so any offset Python accepts reaches the database (PostgreSQL refuses
    offsets beyond 15:59). A time without an offset is read as UTC; a moment that leaves the
    calendar once in UTC is refused as invalid (422)."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError as error:
        raise ValueError("is outside the range of dates Pathways can store") from error


# A moment sent by a client (a query filter): normalised to UTC before it reaches the database.
Instant = Annotated[datetime, AfterValidator(_as_utc)]


class Error(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """Request did not match the schema: one entry per problem, with its location."""

    detail: list[dict[str, object]]


class LoginIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=1024)


class TokenOut(Schema):
    token: str
    expires_at: datetime


class RoleOut(Schema):
    role: str
    district_id: int | None = None
    school_id: int | None = None
    school: str | None = None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    first_name: str
    last_name: str
    roles: list[RoleOut]
    home_role: str | None


class SectionOut(Schema):
    id: int
    title: str
    course: str
    school_id: int
    school: str
    term: str


class StudentOut(Schema):
    id: int
    username: str
    display_name: str
    grade_level: str


class GoalOut(Schema):
    id: int
    title: str
    target_date: date | None
    state: str
    last_progress: int | None


class ProfileOut(Schema):
    interests: list[str]
    aspirations: str
    goals: list[GoalOut]
    accommodations: str | None = Field(None, description="Staff only; absent when not allowed")
    language_status: str | None = Field(None, description="Staff only; absent when not allowed")


class StudentPage(Schema):
    count: int
    items: list[StudentOut]


class StudentDetailOut(StudentOut):
    sections: list[SectionOut]
    profile: ProfileOut


class StandardMasteryOut(Schema):
    standard_id: int
    code: str
    statement: str
    p_mastery: float | None
    n_evidence: int
    status: str


class StudentMasteryOut(Schema):
    student_id: int
    standards: list[StandardMasteryOut]


class EvidenceIn(Schema):
    """One piece of evidence with a client-made id: an answer to an item, or a scored standard."""

    id: UUID
    student: RecordId
    item: RecordId | None = Field(None, description="Item answered; the server scores `response`")
    response: Annotated[str, Field(max_length=10_000)] | float | None = None
    standard: RecordId | None = Field(None, description="For evidence without an item")
    kind: Literal["item_response", "exit_ticket", "rubric", "mastery_check"] | None = None
    correct: bool | None = None
    rubric_level: int | None = Field(None, ge=1, le=4)


class MasteryOut(Schema):
    standard_id: int
    code: str
    p_mastery: float
    n_evidence: int
    mastered: bool


class EvidenceOut(Schema):
    id: UUID
    kind: str
    correct: bool | None
    rubric_level: int | None
    mastery: MasteryOut


class GradeEvidenceOut(Schema):
    at: datetime
    kind: str
    label: str


class GradeOut(Schema):
    standard_id: int
    code: str
    statement: str
    grade: int | None
    label: str
    reason: str
    next_step: str
    p_mastery: float
    descriptors: dict[str, str]
    evidence: list[GradeEvidenceOut]


class HeatmapStudentOut(Schema):
    id: int
    display_name: str
    mastered: int
    cells: list[str]


class HeatmapOut(Schema):
    section_id: int
    standards: list[str]
    students: list[HeatmapStudentOut]


class PathActivityOut(Schema):
    activity_id: int
    title: str
    standard_id: int
    code: str
    modality: str
    bloom_level: int
    minutes: int


class PathStepOut(PathActivityOut):
    kind: Literal["learn", "review", "revisit", "stretch"] = Field(
        description="learn: a skill the student is ready for; review: a mastered skill due for "
        "review; revisit: a mastered skill the answers since put in doubt; stretch: "
        "higher-order work at the student's level"
    )
    reason: str


class ChoiceOptionOut(PathActivityOut):
    reason: str


class PathOut(Schema):
    student_id: int
    steps: list[PathStepOut]
    choice_board: list[ChoiceOptionOut]
