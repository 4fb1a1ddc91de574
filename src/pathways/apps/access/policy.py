"""The one place that decides permissions: ``can(actor, action, obj)`` and ``require(...)``.

Deny by default: an action not listed here is refused. Every rule reads from ``scopes``, so a
single record is allowed exactly when it appears in the list the same person would get.
``require`` raises :class:`NotFound` whether the object is missing or forbidden, so a refusal
never confirms that a record exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Model

from pathways.apps.access import scopes
from pathways.apps.accounts.models import User
from pathways.apps.innovation.models import Cycle
from pathways.apps.roster.models import STAFF_ROLES, District, Membership, Role, School, Section


class NotFound(Exception):
    """The object does not exist or the actor may not know that it does."""


class Action(StrEnum):
    VIEW_STUDENT = "view_student"  # profile, mastery, evidence, grades
    VIEW_RESTRICTED = "view_restricted"  # accommodations, language status: staff only
    EDIT_RESTRICTED = "edit_restricted"  # teachers of the student
    RECORD_EVIDENCE = "record_evidence"  # score work, record exit tickets (teachers)
    SUBMIT_OWN_WORK = "submit_own_work"  # a student answering items for themself
    EDIT_OWN_PROFILE = "edit_own_profile"  # interests, goals, reflections
    VIEW_SECTION = "view_section"  # its title, teacher, and the caller's own place in it
    VIEW_SECTION_MASTERY = "view_section_mastery"  # every student's data: staff only
    TEACH_SECTION = "teach_section"  # assign work, plan groups
    VIEW_SCHOOL = "view_school"
    VIEW_DISTRICT = "view_district"
    MANAGE_LIBRARY = "manage_library"  # add activities to the district's library (staff)
    VIEW_AUDIT = "view_audit"  # search the district's access log (district administrators)
    REQUEST_CORRECTION = "request_correction"  # the student themself or their guardian
    RESOLVE_CORRECTION = "resolve_correction"  # staff who may read the student as staff
    VIEW_SCHEDULE = "view_schedule"  # a school's daily schedules (its staff, district admins)
    MANAGE_SCHEDULE = "manage_schedule"  # build, adjust, publish them (principal, coach, teachers)
    EDIT_RESOURCES = "edit_resources"  # a school's rooms, devices, licences, teachers' blocks
    RUN_CYCLE = "run_cycle"  # try a change (PDSA) in this class: its teachers
    COMPARE_SECTION = "compare_section"  # use this class as a PDSA comparison group
    VIEW_CYCLE = "view_cycle"  # a PDSA cycle: its team, school leaders, district administrators
    EDIT_CYCLE = "edit_cycle"  # notes, study, decision: its team and school leaders
    JOIN_INNOVATION = "join_innovation"  # read goals and practices, raise and vote on problems
    MANAGE_INNOVATION = "manage_innovation"  # goals, survey, benchmark: district administrators
    LEAD_INNOVATION = "lead_innovation"  # a school's case, readiness, adoptions: its leaders


def _is_student(user: User) -> bool:
    return scopes.students().filter(pk=user.pk).exists()


def can(actor: User, action: Action | str, obj: Model) -> bool:
    """Whether ``actor`` may perform ``action`` on ``obj``. Unknown actions are denied."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if action not in Action._value2member_map_:
        return False
    known = Action(action)
    if isinstance(obj, User):
        return _can_on_student(actor, known, obj)
    if isinstance(obj, Section):
        return _can_on_section(actor, known, obj)
    if isinstance(obj, District):
        return _can_on_district(actor, known, obj)
    if isinstance(obj, School):
        return _can_on_school(actor, known, obj)
    if isinstance(obj, Cycle):
        return _can_on_cycle(actor, known, obj)
    return False


def _can_on_cycle(actor: User, action: Action, cycle: Cycle) -> bool:
    if action is Action.VIEW_CYCLE:
        return scopes.visible_cycles(actor).filter(pk=cycle.pk).exists()
    if action is Action.EDIT_CYCLE:
        return scopes.editable_cycles(actor).filter(pk=cycle.pk).exists()
    return False


def _can_on_school(actor: User, action: Action, school: School) -> bool:
    if action is Action.VIEW_SCHOOL:
        return scopes.led_schools(actor).filter(pk=school.pk).exists()
    if action is Action.VIEW_SCHEDULE:
        return scopes.schedule_viewing_schools(actor).filter(pk=school.pk).exists()
    if action is Action.MANAGE_SCHEDULE:
        return scopes.scheduling_schools(actor).filter(pk=school.pk).exists()
    if action is Action.EDIT_RESOURCES:
        # Principal of the school and district administrators; teachers and coaches only read
        # the resources (with VIEW_SCHEDULE) because a change reshapes every class's day.
        return scopes.resource_editing_schools(actor).filter(pk=school.pk).exists()
    if action is Action.LEAD_INNOVATION:
        return scopes.led_schools(actor).filter(pk=school.pk).exists()
    return False


