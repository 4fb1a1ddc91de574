"""Grades 1-4 with their reasons per student and standard (the rule: engines.grading)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pathways.apps.accounts.models import User
from pathways.apps.evidence.models import Evidence as EvidenceRow
from pathways.apps.mastery import adapters
from pathways.apps.mastery.models import MasteryEstimate
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.mastery.services import MASTERY_RULE
from pathways.apps.standards.models import Association, Standard
from pathways.engines.grading import (
    Evidence,
    GradeReport,
    GradingRule,
    explain_grade,
    grade_from_summary,
    replay,
)

RULE = GradingRule(mastery=MASTERY_RULE)


@dataclass(frozen=True)
class StandardGrade:
    standard: Standard
    report: GradeReport


def _describe(row: EvidenceRow) -> str:
    if row.kind == EvidenceRow.Kind.RUBRIC:
        return f"Rubric score {row.rubric_level} of 4"
    outcome = "correct" if row.correct else "not correct"
    names = {
        "item_response": "Practice question",
        "exit_ticket": "Exit ticket",
        "mastery_check": "Mastery check question",
    }
    return f"{names.get(row.kind, row.kind)}: {outcome}"


def to_engine_evidence(row: EvidenceRow) -> Evidence:
    score, strength = adapters.observation(row.kind, row.correct, row.rubric_level)
    return Evidence(
        at=row.occurred_at,
        kind=row.kind,
        score=score,
        strength=strength,
        rubric_level=row.rubric_level,
        label=_describe(row),
    )


def grades_for(student: User, standard_ids: list[int] | None = None) -> list[StandardGrade]:
    """Every standard of the student's courses (or the given ones) with its explained grade."""
    standards = student_course_standards(student)
    if standard_ids is not None:
        wanted = set(standard_ids)
        standards = [s for s in standards if s.pk in wanted]
    ids = [s.pk for s in standards]
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for row in EvidenceRow.objects.filter(student=student, standard_id__in=ids).order_by(
        "occurred_at"
    ):
        evidence[row.standard_id].append(to_engine_evidence(row))
    params = adapters.params_for(ids)
    estimates = {e.standard_id: e for e in MasteryEstimate.objects.filter(student=student)}
    prerequisites: dict[int, list[Standard]] = defaultdict(list)
    for link in Association.objects.filter(
        kind=Association.Kind.PRECEDES, destination_id__in=ids
    ).select_related("origin"):
        prerequisites[link.destination_id].append(link.origin)
    results = []
    for standard in standards:
        # Only prerequisites with evidence of a gap count; no evidence is not a gap.
        missing = [
            p.short_code
            for p in prerequisites.get(standard.pk, [])
            if p.pk in estimates and estimates[p.pk].mastered_at is None
        ]
        report = explain_grade(
            code=standard.short_code,
            statement=standard.statement,
            params=params[standard.pk],
            state=adapters.to_state(estimates.get(standard.pk), params[standard.pk]),
            evidence=evidence.get(standard.pk, []),
            unmastered_prerequisites=missing,
            rule=RULE,
        )
        results.append(StandardGrade(standard, report))
    return results


def mastery_over_time(student: User, standard: Standard) -> list[tuple[str, float]]:
    """(date, estimate) after each piece of evidence on one standard: the grade page's chart."""
    rows = list(
        EvidenceRow.objects.filter(student=student, standard=standard).order_by("occurred_at")
    )
    states = replay(
        adapters.params_for([standard.pk])[standard.pk], [to_engine_evidence(r) for r in rows]
    )
    return [
        (row.occurred_at.date().isoformat(), round(s.p_mastery, 3))
        for row, s in zip(rows, states, strict=True)
    ]


def grade_spread(
    students_by_group: dict[int, list[int]], standards_by_group: dict[int, set[int]]
) -> dict[int, dict[int, int]]:
    """Count of grades at each level per group (a class), in two queries."""
    student_ids = [sid for ids in students_by_group.values() for sid in ids]
    top = set(
        EvidenceRow.objects.filter(
            student_id__in=student_ids, rubric_level__gte=RULE.exceeds_rubric_level
        ).values_list("student_id", "standard_id")
    )
    estimates: dict[int, list[MasteryEstimate]] = defaultdict(list)
    for estimate in MasteryEstimate.objects.filter(student_id__in=student_ids):
        estimates[estimate.student_id].append(estimate)
    spread: dict[int, dict[int, int]] = {}
    for group, ids in students_by_group.items():
        counts = dict.fromkeys((1, 2, 3, 4), 0)
        for student_id in ids:
            for estimate in estimates[student_id]:
                if estimate.standard_id not in standards_by_group.get(group, set()):
                    continue
                state = adapters.to_state(estimate, adapters.DEFAULT_PARAMS)
                grade = grade_from_summary(
                    state,
                    n_evidence=estimate.n_evidence,
                    top_task=(student_id, estimate.standard_id) in top,
                    rule=RULE,
                )
                if grade:
                    counts[grade] += 1
        spread[group] = counts
    return spread
