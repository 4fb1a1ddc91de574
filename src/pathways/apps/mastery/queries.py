"""Read models of mastery for pages and the API: a student, a section, a school, a district.

Callers check permissions first (``access.policy``); these functions only read, in a fixed
number of queries whatever the class size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count

from pathways.apps.accounts.models import User
from pathways.apps.mastery.models import MasteryEstimate
from pathways.apps.mastery.services import MASTERY_RULE
from pathways.apps.roster.models import Enrollment, School, Section
from pathways.apps.standards.models import CourseStandard, Standard

DEVELOPING_FROM = 0.5


class Status(StrEnum):
    NOT_STARTED = "not_started"
    BEGINNING = "beginning"
    DEVELOPING = "developing"
    MASTERED = "mastered"

    @property
    def label(self) -> str:
        return self.replace("_", " ").capitalize()


def status_of(p_mastery: float | None, n_evidence: int, mastered: bool) -> Status:
    if n_evidence == 0 or p_mastery is None:
        return Status.NOT_STARTED
    if mastered:
        return Status.MASTERED
    return Status.DEVELOPING if p_mastery >= DEVELOPING_FROM else Status.BEGINNING


@dataclass(frozen=True)
class StandardMastery:
    standard_id: int
    code: str
    statement: str
    p_mastery: float | None
    n_evidence: int
    status: Status


def _standards_of_sections(section_ids: list[int]) -> list[Standard]:
    course_ids = Section.objects.filter(pk__in=section_ids).values("course_id")
    seen: dict[int, Standard] = {}
    for link in (
        CourseStandard.objects.filter(course_id__in=course_ids)
        .select_related("standard")
        .order_by("course_id", "position")
    ):
        seen.setdefault(link.standard_id, link.standard)
    return list(seen.values())


def student_sections(student: User) -> list[Section]:
    return list(
        Section.objects.filter(
            enrollments__user=student, enrollments__active=True, enrollments__role="student"
        )
        .select_related("course", "school", "term")
        .distinct()
    )


def student_course_standards(student: User) -> list[Standard]:
    """The standards of every course the student is enrolled in, in pacing order."""
    return _standards_of_sections([s.pk for s in student_sections(student)])


def student_mastery(student: User) -> list[StandardMastery]:
    """Every standard of the student's courses, in pacing order, with the current estimate."""
    standards = student_course_standards(student)
    estimates = {
        e.standard_id: e
        for e in MasteryEstimate.objects.filter(
            student=student, standard_id__in=[s.pk for s in standards]
        )
    }
    rows = []
    for standard in standards:
        estimate = estimates.get(standard.pk)
        p = estimate.p_mastery if estimate else None
        n = estimate.n_evidence if estimate else 0
        mastered = bool(estimate and estimate.mastered_at)
        rows.append(
            StandardMastery(
                standard.pk, standard.code, standard.statement, p, n, status_of(p, n, mastered)
            )
        )
    return rows


@dataclass
class StudentRow:
    student: User
    mastered: int = 0
    developing: int = 0
    beginning: int = 0
    not_started: int = 0
    cells: dict[int, Status] = field(default_factory=dict)
    p_by_standard: dict[int, float] = field(default_factory=dict)
    ordered: list[Status] = field(default_factory=list)  # cells in the overview's standard order


@dataclass(frozen=True)
class SectionOverview:
    section: Section
    teachers: list[User]
    standards: list[Standard]
    rows: list[StudentRow]


def section_students(section: Section) -> list[User]:
    return list(
        User.objects.filter(
            enrollments__section=section, enrollments__active=True, enrollments__role="student"
        ).order_by("last_name", "first_name")
    )


def section_teachers(section_ids: list[int]) -> dict[int, list[User]]:
    teachers: dict[int, list[User]] = defaultdict(list)
    for enrollment in Enrollment.objects.filter(
        section_id__in=section_ids, active=True, role__in=["teacher", "aide"]
    ).select_related("user"):
        teachers[enrollment.section_id].append(enrollment.user)
    return teachers


def section_overview(section: Section) -> SectionOverview:
    """The class heatmap: every student x every standard of the course."""
    students = section_students(section)
    standards = _standards_of_sections([section.pk])
    rows = {student.pk: StudentRow(student) for student in students}
    for estimate in MasteryEstimate.objects.filter(
        student_id__in=list(rows), standard_id__in=[s.pk for s in standards]
    ).only("student_id", "standard_id", "p_mastery", "n_evidence", "mastered_at"):
        status = status_of(
            estimate.p_mastery, estimate.n_evidence, estimate.mastered_at is not None
        )
        row = rows[estimate.student_id]
        row.cells[estimate.standard_id] = status
        row.p_by_standard[estimate.standard_id] = estimate.p_mastery
    for row in rows.values():
        for standard in standards:
            status = row.cells.setdefault(standard.pk, Status.NOT_STARTED)
            row.ordered.append(status)
            setattr(row, status.value, getattr(row, status.value) + 1)
    return SectionOverview(
        section, section_teachers([section.pk])[section.pk], standards, list(rows.values())
    )


