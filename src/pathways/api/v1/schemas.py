"""Request and response schemas of the REST API (they generate the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class Error(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """Request did not match the schema: one entry per problem, with its location."""

    detail: list[dict[str, object]]


class LoginIn(Schema):
    username: str
    password: str


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


class StudentPage(Schema):
    count: int
    items: list[StudentOut]


class StudentDetailOut(StudentOut):
    sections: list[SectionOut]


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
