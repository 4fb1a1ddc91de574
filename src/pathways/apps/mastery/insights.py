"""Monday morning for a teacher: who is ready for what, who is stuck, who was not assessed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max

from pathways.apps.accounts.models import User
from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.models import MasteryEstimate
from pathways.apps.standards.models import Association, Standard

STUCK_AFTER = 6  # pieces of evidence on one standard without reaching "developing"
STUCK_BELOW = 0.5
NOT_ASSESSED_DAYS = 10


@dataclass(frozen=True)
class Readiness:
    standard: Standard
    students: list[User]


@dataclass(frozen=True)
class Stuck:
    student: User
    standard: Standard
    n_evidence: int
    p_mastery: float


@dataclass(frozen=True)
class SectionInsights:
    ready: list[Readiness]  # standards someone is ready to learn, most students first
    stuck: list[Stuck]
    not_assessed: list[tuple[User, datetime | None]]


def section_insights(
    students: list[User], standards: list[Standard], *, now: datetime
) -> SectionInsights:
    """Ready: every prerequisite in the course mastered, the standard itself not yet."""
    student_ids = [s.pk for s in students]
    by_id = {s.pk: s for s in students}
    standard_ids = [s.pk for s in standards]
    estimates = {
        (e.student_id, e.standard_id): e
        for e in MasteryEstimate.objects.filter(
            student_id__in=student_ids, standard_id__in=standard_ids
        )
    }
    prerequisites: dict[int, list[int]] = defaultdict(list)
    for origin, destination in Association.objects.filter(
        kind=Association.Kind.PRECEDES, origin_id__in=standard_ids, destination_id__in=standard_ids
    ).values_list("origin_id", "destination_id"):
        prerequisites[destination].append(origin)

    def mastered(student_id: int, standard_id: int) -> bool:
        estimate = estimates.get((student_id, standard_id))
        return estimate is not None and estimate.mastered_at is not None

    ready = []
    for standard in standards:
        who = [
            by_id[sid]
            for sid in student_ids
            if not mastered(sid, standard.pk)
            and all(mastered(sid, p) for p in prerequisites[standard.pk])
        ]
        if who:
            ready.append(Readiness(standard, who))
    ready.sort(key=lambda r: -len(r.students))
    standard_by_id = {s.pk: s for s in standards}
    stuck = [
        Stuck(by_id[e.student_id], standard_by_id[e.standard_id], e.n_evidence, e.p_mastery)
        for e in estimates.values()
        if e.n_evidence >= STUCK_AFTER and e.p_mastery < STUCK_BELOW
    ]
    stuck.sort(key=lambda s: (-s.n_evidence, s.student.last_name))
    latest = dict(
        Evidence.objects.filter(student_id__in=student_ids)
        .values("student_id")
        .annotate(last=Max("occurred_at"))
        .values_list("student_id", "last")
    )
    cutoff = now - timedelta(days=NOT_ASSESSED_DAYS)
    not_assessed = [
        (by_id[sid], latest.get(sid))
        for sid in student_ids
        if latest.get(sid) is None or latest[sid] < cutoff
    ]
    return SectionInsights(ready[:8], stuck[:12], not_assessed)
