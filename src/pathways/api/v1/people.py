"""Who am I, and the students and sections I may see (filtered by the access policy)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from pathways.api.v1._access import caller, readable_student
from pathways.api.v1.schemas import (
    Error,
    MeOut,
    RecordId,
    SectionOut,
    StudentDetailOut,
    StudentMasteryOut,
    StudentOut,
    StudentPage,
    ValidationErrorOut,
)
from pathways.apps.access import audit, policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.access.roles import home_role
from pathways.apps.accounts.models import User
from pathways.apps.mastery import queries
from pathways.apps.profiles import queries as profile_queries
from pathways.apps.roster import queries as roster
from pathways.apps.roster.models import Section

router = Router()


def _section_out(section: Section) -> dict[str, object]:
    return {
        "id": section.pk,
        "title": section.title,
        "course": section.course.title,
        "school_id": section.school_id,
        "school": section.school.name,
        "term": section.term.title,
    }


def _student_out(student: User) -> dict[str, object]:
    return {
        "id": student.pk,
        "username": student.username,
        "display_name": student.display_name,
        "grade_level": student.grade_level,
    }


@router.get(
    "/me",
    response={200: MeOut, 401: Error},
    tags=["me"],
    summary="The signed-in person and their roles",
)
def me(request: HttpRequest) -> dict[str, object]:
    user = caller(request)
    memberships = roster.memberships_of(user)
    roles = [
        {
            "role": m.role,
            "district_id": m.district_id,
            "school_id": m.school_id,
            "school": m.school.name if m.school else None,
        }
        for m in memberships
    ]
    if scopes.teachable_sections(user).exists() and not any(r["role"] == "teacher" for r in roles):
        roles.append({"role": "teacher"})
    role = home_role(user)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "roles": roles,
        "home_role": role.value if role else None,
    }


class StudentQuery(Schema):
    username: str | None = Field(None, max_length=150)
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get(
    "/students",
    response={200: StudentPage, 401: Error, 422: ValidationErrorOut},
    tags=["students"],
    summary="Students I may see",
)
def list_students(request: HttpRequest, params: Query[StudentQuery]) -> dict[str, object]:
    """The same rule as for one student: nobody outside the caller's scope is ever listed."""
    actor = caller(request)
    students = scopes.visible_students(actor).order_by("last_name", "first_name", "pk")
    if params.username:
        students = students.filter(username=params.username)
    page = list(students[params.offset : params.offset + params.limit])
    audit.log_access(
        actor, "list_students", actor, students=page, scope="visible_students", channel="api"
    )
    return {"count": students.count(), "items": [_student_out(s) for s in page]}


@router.get(
    "/students/{student_id}",
    response={200: StudentDetailOut, 401: Error, 404: Error, 422: ValidationErrorOut},
    tags=["students"],
    summary="One student's profile",
    exclude_unset=True,
)
def get_student(request: HttpRequest, student_id: RecordId) -> dict[str, object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    audit.log_access(
        actor, "view_student", student, students=[student], scope="view_student", channel="api"
    )
    restricted = policy.can(actor, Action.VIEW_RESTRICTED, student)
    view = profile_queries.profile_of(student, include_restricted=restricted)
    return {
        **_student_out(student),
        "sections": [_section_out(s) for s in queries.student_sections(student)],
        "profile": {
            "interests": view.interests,
            "aspirations": view.aspirations,
            "goals": [
                {
                    "id": goal.pk,
                    "title": goal.title,
                    "target_date": goal.target_date,
                    "state": goal.state,
                    "last_progress": next((c.progress for c in goal.check_ins.all()), None),
                }
                for goal in view.goals
            ],
            # Restricted fields: present for staff of the student, absent (not null) otherwise.
            **(
                {"accommodations": view.accommodations, "language_status": view.language_status}
                if restricted
                else {}
            ),
        },
    }


@router.get(
    "/students/{student_id}/mastery",
    response={200: StudentMasteryOut, 401: Error, 404: Error, 422: ValidationErrorOut},
    tags=["students"],
    summary="Mastery of every standard of the student's courses",
)
def get_student_mastery(request: HttpRequest, student_id: RecordId) -> dict[str, object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    audit.log_access(
        actor, "view_mastery", student, students=[student], scope="view_student", channel="api"
    )
    return {
        "student_id": student.pk,
        "standards": [
            {
                "standard_id": row.standard_id,
                "code": row.code,
                "statement": row.statement,
                "p_mastery": row.p_mastery,
                "n_evidence": row.n_evidence,
                "status": row.status.value,
            }
            for row in queries.student_mastery(student)
        ],
    }


@router.get(
    "/sections",
    response={200: list[SectionOut], 401: Error},
    tags=["sections"],
    summary="Sections I may see",
)
def list_sections(request: HttpRequest) -> list[dict[str, object]]:
    sections = scopes.visible_sections(caller(request)).select_related("course", "school", "term")
    return [_section_out(s) for s in sections.order_by("pk")]


@router.get(
    "/sections/{section_id}/students",
    response={200: list[StudentOut], 401: Error, 404: Error, 422: ValidationErrorOut},
    tags=["sections"],
    summary="The students of a section that I may see",
)
def section_students(request: HttpRequest, section_id: RecordId) -> list[dict[str, object]]:
    """Teachers and leaders get the whole class; a student or guardian only their own."""
    actor = caller(request)
    section = roster.section_by_id(section_id)
    policy.require(actor, Action.VIEW_SECTION, section)
    assert section is not None
    students = list(
        scopes.visible_students(actor)
        .filter(enrollments__section=section, enrollments__active=True, enrollments__role="student")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    audit.log_access(
        actor,
        "list_section_students",
        section,
        students=students,
        scope=f"section {section.pk}",
        channel="api",
    )
    return [_student_out(s) for s in students]
