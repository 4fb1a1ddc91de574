"""The daily loop in the API: evidence in, mastery, grades with reasons, paths and heatmaps out."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from pathways.api.v1._access import caller, readable_student
from pathways.api.v1.schemas import (
    Error,
    EvidenceIn,
    EvidenceOut,
    GradeOut,
    HeatmapOut,
    PathOut,
    RecordId,
    ValidationErrorOut,
)
from pathways.apps.access import audit, policy
from pathways.apps.access.policy import Action
from pathways.apps.activities.models import Item
from pathways.apps.activities.scoring import score
from pathways.apps.evidence.models import Evidence
from pathways.apps.evidence.services import (
    EvidenceConflict,
    Recorded,
    record_evidence,
)
from pathways.apps.mastery import grades as grade_queries
from pathways.apps.mastery import queries
from pathways.apps.paths import planning
from pathways.apps.paths import queries as path_queries
from pathways.apps.roster import queries as roster
from pathways.apps.standards.models import Standard

router = Router()


def _evidence_out(recorded: Recorded) -> dict[str, object]:
    evidence, estimate = recorded.evidence, recorded.estimate
    return {
        "id": evidence.pk,
        "kind": evidence.kind,
        "correct": evidence.correct,
        "rubric_level": evidence.rubric_level,
        "mastery": {
            "standard_id": estimate.standard_id,
            "code": evidence.standard.short_code,
            "p_mastery": estimate.p_mastery,
            "n_evidence": estimate.n_evidence,
            "mastered": estimate.mastered_at is not None,
        },
    }


@router.post(
    "/evidence",
    response={
        200: EvidenceOut,
        201: EvidenceOut,
        400: Error,
        401: Error,
        404: Error,
        409: Error,
        422: ValidationErrorOut,
    },
    tags=["evidence"],
    summary="Record evidence (idempotent by client id) and get the updated mastery",
)
def post_evidence(request: HttpRequest, body: EvidenceIn) -> Status[object]:
    """201 when recorded, 200 when the same id was already recorded with the same content
    (nothing changes), 409 when the id was used for different content."""
    actor = caller(request)
    # One query finds the student and decides whether actor may record for them; someone who
    # may not gets 404 whatever they sent, so a refusal never tells more than a missing student.
    student, permit = policy.recording_permit(actor, body.student)
    fields = _evidence_fields(body)
    if isinstance(fields, Status):
        return fields
    item, standard, kind, correct, rubric_level = fields
    try:
        # The permit spares record_evidence a second permission query: this is the busiest
        # write of the platform.
        recorded = record_evidence(
            actor,
            evidence_id=body.id,
            student=student,
            standard=standard,
            kind=Evidence.Kind(kind),
            correct=correct,
            rubric_level=rubric_level,
            item=item,
            response={"answer": body.response} if body.response is not None else {},
            channel="api",
            permit=permit,
        )
    except EvidenceConflict as error:
        return Status(409, {"detail": str(error)})
    return Status(201 if recorded.created else 200, _evidence_out(recorded))


def _evidence_fields(
    body: EvidenceIn,
) -> tuple[Item | None, Standard, str, bool | None, int | None] | Status[object]:
    """What the body asks to record (item, standard, kind, correct, rubric level), or the
    answer (400, 404) when it asks for nothing recordable."""
    if body.item is not None:
        item = path_queries.item_by_id(body.item)
        if item is None:
            return Status(404, {"detail": "Not found."})
        kind: str = body.kind or Evidence.Kind.ITEM_RESPONSE
        if kind not in (Evidence.Kind.ITEM_RESPONSE, Evidence.Kind.MASTERY_CHECK):
            return Status(400, {"detail": "an item answer is an item_response or a mastery_check"})
        try:
            correct = score(item, "" if body.response is None else body.response)
        except ValueError as error:  # a rubric-scored item: a teacher gives a rubric level
            return Status(400, {"detail": str(error)})
        return item, item.standard, kind, correct, None
    standard = path_queries.standard_by_id(body.standard) if body.standard is not None else None
    if standard is None:
        return Status(400, {"detail": "give an item, or a standard with a score"})
    kind = body.kind or (Evidence.Kind.RUBRIC if body.rubric_level else Evidence.Kind.EXIT_TICKET)
    if (body.correct is None) == (body.rubric_level is None):
        return Status(400, {"detail": "give exactly one of correct or rubric_level"})
    return None, standard, kind, body.correct, body.rubric_level


@router.get(
    "/students/{student_id}/grades",
    response={200: list[GradeOut], 401: Error, 404: Error, 422: ValidationErrorOut},
    tags=["students"],
    summary="Grades 1-4 per standard, each with its reason, evidence, descriptors and next step",
)
def get_grades(request: HttpRequest, student_id: RecordId) -> list[dict[str, object]]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    audit.log_access(
        actor, "view_grades", student, students=[student], scope="view_student", channel="api"
    )
    return [
        {
            "standard_id": row.standard.pk,
            "code": row.standard.short_code,
            "statement": row.standard.statement,
            "grade": row.report.grade,
            "label": row.report.label,
            "reason": row.report.reason,
            "next_step": row.report.next_step,
            "p_mastery": row.report.p_mastery,
            "descriptors": {str(k): v for k, v in row.report.descriptors.items()},
            "evidence": [
                {"at": e.at, "kind": e.kind, "label": e.label} for e in row.report.evidence
            ],
        }
        for row in grade_queries.grades_for(student)
    ]


@router.get(
    "/sections/{section_id}/heatmap",
    response={200: HeatmapOut, 401: Error, 404: Error, 422: ValidationErrorOut},
    tags=["sections"],
    summary="Every student x every standard of the section's course, by mastery status",
)
def get_heatmap(request: HttpRequest, section_id: RecordId) -> dict[str, object]:
    actor = caller(request)
    section = roster.section_by_id(section_id)
    policy.require(actor, Action.VIEW_SECTION_MASTERY, section)
    assert section is not None
    overview = queries.section_overview(section)
    audit.log_access(
        actor,
        "view_section_mastery",
        section,
        students=[r.student for r in overview.rows],
        scope=f"section {section.pk}",
        channel="api",
    )
    return {
        "section_id": section.pk,
        "standards": [s.short_code for s in overview.standards],
        "students": [
            {
                "id": r.student.pk,
                "display_name": r.student.display_name,
                "mastered": r.mastered,
                "cells": [c.value for c in r.ordered],
            }
            for r in overview.rows
        ],
    }


@router.get(
    "/students/{student_id}/path",
    response={200: PathOut, 401: Error, 404: Error, 422: ValidationErrorOut},
    tags=["students"],
    summary="Today's path: next activities with the reason each was chosen, and the choice board",
)
def get_path(request: HttpRequest, student_id: RecordId) -> dict[str, object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    view = planning.todays_path(student)
    audit.log_access(
        actor, "view_path", student, students=[student], scope="view_student", channel="api"
    )

    def describe(option_id: str, skill: str) -> dict[str, object]:
        activity, standard = view.activities[option_id], view.standards[skill]
        return {
            "activity_id": activity.pk,
            "title": activity.title,
            "standard_id": standard.pk,
            "code": standard.short_code,
            "modality": activity.modality,
            "bloom_level": activity.bloom_level,
            "minutes": activity.duration_minutes,
        }

    return {
        "student_id": student.pk,
        "steps": [
            {**describe(step.activity.id, step.skill), "kind": step.kind, "reason": step.reason}
            for step in view.planned.steps
        ],
        "choice_board": [
            {**describe(option.id, option.skill), "reason": reason}
            for option, reason in zip(
                view.planned.choices, view.planned.choice_reasons, strict=True
            )
        ],
    }
