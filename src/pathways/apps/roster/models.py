"""The organisation model, shaped like OneRoster so rostering imports map onto it.

District > School > Section (class) of a Course in a Term; people join through Membership (role
at a district or school), Enrollment (role in a section) and Guardianship (guardian of a student).
A person can hold several roles in several places.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    GUARDIAN = "guardian", "Guardian"
    TEACHER = "teacher", "Teacher"
    COACH = "coach", "Coach"
    PRINCIPAL = "principal", "Principal"
    DISTRICT_ADMIN = "district_admin", "District administrator"


STAFF_ROLES = frozenset({Role.TEACHER, Role.COACH, Role.PRINCIPAL, Role.DISTRICT_ADMIN})


class District(models.Model):
    name = models.CharField(max_length=200)
    sourced_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    active = models.BooleanField(default=True, help_text="False once a roster marks it deleted")
    date_last_modified = models.DateTimeField(
        null=True, blank=True, help_text="OneRoster dateLastModified of the imported row"
    )

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    sourced_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    identifier = models.CharField(max_length=64, blank=True, help_text="State or NCES id")
    lowest_grade = models.CharField(max_length=8, blank=True)
    highest_grade = models.CharField(max_length=8, blank=True)
    active = models.BooleanField(default=True, help_text="False once a roster marks it deleted")
    date_last_modified = models.DateTimeField(
        null=True, blank=True, help_text="OneRoster dateLastModified of the imported row"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A OneRoster academic session: school year, semester, term or grading period."""

    class Kind(models.TextChoices):
        SCHOOL_YEAR = "schoolYear", "School year"
        SEMESTER = "semester", "Semester"
        TERM = "term", "Term"
        GRADING_PERIOD = "gradingPeriod", "Grading period"

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="terms")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    school_year = models.PositiveSmallIntegerField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    sourced_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    active = models.BooleanField(default=True, help_text="False once a roster marks it deleted")
    date_last_modified = models.DateTimeField(
        null=True, blank=True, help_text="OneRoster dateLastModified of the imported row"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="term_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Course(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="courses")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(max_length=200)
    code = models.CharField(max_length=64, blank=True)
    subject = models.CharField(max_length=64, blank=True)
    grade_levels = models.JSONField(default=list, blank=True)
    sourced_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    active = models.BooleanField(default=True, help_text="False once a roster marks it deleted")
    date_last_modified = models.DateTimeField(
        null=True, blank=True, help_text="OneRoster dateLastModified of the imported row"
    )

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """A OneRoster class: one course taught to a group of students in one term."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sections")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="sections")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sections")
    title = models.CharField(max_length=200)
    code = models.CharField(max_length=64, blank=True)
    location = models.CharField(max_length=64, blank=True)
    sourced_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    active = models.BooleanField(default=True, help_text="False once a roster marks it deleted")
    date_last_modified = models.DateTimeField(
        null=True, blank=True, help_text="OneRoster dateLastModified of the imported row"
    )

    class Meta:
        ordering = ["school__name", "title"]

    def __str__(self) -> str:
        return self.title


class Enrollment(models.Model):
    class SectionRole(models.TextChoices):
        STUDENT = "student", "Student"
        TEACHER = "teacher", "Teacher"
        AIDE = "aide", "Aide"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    role = models.CharField(max_length=16, choices=SectionRole.choices)
    primary = models.BooleanField(default=False)
    begin_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    sourced_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    date_last_modified = models.DateTimeField(
        null=True, blank=True, help_text="OneRoster dateLastModified of the imported row"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "user", "role"], name="enrollment_unique_role_in_section"
            )
        ]
        indexes = [models.Index(fields=["user", "role", "active"], name="enrollment_user_role")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.section}"


class Membership(models.Model):
    """A role held at a district or a school (a person may hold several)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "district", "school"], name="membership_unique"
            ),
            # Only district administrators (and guardians) hold a role at district level.
            models.CheckConstraint(
                condition=models.Q(school__isnull=False)
                | models.Q(role__in=["district_admin", "guardian"]),
                name="membership_school_required_for_school_roles",
            ),
        ]
        indexes = [models.Index(fields=["user", "active"], name="membership_user_active")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} at {self.school or self.district}"


class Guardianship(models.Model):
    class Relation(models.TextChoices):
        PARENT = "parent", "Parent"
        GUARDIAN = "guardian", "Legal guardian"
        RELATIVE = "relative", "Relative"

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wards"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships"
    )
    relation = models.CharField(max_length=16, choices=Relation.choices, default=Relation.PARENT)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "student"], name="guardianship_unique")
        ]

    def __str__(self) -> str:
        return f"{self.guardian} is {self.get_relation_display().lower()} of {self.student}"
