"""Build the demo district used by `make demo`, the browser tests and anyone trying Pathways.

Riverbend Unified: an elementary and a middle school, about 300 students in grades 4-6 math,
their teachers, a coach, principals, guardians, Common Core standards with prerequisites, an
activity library, an item bank and about 30,000 pieces of evidence from simulated learners.
Deterministic: the same seed gives the same district.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from pathways.apps.access.models import AccessLog
from pathways.apps.accounts.models import ApiToken, User
from pathways.apps.activities.models import Activity, Item
from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.models import MasteryEstimate
from pathways.apps.mastery.services import replay_mastery
from pathways.apps.paths.models import Assignment as PathAssignment
from pathways.apps.paths.models import Choice, PacingGuide
from pathways.apps.profiles.models import Goal, GoalCheckIn, HabitRating, LearnerProfile
from pathways.apps.roster.models import (
    Course,
    District,
    Enrollment,
    Guardianship,
    Membership,
    Role,
    School,
    Section,
    Term,
)
from pathways.apps.standards.models import CourseStandard, Standard
from pathways.demo import content, history, people
from pathways.demo.innovation import add_demo_innovation
from pathways.demo.scheduling import add_demo_scheduling
from pathways.demo.standards import load_standards

DEMO_PASSWORD = "pathways-demo"  # noqa: S105 - published demo password, demo accounts only
DEMO_PREFIX = "demo-"
SEED = 2026


def demo_accounts() -> list[tuple[str, str]]:
    return [
        ("student1", "Student, grade 4, Room 101 at Cedar Grove Elementary (teacher1)"),
        ("student2", "Student, grade 6, Period 1 at Maple Ridge Middle (teacher2)"),
        ("teacher1", "Teacher of Grade 4 Math, Room 101 (student1's class)"),
        ("teacher2", "Teacher of Grade 6 Math, Periods 1-2 (student2's class)"),
        ("coach1", "Instructional coach, Cedar Grove Elementary"),
        ("principal1", "Principal, Cedar Grove Elementary (student1's school)"),
        ("district1", "District administrator, Riverbend Unified"),
        ("guardian1", "Guardian of student1"),
    ]


@dataclass(frozen=True)
class SectionPlan:
    school: str
    grade: str
    title: str
    teacher: str
    size: int


SECTIONS = (
    SectionPlan("elementary", "04", "Grade 4 Math \u2014 Room 101", "teacher1", 25),
    SectionPlan("elementary", "04", "Grade 4 Math \u2014 Room 102", "teacher3", 25),
    SectionPlan("elementary", "04", "Grade 4 Math \u2014 Room 103", "teacher4", 25),
    SectionPlan("elementary", "05", "Grade 5 Math \u2014 Room 201", "teacher5", 25),
    SectionPlan("elementary", "05", "Grade 5 Math \u2014 Room 202", "teacher6", 25),
    SectionPlan("elementary", "05", "Grade 5 Math \u2014 Room 203", "teacher7", 25),
    SectionPlan("middle", "06", "Grade 6 Math \u2014 Period 1", "teacher2", 38),
    SectionPlan("middle", "06", "Grade 6 Math \u2014 Period 2", "teacher2", 37),
    SectionPlan("middle", "06", "Grade 6 Math \u2014 Period 3", "teacher8", 38),
    SectionPlan("middle", "06", "Grade 6 Math \u2014 Period 4", "teacher8", 37),
)


@dataclass(frozen=True)
class DemoSummary:
    schools: int
    sections: int
    students: int
    staff: int
    guardians: int
    standards: int
    activities: int
    items: int
    evidence: int
    estimates: int
    standards_source: str
    seconds: float

    def describe(self) -> str:
        return (
            f"Demo district ready in {self.seconds:.1f} s: {self.schools} schools, "
            f"{self.sections} sections, {self.students} students, {self.staff} staff, "
            f"{self.guardians} guardians; {self.standards} course standards "
            f"(from {self.standards_source}), {self.activities} activities, {self.items} items, "
            f"{self.evidence} pieces of evidence, {self.estimates} mastery estimates."
        )


def remove_demo_district() -> None:
    """Delete everything the demo created (standards frameworks are kept for re-use)."""
    users = User.objects.filter(sourced_id__startswith=DEMO_PREFIX)
    districts = District.objects.filter(sourced_id__startswith=DEMO_PREFIX)
    Choice.objects.filter(student__in=users).delete()
    PathAssignment.objects.filter(section__school__district__in=districts).delete()
    PacingGuide.objects.filter(course__district__in=districts).delete()
    Evidence.objects.filter(student__in=users).delete()
    MasteryEstimate.objects.filter(student__in=users).delete()
    AccessLog.objects.filter(actor__in=users).delete()
    ApiToken.objects.filter(user__in=users).delete()
    Activity.objects.filter(district__in=districts).delete()
    Item.objects.filter(identifier__startswith=DEMO_PREFIX).delete()
    Enrollment.objects.filter(section__school__district__in=districts).delete()
    Section.objects.filter(school__district__in=districts).delete()
    CourseStandard.objects.filter(course__district__in=districts).delete()
    Course.objects.filter(district__in=districts).delete()
    Term.objects.filter(district__in=districts).delete()
    Membership.objects.filter(district__in=districts).delete()
    School.objects.filter(district__in=districts).delete()
    districts.delete()
    users.delete()


def build_demo_district(*, reset: bool = True, progress: bool = False) -> DemoSummary:
    started = time.perf_counter()
    say: Callable[[str], None] = (
        (lambda text: print(text, flush=True)) if progress else (lambda text: None)
    )
    with transaction.atomic():
        existing = District.objects.filter(sourced_id=f"{DEMO_PREFIX}district").first()
        if existing is not None and not reset:
            say("Demo district already loaded (use --reset to rebuild).")
            return _summary(existing, "existing data", time.perf_counter() - started)
        if existing is not None:
            say("Removing the previous demo district\u2026")
            remove_demo_district()
        say("Loading standards\u2026")
        loaded = load_standards(settings.SHARED_DIR)
        builder = _Builder(random.Random(SEED), loaded.by_grade, loaded.prerequisites)
        say("Creating schools, people and classes\u2026")
        district = builder.organisation()
        say("Creating the activity library and item bank\u2026")
        builder.library(district)
        say("Simulating a term of student work\u2026")
        builder.history()
        say("Adding profiles, pacing guides, assignments and choices\u2026")
        builder.daily_loop()
    say("Estimating mastery from the evidence\u2026")
    replay_mastery()
    add_demo_scheduling(district)
    add_demo_innovation(district)
    return _summary(district, loaded.source, time.perf_counter() - started)


def _summary(district: District, source: str, seconds: float) -> DemoSummary:
    students = User.objects.filter(memberships__district=district, memberships__role=Role.STUDENT)
    return DemoSummary(
        schools=district.schools.count(),
        sections=Section.objects.filter(school__district=district).count(),
        students=students.count(),
        staff=User.objects.filter(
            memberships__district=district,
            memberships__role__in=[Role.TEACHER, Role.COACH, Role.PRINCIPAL, Role.DISTRICT_ADMIN],
        )
        .distinct()
        .count(),
        guardians=Guardianship.objects.filter(student__in=students)
        .values("guardian")
        .distinct()
        .count(),
        standards=CourseStandard.objects.filter(course__district=district).count(),
        activities=district.activities.count(),
        items=Item.objects.filter(identifier__startswith=DEMO_PREFIX).count(),
        evidence=Evidence.objects.filter(student__in=students).count(),
        estimates=MasteryEstimate.objects.filter(student__in=students).count(),
        standards_source=source,
        seconds=seconds,
    )


class _Builder:
    def __init__(
        self,
        rng: random.Random,
        by_grade: dict[str, list[Standard]],
        prerequisites: dict[int, list[int]],
    ) -> None:
        self.rng = rng
        self.by_grade = by_grade
        self.prerequisites = prerequisites
        self.password = make_password(DEMO_PASSWORD)  # hashed once: ~600 accounts share it
        self.students_by_grade: dict[str, list[User]] = {}
        self.courses: dict[str, Course] = {}
        self.sections: list[Section] = []
        self.teachers: dict[str, User] = {}
        self.items_by_standard: dict[int, list[Item]] = {}

    def _user(self, username: str, first: str, last: str, **extra: str) -> User:
        return User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@riverbend.example",
            password=self.password,
            sourced_id=f"{DEMO_PREFIX}{username}",
            **extra,
        )

    def organisation(self) -> District:
        district = District.objects.create(
            name="Riverbend Unified School District", sourced_id=f"{DEMO_PREFIX}district"
        )
        schools = {
            "elementary": School.objects.create(
                district=district,
                name="Cedar Grove Elementary",
                sourced_id=f"{DEMO_PREFIX}cedar-grove",
                lowest_grade="KG",
                highest_grade="05",
            ),
            "middle": School.objects.create(
                district=district,
                name="Maple Ridge Middle",
                sourced_id=f"{DEMO_PREFIX}maple-ridge",
                lowest_grade="06",
                highest_grade="08",
            ),
        }
        term = Term.objects.create(
            district=district,
            title="2026\u20132027 School Year",
            kind=Term.Kind.SCHOOL_YEAR,
            start_date=date(2026, 8, 17),
            end_date=date(2027, 6, 4),
            school_year=2027,
            sourced_id=f"{DEMO_PREFIX}sy2027",
        )
        courses = {}
        for grade, standards in self.by_grade.items():
            school = schools["middle" if grade == "06" else "elementary"]
            course = Course.objects.create(
                district=district,
                school=school,
                title=f"Grade {int(grade)} Math",
                code=f"MATH{grade}",
                subject="Math",
                grade_levels=[grade],
                sourced_id=f"{DEMO_PREFIX}math{grade}",
            )
            CourseStandard.objects.bulk_create(
                CourseStandard(course=course, standard=s, position=i)
                for i, s in enumerate(standards)
            )
            courses[grade] = course
        self.courses = courses

        staff_specs = [
            (f"teacher{i}", "teacher", "elementary" if i in (1, 3, 4, 5, 6, 7) else "middle")
            for i in range(1, 9)
        ]
        staff_specs += [
            ("coach1", "coach", "elementary"),
            ("principal1", "principal", "elementary"),
            ("principal2", "principal", "middle"),
            ("district1", "district_admin", ""),
        ]
        staff = {}
        for index, (username, _, _) in enumerate(staff_specs):
            first, last = people.staff_name(index)
            staff[username] = self._user(username, first, last)
        User.objects.bulk_create(staff.values())
        staff = {u.username: u for u in User.objects.filter(username__in=list(staff))}
        Membership.objects.bulk_create(
            Membership(
                user=staff[username], role=role, district=district, school=schools.get(school_key)
            )
            for username, role, school_key in staff_specs
        )

        sections = []
        for index, plan in enumerate(SECTIONS):
            sections.append(
                Section.objects.create(
                    course=courses[plan.grade],
                    school=schools[plan.school],
                    term=term,
                    title=plan.title,
                    code=f"S{index + 1:02d}",
                    sourced_id=f"{DEMO_PREFIX}section{index + 1}",
                )
            )
        self.sections, self.teachers = sections, staff
        # Students: student1 sits in the first section, student2 in the first middle-school one.
        students: list[tuple[User, int]] = []
        number = 3
        for index, plan in enumerate(SECTIONS):
            for seat in range(plan.size):
                if index == 0 and seat == 0:
                    username = "student1"
                elif plan.title.endswith("Period 1") and seat == 0:
                    username = "student2"
                else:
                    username, number = f"student{number}", number + 1
                first, last = people.student_name(self.rng)
                students.append((self._user(username, first, last, grade_level=plan.grade), index))
        User.objects.bulk_create([u for u, _ in students])
        saved = {
            u.username: u
            for u in User.objects.filter(username__in=[u.username for u, _ in students])
        }
        memberships, enrollments, guardians, links = [], [], [], []
        for user, index in students:
            student = saved[user.username]
            plan = SECTIONS[index]
            self.students_by_grade.setdefault(plan.grade, []).append(student)
            memberships.append(
                Membership(
                    user=student, role=Role.STUDENT, district=district, school=schools[plan.school]
                )
            )
            enrollments.append(
                Enrollment(
                    section=sections[index],
                    user=student,
                    role="student",
                    begin_date=term.start_date,
                )
            )
            guardian_name = (
                "guardian1" if student.username == "student1" else f"guardian-{student.username}"
            )
            first, _ = people.student_name(self.rng)
            guardians.append(self._user(guardian_name, first, student.last_name))
            links.append((guardian_name, student))
        for index, plan in enumerate(SECTIONS):
            enrollments.append(
                Enrollment(
                    section=sections[index], user=staff[plan.teacher], role="teacher", primary=True
                )
            )
        User.objects.bulk_create(guardians)
        guardian_rows = {
            u.username: u for u in User.objects.filter(username__in=[g.username for g in guardians])
        }
        memberships += [
            Membership(user=g, role=Role.GUARDIAN, district=district)
            for g in guardian_rows.values()
        ]
        Membership.objects.bulk_create(memberships, batch_size=1000)
        Enrollment.objects.bulk_create(enrollments, batch_size=1000)
        Guardianship.objects.bulk_create(
            Guardianship(guardian=guardian_rows[name], student=student) for name, student in links
        )
        return district

    def library(self, district: District) -> None:
        all_standards = [s for grade in self.by_grade.values() for s in grade]
        items, activity_specs = [], []
        for standard in all_standards:
            for n in range(4):
                spec = content.make_item(standard, all_standards, self.rng)
                items.append(
                    Item(
                        standard=standard,
                        identifier=f"{DEMO_PREFIX}{standard.short_code}-{n + 1}",
                        kind=spec.kind,
                        prompt=spec.prompt,
                        choices=spec.choices,
                        answer=spec.answer,
                    )
                )
            activity_specs += [
                (standard, spec) for spec in content.make_activities(standard, self.rng)
            ]
        Item.objects.bulk_create(items, batch_size=1000)
        for item in Item.objects.filter(identifier__startswith=DEMO_PREFIX):
            self.items_by_standard.setdefault(item.standard_id, []).append(item)
        activities = Activity.objects.bulk_create(
            Activity(
                district=district,
                title=spec.title,
                description=spec.description,
                modality=spec.modality,
                bloom_level=spec.bloom,
                duration_minutes=spec.minutes,
                interest_tags=spec.interests,
            )
            for _, spec in activity_specs
        )
        Through = Activity.standards.through
        Through.objects.bulk_create(
            (
                Through(activity_id=a.pk, standard_id=s.pk)
                for a, (s, _) in zip(activities, activity_specs, strict=True)
            ),
            batch_size=1000,
        )

    def history(self) -> None:
        days = history.school_days()
        rows = []
        for grade, students in sorted(self.students_by_grade.items()):
            course = [s.pk for s in self.by_grade[grade]]
            for student in students:
                events = history.simulate_student(
                    self.rng, course, self.prerequisites, self.rng.randint(85, 115)
                )
                for event in events:
                    items = self.items_by_standard.get(event.standard_id, [])
                    item = (
                        self.rng.choice(items) if event.kind == "item_response" and items else None
                    )
                    rows.append(
                        Evidence(
                            id=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                            student=student,
                            standard_id=event.standard_id,
                            kind=event.kind,
                            item=item,
                            correct=event.correct,
                            rubric_level=event.rubric_level,
                            occurred_at=history.timestamp(days[event.day_index], event.minute),
                        )
                    )
        Evidence.objects.bulk_create(rows, batch_size=2000)

    def daily_loop(self) -> None:
        """Profiles, pacing guides, teachers' assignments and students' choices with reasons.

        Classrooms differ on purpose: some teachers assign mostly recall work, others projects,
        so the principal's coherence view has something to show.
        """
        for course in self.courses.values():
            PacingGuide.objects.create(
                course=course, start_date=date(2026, 8, 17), test_date=date(2027, 4, 20)
            )
        profiles = []
        for students in self.students_by_grade.values():
            for student in students:
                interests = self.rng.sample(people.INTERESTS, k=self.rng.randint(1, 3))
                profiles.append(LearnerProfile(student=student, interests=interests))
        LearnerProfile.objects.bulk_create(profiles)
        student1 = User.objects.get(username="student1")
        LearnerProfile.objects.filter(student=student1).update(
            interests=["music", "animals"],
            aspirations="I want to be a veterinarian.",
            accommodations="Extended time on assessments",
            language_status="EL",
        )
        goal = Goal.objects.create(
            student=student1,
            title="Master adding fractions before winter break",
            target_date=date(2026, 12, 18),
        )
        GoalCheckIn.objects.create(goal=goal, progress=40, note="I can compare fractions now.")
        for habit, ratings in (("persistence", (2, 3)), ("organization", (2, 2))):
            for rating in ratings:
                HabitRating.objects.create(student=student1, habit=habit, rating=rating)
        # Each teacher's habit: the share of recall-level work they assign.
        recall_heavy = {"teacher3", "teacher8"}
        assignments = []
        for section, plan in zip(self.sections, SECTIONS, strict=True):
            activities = list(
                Activity.objects.filter(standards__in=self.by_grade[plan.grade][:6]).distinct()
            )
            low = [a for a in activities if a.bloom_level <= 2]
            high = [a for a in activities if a.bloom_level >= 4]
            mix = (low * 3)[:5] + high[:1] if plan.teacher in recall_heavy else low[:2] + high[:3]
            assignments += [
                PathAssignment(
                    activity=a,
                    section=section,
                    assigned_by=self.teachers[plan.teacher],
                    pinned=i == 0,
                )
                for i, a in enumerate(mix)
            ]
        PathAssignment.objects.bulk_create(assignments)
        reasons = [
            "I learn best when I can watch first",
            "Projects let me use what I like",
            "I want to check my mistakes with a partner",
            "I need more practice before a project",
        ]
        went = [
            "It helped, I got most of them right",
            "Harder than I thought, I need the mini-lesson",
            "Fun, and I understand it better now",
            "",
        ]
        for students in self.students_by_grade.values():
            for student in students[::4]:
                course_standards = self.by_grade[student.grade_level][:4]
                standard = self.rng.choice(course_standards)
                options = list(
                    Activity.objects.filter(standards=standard).order_by("bloom_level")[:4]
                )
                chosen = self.rng.choice(options)
                choice = Choice.objects.create(
                    id=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                    student=student,
                    standard=standard,
                    chosen=chosen,
                    reason=self.rng.choice(reasons),
                    how_it_went=self.rng.choice(went),
                )
                choice.offered.set(options)
