"""The privacy registry: every model says whether it holds student data, and if so how that data
is exported, deleted and purged (FERPA, COPPA, SOPIPA, NY Ed Law 2-d, the SDPC agreement).

``STUDENT_DATA`` maps a model (``app_label.ModelName``) to :class:`Holds`: the lookup from a row to
the student it is about, what deleting the student does to those rows, and the timestamp a
district's retention policy purges by. ``NO_STUDENT_DATA`` lists every other model with the reason
it holds none. ``tests/security/test_privacy.py`` walks ``django.apps.apps.get_models()`` and fails
for a model in neither, so a new table cannot hold student data without a decision.

- :func:`export_student`: every row about one student (their own work included), as JSON-ready
  dicts, for a transfer or a parent's request.
- :func:`delete_student`: removes them everywhere in one transaction, leaves every other person's
  rows untouched, and records the deletion in the access log (which keeps its rows, detached).
- :func:`purge_expired`: each district's retention policy, applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from django.apps import apps
from django.core import serializers
from django.db import models, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from pathways.apps.access.models import AccessLog, RetentionPolicy
from pathways.apps.accounts.models import User

OnDelete = Literal["delete", "detach"]


@dataclass(frozen=True)
class Holds:
    """How one model holds student data.

    ``student``: ORM lookup from a row to the student (``"student"``, ``"goal__student"``; ``"pk"``
    for the account itself). ``on_delete``: ``"delete"`` removes the rows; ``"detach"`` keeps the
    row for others (an audit entry, a schedule) and clears ``detach_field``. ``retention``: the
    timestamp field a district's retention policy purges by (``None``: kept while the student is).
    ``export``: whether the rows go into a student's export.
    """

    student: str
    on_delete: OnDelete = "delete"
    retention: str | None = None
    export: bool = True
    detach_field: str | None = None
    note: str = ""


STUDENT_DATA: dict[str, Holds] = {
    "accounts.User": Holds("pk", note="the account: names, grade level, sign-in"),
    "accounts.ApiToken": Holds("user", export=False, note="only hashes; removed with the account"),
    "roster.Membership": Holds("user", note="enrolment in a school or district"),
    "roster.Enrollment": Holds("user", note="sections attended"),
    "roster.Guardianship": Holds("student", note="who the student's guardians are"),
    "evidence.Evidence": Holds("student", retention="occurred_at", note="answers and scores"),
    "mastery.MasteryEstimate": Holds("student", note="per-standard mastery"),
    "profiles.LearnerProfile": Holds("student", note="interests, aspirations, restricted fields"),
    "profiles.Goal": Holds("student", note="the student's goals"),
    "profiles.GoalCheckIn": Holds("goal__student", note="progress notes on goals"),
    "profiles.HabitRating": Holds("student", note="self-ratings of habits"),
    "profiles.Reflection": Holds("student", note="the student's own reflections"),
    "paths.Assignment": Holds("student", note="work assigned to the student alone"),
    "paths.Choice": Holds("student", note="choice-board choices, reasons, how it went"),
    "paths.MasteryCheck": Holds("student", note="mastery checks asked for"),
    "paths.AssignmentCompletion": Holds("student", note="assigned work the student finished"),
    "scheduling.ScheduleAssignment": Holds("student", note="where the student goes each block"),
    "innovation.SurveyResponse": Holds(
        "respondent", note="survey answers (if the student took one)"
    ),
    "innovation.ProblemVote": Holds("voter", export=False, note="votes (staff; none by students)"),
    "access.AccessLog": Holds(
        "student",
        on_delete="detach",
        retention="at",
        detach_field="student",
        note="who saw the student: kept (append-only) without the link to the deleted student",
    ),
    "access.CorrectionRequest": Holds("student", note="requests to correct the record, answers"),
    "admin.LogEntry": Holds("user", export=False, note="operators' admin actions (staff only)"),
    "lti.LmsAccount": Holds("user", note="the link of an LMS person (iss + sub) to the account"),
    "lti.ScoreOutbox": Holds("student", note="mastery-check scores queued for the LMS gradebook"),
    "xapi.LearnerIdentity": Holds("user", note="the opaque learner id sent to the district's LRS"),
    "xapi.OutboxEntry": Holds(
        "evidence__student", export=False, note="xAPI statements queued for the district's LRS"
    ),
    "lti.GradeTarget": Holds(
        "account__user", note="which LMS gradebook columns receive the student's scores"
    ),
}

NO_STUDENT_DATA: dict[str, str] = {
    "auth.Permission": "framework table",
    "auth.Group": "framework table",
    "contenttypes.ContentType": "framework table",
    "sessions.Session": "a signed-in session; ends by timeout, deleted with every session",
    "accounts.SignInAttempt": "a username and address per attempt; purged by retention (at)",
    "access.RetentionPolicy": "a district's retention settings",
    "roster.District": "organisation",
    "roster.School": "organisation",
    "roster.Term": "organisation",
    "roster.Course": "organisation",
    "roster.Section": "organisation",
    "standards.Framework": "curriculum",
    "standards.Standard": "curriculum",
    "standards.Association": "curriculum",
    "standards.CourseStandard": "curriculum",
    "activities.Activity": "curriculum (created_by is staff)",
    "activities.Item": "curriculum",
    "mastery.CalibrationRun": "model parameters fitted over many students, no rows per student",
    "mastery.SkillParameters": "model parameters fitted over many students, no rows per student",
    "paths.PacingGuide": "a section's plan",
    "innovation.Goal": "district goals",
    "innovation.GoalMeasure": "district goals",
    "innovation.SchoolCase": "a school's case for change",
    "innovation.Problem": "problems raised by staff",
    "innovation.ProblemComment": "comments by staff",
    "innovation.Flexibility": "a school's requested flexibility",
    "innovation.Practice": "codified practices",
    "innovation.Adoption": "a school adopting a practice",
    "innovation.Cycle": "a PDSA cycle: aggregate results over classes, no per-student rows",
    "innovation.CycleNote": "staff notes",
    "innovation.Readiness": "a school's readiness ratings",
    "innovation.SurveyItem": "survey questions",
    "innovation.BenchmarkResponse": "aggregate benchmark answers",
    "innovation.Observation": "a coach's notes on a practice in a class (staff, no student named)",
    "innovation.Competition": "a district's design competition",
    "innovation.Proposal": "a school's proposal",
    "innovation.Review": "a staff reviewer's rubric scores",
    "innovation.Community": "a community of practice of staff",
    "innovation.Post": "staff messages in a community of practice",
    "innovation.EditLog": "who changed district goals and survey items (staff)",
    "scheduling.Block": "a school's timetable",
    "scheduling.Station": "rooms and stations",
    "scheduling.DevicePool": "equipment",
    "scheduling.Licence": "software licences",
    "scheduling.TeacherAvailability": "staff availability",
    "scheduling.DailySchedule": (
        "a school's day plan; its solver `instance` snapshot lists student ids (pseudonymous), "
        "purged with schedules older than the retention period"
    ),
    "scheduling.ScheduleGroup": "a group of a daily schedule (teacher, station, standard)",
    "lti.Platform": "an LMS registration of a district",
    "xapi.LrsConnection": "a district's learning record store (its secret encrypted)",
    "lti.ToolKey": "Pathways' signing keys (the private half encrypted)",
    "lti.LaunchState": "a random state/nonce pair of a launch, before anyone is known",
    "lti.LmsContext": "an LMS course and the class it is",
    "lti.ResourceLink": "an LMS placement of Pathways or of one activity",
    "lti.LineItem": "an LMS gradebook column",
    "scheduling.ResourceChange": "who changed a school's stations, devices, licences, blocks",
}

# Records about sign-in and sessions a retention policy also purges (field: timestamp).
PURGED_BY_AGE: dict[str, str] = {
    "accounts.SignInAttempt": "at",
    "scheduling.DailySchedule": "day",
}


def undeclared_models() -> list[str]:
    """Installed models the registry says nothing about (the meta-test wants none)."""
    declared = set(STUDENT_DATA) | set(NO_STUDENT_DATA)
    return sorted(m._meta.label for m in apps.get_models() if m._meta.label not in declared)


def _rows(label: str, holds: Holds, student_ids: Iterable[int]) -> QuerySet[Model]:
    model = apps.get_model(label)
    rows: QuerySet[Model] = model._default_manager.filter(
        **{f"{holds.student}__in": list(student_ids)}
    )
    return rows


def _present(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def export_student(student: User) -> dict[str, Any]:
    """Every row about ``student`` by model label, as plain JSON-ready dicts.

    Passwords are left out of the account; API tokens and staff-only rows are not exported.
    """
    out: dict[str, Any] = {
        "format": "pathways-student-export/1",
        "student": {"id": student.pk, "username": student.username},
        "exported_at": timezone.now().isoformat(),
        "records": {},
    }
    for label, holds in sorted(STUDENT_DATA.items()):
        if not holds.export or not _present(label):
            continue
        rows = _rows(label, holds, [student.pk]).order_by("pk")
        data = serializers.serialize("python", rows)
        for row in data:
            row["fields"].pop("password", None)
        out["records"][label] = [{"pk": str(r["pk"]), **r["fields"]} for r in data]
    return out


@dataclass(frozen=True)
class Deleted:
    student_id: int
    counts: dict[str, int]


def delete_student(student: User, *, operator: User | None, reason: str) -> Deleted:
    """Remove ``student``'s data everywhere in one transaction; others' rows stay.

    Rows marked ``detach`` (the access log) keep their other fields with the student link cleared.
    One access-log entry records the deletion (actor: ``operator``; ``None`` for the command
    line, which only the server's operators can run).
    """
    counts: dict[str, int] = {}
    with transaction.atomic():
        for label, holds in sorted(STUDENT_DATA.items()):
            if label == "accounts.User" or not _present(label):
                continue
            rows = _rows(label, holds, [student.pk])
            if holds.on_delete == "detach":
                assert holds.detach_field is not None
                counts[label] = rows.update(**{holds.detach_field: None})
            else:
                counts[label] = rows.count()
                rows.delete()
        pk = student.pk
        User.objects.filter(pk=pk).delete()
        counts["accounts.User"] = 1
        AccessLog.objects.create(
            actor=operator,
            action="privacy_delete",
            object_type="user",
            object_id=str(pk),
            student=None,
            scope=f"privacy delete: {reason}"[:200],
            channel="cli" if operator is None else "web",
        )
    return Deleted(pk, counts)


def _district_student_ids(district_id: int) -> QuerySet[Any]:
    from pathways.apps.roster.models import Membership, Role

    return Membership.objects.filter(district_id=district_id, role=Role.STUDENT).values("user")


def purge_expired(*, now: Any = None) -> dict[str, int]:
    """Apply every district's retention policy: rows older than it says are deleted.

    Student records with a ``retention`` field (evidence, the access log) are purged per district
    by ``keep_days``/``log_keep_days``; sign-in attempts and day schedules by ``log_keep_days`` of
    the shortest policy (they are not tied to one district's students).
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    policies = list(RetentionPolicy.objects.all())
    with transaction.atomic():
        for policy in policies:
            students = _district_student_ids(policy.district_id)
            for label, holds in STUDENT_DATA.items():
                if holds.retention is None or not _present(label):
                    continue
                days = policy.log_keep_days if label == "access.AccessLog" else policy.keep_days
                cutoff = now - timedelta(days=days)
                model = apps.get_model(label)
                rows = model._default_manager.filter(
                    **{f"{holds.student}__in": students, f"{holds.retention}__lt": cutoff}
                )
                counts[label] = counts.get(label, 0) + rows.count()
                rows.delete()
        if policies:
            days = min(p.log_keep_days for p in policies)
            for label, field in PURGED_BY_AGE.items():
                if not _present(label):
                    continue
                model = apps.get_model(label)
                cutoff_value: Any = now - timedelta(days=days)
                if isinstance(model._meta.get_field(field), models.DateField) and not isinstance(
                    model._meta.get_field(field), models.DateTimeField
                ):
                    cutoff_value = cutoff_value.date()
                rows = model._default_manager.filter(**{f"{field}__lt": cutoff_value})
                counts[label] = counts.get(label, 0) + rows.count()
                rows.delete()
    return counts


def find_student(ref: str) -> User | None:
    """A student account by username or numeric id (any account holding a student role)."""
    from pathways.apps.access import scopes

    everyone = scopes.students() | User.objects.filter(memberships__role="student")
    found = everyone.filter(username=ref).first()
    if found is None and ref.isdigit():
        found = everyone.filter(pk=int(ref)).first()
    return found


def set_retention(district_id: int, *, keep_days: int, log_keep_days: int) -> RetentionPolicy:
    """Create or change a district's retention policy."""
    policy, _ = RetentionPolicy.objects.update_or_create(
        district_id=district_id,
        defaults={"keep_days": keep_days, "log_keep_days": log_keep_days},
    )
    return policy