def _can_on_student(actor: User, action: Action, student: User) -> bool:
    if action is Action.VIEW_STUDENT:
        return scopes.visible_students(actor).filter(pk=student.pk).exists()
    if action is Action.VIEW_RESTRICTED:
        return scopes.staff_visible_students(actor).filter(pk=student.pk).exists()
    if action is Action.REQUEST_CORRECTION:
        return (actor.pk == student.pk and _is_student(actor)) or scopes.guarded_students(
            actor
        ).filter(pk=student.pk).exists()
    if action is Action.RESOLVE_CORRECTION:
        return scopes.staff_visible_students(actor).filter(pk=student.pk).exists()
    if action is Action.SUBMIT_OWN_WORK:
        return actor.pk == student.pk and _is_student(actor)
    if action is Action.EDIT_OWN_PROFILE:
        return actor.pk == student.pk and _is_student(actor)
    if action in (Action.RECORD_EVIDENCE, Action.EDIT_RESTRICTED):
        return scopes.recordable_students(actor).filter(pk=student.pk).exists()
    return False


def _can_on_section(actor: User, action: Action, section: Section) -> bool:
    if action is Action.VIEW_SECTION:
        return scopes.visible_sections(actor).filter(pk=section.pk).exists()
    if action is Action.VIEW_SECTION_MASTERY:
        return scopes.staff_sections(actor).filter(pk=section.pk).exists()
    if action is Action.TEACH_SECTION:
        return scopes.teachable_sections(actor).filter(pk=section.pk).exists()
    if action is Action.RUN_CYCLE:
        return scopes.teachable_sections(actor).filter(pk=section.pk).exists()
    if action is Action.COMPARE_SECTION:
        return scopes.comparison_sections(actor).filter(pk=section.pk).exists()
    return False


def _can_on_district(actor: User, action: Action, district: District) -> bool:
    if action is Action.MANAGE_LIBRARY:
        return Membership.objects.filter(
            user=actor, active=True, district=district, role__in=sorted(STAFF_ROLES)
        ).exists()
    if action is Action.VIEW_DISTRICT:
        return can_view_district(actor, district.pk)
    if action is Action.VIEW_AUDIT:
        return can_view_district(actor, district.pk)
    if action is Action.JOIN_INNOVATION:
        return scopes.innovation_districts(actor).filter(pk=district.pk).exists()
    if action is Action.MANAGE_INNOVATION:
        return can_view_district(actor, district.pk)
    return False


def can_view_district(actor: User, district_id: int) -> bool:
    return Membership.objects.filter(
        user=actor, active=True, role=Role.DISTRICT_ADMIN, district_id=district_id
    ).exists()


_SEAL = object()  # only permits made here carry it


@dataclass(frozen=True)
class Permit:
    """``can(actor_id, action, student_id)`` held when :func:`recording_permit` made this, earlier
    in the same request: lets :func:`require` skip asking the database a second time. A permit
    built anywhere else lacks the seal and is ignored."""

    actor_id: int
    action: Action
    student_id: int
    seal: object = field(default=None, repr=False, compare=False)


def recording_permit(actor: User, student_id: int) -> tuple[User, Permit]:
    """The student ``actor`` wants to record evidence for, with the permission, in one query.

    Their own answers (SUBMIT_OWN_WORK) or a teacher's scoring (RECORD_EVIDENCE), decided by the
    same scopes as :func:`can`. :class:`NotFound` for a missing student and a forbidden one alike.
    """
    if not actor.is_authenticated or not actor.is_active:
        raise NotFound("User not found")
    student = scopes.student_marked_recordable(actor, student_id)
    if student is None:
        raise NotFound("User not found")
    if student.pk == actor.pk:
        action = Action.SUBMIT_OWN_WORK  # the actor is in scopes.students(): a student
    elif student.recordable:  # type: ignore[attr-defined]
        action = Action.RECORD_EVIDENCE
    else:
        raise NotFound("User not found")
    return student, Permit(actor.pk, action, student.pk, seal=_SEAL)


def require(
    actor: User, action: Action | str, obj: Model | None, *, permit: Permit | None = None
) -> None:
    """Raise :class:`NotFound` unless ``actor`` may perform ``action`` on ``obj``.

    ``permit``: a :class:`Permit` for exactly this actor, action and object answers without a
    query; any other (or none) leaves the decision to :func:`can`.
    """
    if (
        permit is not None
        and permit.seal is _SEAL
        and isinstance(obj, User)
        and (permit.actor_id, permit.action, permit.student_id) == (actor.pk, action, obj.pk)
    ):
        return
    if obj is None or not can(actor, action, obj):
        raise NotFound(f"{type(obj).__name__ if obj is not None else 'object'} not found")
