"""A class in the API: pacing against the guide, who is ready / stuck / not assessed lately, and
assigned work (teachers assign to a section, a group or a student; students complete it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from pathways.api.v1._access import caller, readable_student
from pathways.api.v1.daily_schemas import (
    AssignmentIn,
    AssignmentOut,
    AssignmentPage,
    CompletionIn,
    CompletionOut,
    InsightsOut,
    PacingOut,
    PageQuery,
    StudentAssignmentOut,
)
from pathways.api.v1.schemas import Error, RecordId, ValidationErrorOut
from pathways.apps.access import audit, policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.mastery import insights, queries
from pathways.apps.paths import pacing as pacing_queries
from pathways.apps.paths import queries as path_queries
from pathways.apps.paths import services as paths
from pathways.apps.paths.models import Assignment
from pathways.apps.roster import queries as roster
from pathways.apps.roster.models import Section
from pathways.apps.standards.models import Standard

router = Router(tags=["classroom"])

READ = {401: Error, 404: Error, 422: ValidationErrorOut}


def _student(student: User) -> dict[str, object]:
    return {
        "id": student.pk,
        "username": student.username,
        "display_name": student.display_name,
        "grade_level": student.grade_level,
    }


def _standard(standard: Standard) -> dict[str, object]:
    return {"id": standard.pk, "code": standard.short_code, "statement": standard.statement}


def _staff_section(actor: User, section_id: int) -> Section:
    """The section, if ``actor`` may read every student's data in it (the heatmap's rule)."""
    section = roster.section_by_id(section_id)
    policy.require(actor, Action.VIEW_SECTION_MASTERY, section)
    assert section is not None
    return section


def _pacing(section: Section, students: list[User]) -> dict[str, object]:
    standards = queries.section_overview(section).standards
    view = pacing_queries.section_pacing(
        section, students, [s.pk for s in standards], timezone.localdate()
    )
    guide = view.guide
    return {
        "section_id": section.pk,
        "guide": None
        if guide is None
        else {
            "course_id": guide.course_id,
            "start_date": guide.start_date,
            "test_date": guide.test_date,
        },
        "total": view.total,
        "expected_today": view.expected_today,
        "weeks_to_test": view.weeks_to_test,
        "students": [
            {
                "student": _student(row.student),
                "mastered": row.mastered,
                "expected": row.expected,
                "projected": row.projected,
                "status": row.status,
            }
            for row in view.rows
        ],
    }


@router.get(
    "/sections/{section_id}/pacing",
    response={200: PacingOut, **READ},
    summary="Each student of a section against the course's pacing guide and test date",
)
def section_pacing(request: HttpRequest, section_id: RecordId) -> dict[str, object]:
    actor = caller(request)
    section = _staff_section(actor, section_id)
    students = queries.section_students(section)
    audit.log_access(
        actor,
        "view_pacing",
        section,
        students=students,
        scope=f"section {section.pk}",
        channel="api",
    )
    return _pacing(section, students)


@router.get(
    "/students/{student_id}/pacing",
    response={200: list[PacingOut], **READ},
    summary="Where one student stands against the pacing guide of each of their sections",
)
def student_pacing(request: HttpRequest, student_id: RecordId) -> list[dict[str, object]]:
    """The student, their guardians and their staff: the same numbers as the class view."""
    actor = caller(request)
    student = readable_student(actor, student_id)
    audit.log_access(
        actor, "view_pacing", student, students=[student], scope="view_student", channel="api"
    )
    return [_pacing(section, [student]) for section in queries.student_sections(student)]


@router.get(
    "/sections/{section_id}/insights",
    response={200: InsightsOut, **READ},
    summary="Who is ready for what, who is stuck, who has not been assessed lately",
)
def section_insights(request: HttpRequest, section_id: RecordId) -> dict[str, object]:
    actor = caller(request)
    section = _staff_section(actor, section_id)
    overview = queries.section_overview(section)
    students = [r.student for r in overview.rows]
    audit.log_access(
        actor,
        "view_section_mastery",
        section,
        students=students,
        scope=f"section {section.pk}",
        channel="api",
    )
    found = insights.section_insights(students, overview.standards, now=timezone.now())
    return {
        "section_id": section.pk,
        "ready": [
            {"standard": _standard(r.standard), "students": [_student(s) for s in r.students]}
            for r in found.ready
        ],
        "stuck": [
            {
                "student": _student(s.student),
                "standard": _standard(s.standard),
                "n_evidence": s.n_evidence,
                "p_mastery": s.p_mastery,
            }
            for s in found.stuck
        ],
        "not_assessed": [
            {"student": _student(student), "last_evidence_at": last}
            for student, last in found.not_assessed
        ],
        "stuck_after": insights.STUCK_AFTER,
        "not_assessed_days": insights.NOT_ASSESSED_DAYS,
    }


def _assignment(assignment: Assignment) -> dict[str, object]:
    activity = assignment.activity
    return {
        "id": assignment.pk,
        "section_id": assignment.section_id,
        "student_id": assignment.student_id,
        "activity": {
            "id": activity.pk,
            "title": activity.title,
            "modality": activity.modality,
            "bloom_level": activity.bloom_level,
            "minutes": activity.duration_minutes,
        },
        "pinned": assignment.pinned,
        "due": assignment.due,
        "created_at": assignment.created_at,
    }


@router.get(
    "/sections/{section_id}/assignments",
    response={200: AssignmentPage, **READ},
    summary="Work assigned in a section (to the class, to groups, to single students)",
)
def section_assignments(
    request: HttpRequest, section_id: RecordId, page: Query[PageQuery]
) -> dict[str, object]:
    actor = caller(request)
    section = _staff_section(actor, section_id)
    count, found = path_queries.section_assignments_page(
        section.pk, offset=page.offset, limit=page.limit
    )
    audit.log_access(
        actor,
        "view_assignments",
        section,
        students=sorted({a.student_id for a in found if a.student_id is not None}),
        scope=f"section {section.pk}",
        channel="api",
    )
    return {"count": count, "items": [_assignment(a) for a in found]}


@router.post(
    "/sections/{section_id}/assignments",
    response={201: list[AssignmentOut], 400: Error, **READ},
    summary="Assign (or pin) an activity to the section, a group of its students, or one student",
)
def create_assignments(
    request: HttpRequest, section_id: RecordId, body: AssignmentIn
) -> Status[object]:
    """Only a teacher of the section; every student named must be one they teach (else 404,
    and nothing is assigned)."""
    actor = caller(request)
    section = roster.section_by_id(section_id)
    policy.require(actor, Action.TEACH_SECTION, section)
    assert section is not None
    activity = path_queries.activities_by_id([body.activity])
    if not activity:
        return Status(404, {"detail": "Not found."})
    try:
        if not body.students:
            made = [paths.assign(actor, section, activity[0], pinned=body.pinned, due=body.due)]
        else:
            found = {s.pk: s for s in scopes.students().filter(pk__in=body.students)}
            if len(found) != len(set(body.students)):
                return Status(404, {"detail": "Not found."})
            made = paths.assign_to_students(
                actor,
                section,
                activity[0],
                students=[found[pk] for pk in dict.fromkeys(body.students)],
                pinned=body.pinned,
                due=body.due,
            )
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    audit.log_access(
        actor,
        "assign",
        section,
        students=[a.student_id for a in made if a.student_id is not None],
        scope="teacher",
        channel="api",
    )
    return Status(201, [_assignment(a) for a in made])


@router.get(
    "/students/{student_id}/assignments",
    response={200: list[StudentAssignmentOut], **READ},
    summary="Work assigned to a student (theirs alone or their sections'), pinned first",
)
def student_assignments(request: HttpRequest, student_id: RecordId) -> list[dict[str, object]]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    found = path_queries.assignments_for(student)
    done = path_queries.completions_of(student, [a.pk for a in found])
    audit.log_access(
        actor, "view_assignments", student, students=[student], scope="view_student", channel="api"
    )
    return [
        {
            **_assignment(a),
            "completed_at": done[a.pk].completed_at if a.pk in done else None,
        }
        for a in found
    ]


@router.post(
    "/students/{student_id}/assignments/{assignment_id}/completion",
    response={200: CompletionOut, 201: CompletionOut, 400: Error, **READ},
    summary="The student marks assigned work done (again: 200, nothing changes)",
)
def complete_assignment(
    request: HttpRequest, student_id: RecordId, assignment_id: RecordId, body: CompletionIn
) -> Status[object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    assignment = path_queries.assignment_for(student, assignment_id)
    if assignment is None:
        return Status(404, {"detail": "Not found."})
    completion, created = paths.complete_assignment(actor, student, assignment, note=body.note)
    return Status(
        201 if created else 200,
        {
            "assignment_id": assignment.pk,
            "student_id": student.pk,
            "note": completion.note,
            "completed_at": completion.completed_at,
        },
    )