@dataclass(frozen=True)
class GroupSummary:
    """Mastery of a group of students (a section, a school) over their own courses' standards."""

    n_students: int
    slots: int  # student x standard pairs the group is responsible for
    n_mastered: int
    mean_p: float | None

    @property
    def n_standards(self) -> int:
        return round(self.slots / self.n_students) if self.n_students else 0

    @property
    def share_mastered(self) -> float:
        return self.n_mastered / self.slots if self.slots else 0.0


def _summarise(
    members: dict[int, set[int]], standards_of: Callable[[int, int], set[int]]
) -> dict[int, GroupSummary]:
    """Summaries per group; ``standards_of(group, student)`` names the standards that count."""
    everyone = set().union(*members.values()) if members else set()
    per_student: dict[int, list[tuple[int, float, bool]]] = defaultdict(list)
    for student_id, standard_id, p, mastered_at in MasteryEstimate.objects.filter(
        student_id__in=everyone
    ).values_list("student_id", "standard_id", "p_mastery", "mastered_at"):
        per_student[student_id].append((standard_id, p, mastered_at is not None))
    result = {}
    for group, student_ids in members.items():
        slots = mastered = count = 0
        total = 0.0
        for student_id in student_ids:
            standards = standards_of(group, student_id)
            slots += len(standards)
            for standard_id, p, is_mastered in per_student[student_id]:
                if standard_id in standards:
                    mastered += is_mastered
                    total += p
                    count += 1
        result[group] = GroupSummary(
            len(student_ids), slots, mastered, total / count if count else None
        )
    return result


def course_standard_ids(course_ids: set[int]) -> dict[int, set[int]]:
    by_course: dict[int, set[int]] = defaultdict(set)
    for course_id, standard_id in CourseStandard.objects.filter(
        course_id__in=course_ids
    ).values_list("course_id", "standard_id"):
        by_course[course_id].add(standard_id)
    return by_course


@dataclass(frozen=True)
class SectionSummary:
    section: Section
    teachers: list[User]
    summary: GroupSummary


def sections_summary(sections: list[Section]) -> list[SectionSummary]:
    """One line per section: teachers, students, share of standards mastered, mean mastery."""
    section_ids = [s.pk for s in sections]
    students: dict[int, set[int]] = defaultdict(set)
    for section_id, user_id in Enrollment.objects.filter(
        section_id__in=section_ids, active=True, role="student"
    ).values_list("section_id", "user_id"):
        students[section_id].add(user_id)
    by_course = course_standard_ids({s.course_id for s in sections})
    course_of = {s.pk: s.course_id for s in sections}
    summaries = _summarise(
        {s.pk: students.get(s.pk, set()) for s in sections},
        lambda section_id, _student: by_course.get(course_of[section_id], set()),
    )
    teachers = section_teachers(section_ids)
    return [SectionSummary(s, teachers.get(s.pk, []), summaries[s.pk]) for s in sections]


@dataclass(frozen=True)
class SchoolSummary:
    school: School
    n_sections: int
    summary: GroupSummary


def schools_summary(schools: list[School]) -> list[SchoolSummary]:
    """One line per school, over the standards of each student's own courses."""
    rows = list(
        Enrollment.objects.filter(
            section__school__in=schools, active=True, role="student"
        ).values_list("section__school_id", "user_id", "section__course_id")
    )
    by_course = course_standard_ids({course for _, _, course in rows})
    members: dict[int, set[int]] = defaultdict(set)
    own_standards: dict[int, set[int]] = defaultdict(set)
    for school_id, user_id, course_id in rows:
        members[school_id].add(user_id)
        own_standards[user_id] |= by_course.get(course_id, set())
    summaries = _summarise(
        {school.pk: members.get(school.pk, set()) for school in schools},
        lambda _school, student_id: own_standards[student_id],
    )
    n_sections = dict(
        Section.objects.filter(school__in=schools)
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )
    return [SchoolSummary(s, n_sections.get(s.pk, 0), summaries[s.pk]) for s in schools]


def mastery_counts_by_status(student: User) -> dict[Status, int]:
    counts = {status: 0 for status in Status}
    for row in student_mastery(student):
        counts[row.status] += 1
    return counts


def recent_mastered(student: User, limit: int = 5) -> list[MasteryEstimate]:
    return list(
        MasteryEstimate.objects.filter(student=student, mastered_at__isnull=False)
        .select_related("standard")
        .order_by("-mastered_at")[:limit]
    )


__all__ = [
    "MASTERY_RULE",
    "GroupSummary",
    "SchoolSummary",
    "SectionOverview",
    "SectionSummary",
    "StandardMastery",
    "Status",
    "mastery_counts_by_status",
    "recent_mastered",
    "schools_summary",
    "section_overview",
    "sections_summary",
    "student_mastery",
    "student_sections",
]
