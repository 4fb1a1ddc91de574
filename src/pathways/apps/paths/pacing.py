"""Where each student stands against the pacing guide and the state test date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pathways.apps.accounts.models import User
from pathways.apps.mastery.models import MasteryEstimate
from pathways.apps.paths.models import PacingGuide
from pathways.apps.roster.models import Section

AHEAD_OR_BEHIND_BY = 2  # standards


@dataclass(frozen=True)
class StudentPace:
    student: User
    mastered: int
    expected: int
    projected: int  # standards mastered by the test date at the student's pace so far
    status: str  # "ahead" | "on track" | "behind"


@dataclass(frozen=True)
class PacingView:
    guide: PacingGuide | None
    total: int
    expected_today: int
    rows: list[StudentPace]
    weeks_to_test: int | None


def expected_by(guide: PacingGuide, total: int, day: date) -> int:
    """Standards due by ``day`` when the course's standards are spread evenly up to the test."""
    span = (guide.test_date - guide.start_date).days
    elapsed = min(max((day - guide.start_date).days, 0), span)
    return round(total * elapsed / span)


def section_pacing(
    section: Section, students: list[User], standard_ids: list[int], today: date
) -> PacingView:
    guide = PacingGuide.objects.filter(course_id=section.course_id).first()
    total = len(standard_ids)
    mastered = dict.fromkeys([s.pk for s in students], 0)
    for student_id in MasteryEstimate.objects.filter(
        student_id__in=list(mastered), standard_id__in=standard_ids, mastered_at__isnull=False
    ).values_list("student_id", flat=True):
        mastered[student_id] += 1
    if guide is None:
        rows = [StudentPace(s, mastered[s.pk], 0, 0, "no pacing guide") for s in students]
        return PacingView(None, total, 0, rows, None)
    expected = expected_by(guide, total, today)
    elapsed_days = max((today - guide.start_date).days, 1)
    course_days = (guide.test_date - guide.start_date).days
    rows = []
    for student in students:
        done = mastered[student.pk]
        projected = min(total, round(done * course_days / elapsed_days))
        if done >= expected + AHEAD_OR_BEHIND_BY:
            status = "ahead"
        elif done <= expected - AHEAD_OR_BEHIND_BY:
            status = "behind"
        else:
            status = "on track"
        rows.append(StudentPace(student, done, expected, projected, status))
    rows.sort(key=lambda r: (r.mastered - r.expected, r.student.last_name))
    weeks = max(0, (guide.test_date - today).days // 7)
    return PacingView(guide, total, expected, rows, weeks)
