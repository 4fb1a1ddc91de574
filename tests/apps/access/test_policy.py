"""Who may see and change what: the role x action x object matrix on the demo district."""

from __future__ import annotations

import pytest

from pathways.apps.access import policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.roster.models import Enrollment, Guardianship, Section

pytestmark = pytest.mark.django_db


def _section_of(student: User) -> Section:
    return Enrollment.objects.get(user=student, role="student").section


# (actor, action, target, allowed). Targets: a username or "section-of:<username>".
MATRIX = [
    # A student sees only themself.
    ("student1", Action.VIEW_STUDENT, "student1", True),
    ("student1", Action.VIEW_STUDENT, "student2", False),
    ("student1", Action.VIEW_STUDENT, "student3", False),  # a classmate
    ("student1", Action.SUBMIT_OWN_WORK, "student1", True),
    ("student1", Action.SUBMIT_OWN_WORK, "student3", False),
    ("student1", Action.RECORD_EVIDENCE, "student1", False),  # cannot score themself
    ("student1", Action.EDIT_OWN_PROFILE, "student1", True),
    ("student1", Action.EDIT_OWN_PROFILE, "student3", False),
    # A teacher sees and scores the students of their own sections only.
    ("teacher1", Action.VIEW_STUDENT, "student1", True),
    ("teacher1", Action.VIEW_STUDENT, "student2", False),
    ("teacher1", Action.RECORD_EVIDENCE, "student1", True),
    ("teacher1", Action.RECORD_EVIDENCE, "student2", False),
    ("teacher1", Action.SUBMIT_OWN_WORK, "student1", False),
    ("teacher1", Action.EDIT_OWN_PROFILE, "student1", False),
    ("teacher2", Action.VIEW_STUDENT, "student2", True),
    ("teacher2", Action.VIEW_STUDENT, "student1", False),
    # Leaders read their school or district; they do not score work.
    ("principal1", Action.VIEW_STUDENT, "student1", True),
    ("principal1", Action.VIEW_STUDENT, "student2", False),
    ("principal1", Action.RECORD_EVIDENCE, "student1", False),
    ("coach1", Action.VIEW_STUDENT, "student1", True),
    ("coach1", Action.VIEW_STUDENT, "student2", False),
    ("district1", Action.VIEW_STUDENT, "student1", True),
    ("district1", Action.VIEW_STUDENT, "student2", True),
    ("district1", Action.RECORD_EVIDENCE, "student1", False),
    # A guardian reads their own child, read-only.
    ("guardian1", Action.VIEW_STUDENT, "student1", True),
    ("guardian1", Action.VIEW_STUDENT, "student2", False),
    ("guardian1", Action.VIEW_STUDENT, "student3", False),
    ("guardian1", Action.RECORD_EVIDENCE, "student1", False),
    ("guardian1", Action.EDIT_OWN_PROFILE, "student1", False),
    # Restricted fields (accommodations, language status): staff only.
    ("teacher1", Action.VIEW_RESTRICTED, "student1", True),
    ("teacher1", Action.EDIT_RESTRICTED, "student1", True),
    ("teacher1", Action.VIEW_RESTRICTED, "student2", False),
    ("principal1", Action.VIEW_RESTRICTED, "student1", True),
    ("principal1", Action.EDIT_RESTRICTED, "student1", False),
    ("district1", Action.VIEW_RESTRICTED, "student2", True),
    ("student1", Action.VIEW_RESTRICTED, "student1", False),
    ("guardian1", Action.VIEW_RESTRICTED, "student1", False),
    # Sections.
    ("teacher1", Action.VIEW_SECTION, "section-of:student1", True),
    ("teacher1", Action.TEACH_SECTION, "section-of:student1", True),
    ("teacher1", Action.VIEW_SECTION, "section-of:student2", False),
    ("teacher1", Action.TEACH_SECTION, "section-of:student2", False),
    ("principal1", Action.VIEW_SECTION, "section-of:student1", True),
    ("principal1", Action.TEACH_SECTION, "section-of:student1", False),
    ("principal1", Action.VIEW_SECTION, "section-of:student2", False),
    ("district1", Action.VIEW_SECTION, "section-of:student2", True),
    ("student1", Action.VIEW_SECTION, "section-of:student1", True),
    ("student1", Action.TEACH_SECTION, "section-of:student1", False),
    ("student1", Action.VIEW_SECTION, "section-of:student2", False),
    ("guardian1", Action.VIEW_SECTION, "section-of:student1", True),
    ("guardian1", Action.VIEW_SECTION, "section-of:student2", False),
    # A whole class's mastery: staff of the section, school or district only.
    ("teacher1", Action.VIEW_SECTION_MASTERY, "section-of:student1", True),
    ("teacher1", Action.VIEW_SECTION_MASTERY, "section-of:student2", False),
    ("coach1", Action.VIEW_SECTION_MASTERY, "section-of:student1", True),
    ("principal1", Action.VIEW_SECTION_MASTERY, "section-of:student2", False),
    ("district1", Action.VIEW_SECTION_MASTERY, "section-of:student2", True),
    ("student1", Action.VIEW_SECTION_MASTERY, "section-of:student1", False),
    ("guardian1", Action.VIEW_SECTION_MASTERY, "section-of:student1", False),
    # Daily schedules: the school's teachers, coach and principal build and adjust them;
    # district administrators read them; students, guardians and other schools' staff do not.
    ("teacher1", Action.MANAGE_SCHEDULE, "school-of:student1", True),
    ("teacher1", Action.VIEW_SCHEDULE, "school-of:student1", True),
    ("teacher1", Action.MANAGE_SCHEDULE, "school-of:student2", False),
    ("teacher1", Action.VIEW_SCHEDULE, "school-of:student2", False),
    ("coach1", Action.MANAGE_SCHEDULE, "school-of:student1", True),
    ("principal1", Action.MANAGE_SCHEDULE, "school-of:student1", True),
    ("principal1", Action.VIEW_SCHEDULE, "school-of:student2", False),
    ("district1", Action.VIEW_SCHEDULE, "school-of:student2", True),
    ("district1", Action.MANAGE_SCHEDULE, "school-of:student2", False),
    ("student1", Action.VIEW_SCHEDULE, "school-of:student1", False),
    ("guardian1", Action.VIEW_SCHEDULE, "school-of:student1", False),
]


@pytest.mark.parametrize(("actor", "action", "target", "allowed"), MATRIX)
def test_role_action_matrix(person, actor: str, action: Action, target: str, allowed: bool) -> None:
    obj = (
        _section_of(person(target.split(":")[1]))
        if target.startswith("section-of:")
        else _section_of(person(target.split(":")[1])).school
        if target.startswith("school-of:")
        else person(target)
    )
    assert policy.can(person(actor), action, obj) is allowed


@pytest.mark.parametrize(
    "actor",
    [
        "student1",
        "student2",
        "teacher1",
        "teacher2",
        "coach1",
        "principal1",
        "district1",
        "guardian1",
    ],
)
def test_single_record_and_list_checks_agree_for_every_student(person, actor: str) -> None:
    user = person(actor)
    visible = set(scopes.visible_students(user).values_list("pk", flat=True))
    for student in scopes.students():
        assert policy.can(user, Action.VIEW_STUDENT, student) is (student.pk in visible)


def test_scopes_have_the_expected_sizes(person) -> None:
    assert scopes.visible_students(person("student1")).count() == 1
    assert scopes.visible_students(person("teacher1")).count() == 25
    assert scopes.visible_students(person("teacher2")).count() == 75  # two periods
    assert scopes.visible_students(person("principal1")).count() == 150
    assert scopes.visible_students(person("district1")).count() == 300
    assert scopes.visible_students(person("guardian1")).count() == 1


def test_unknown_action_is_denied(person) -> None:
    assert policy.can(person("district1"), "delete_everything", person("student1")) is False


def test_inactive_account_sees_nothing(person) -> None:
    teacher = person("teacher1")
    teacher.is_active = False
    teacher.save()
    assert not scopes.visible_students(teacher).exists()
    assert policy.can(teacher, Action.VIEW_STUDENT, person("student1")) is False


def test_ended_enrollment_removes_access(person) -> None:
    student = person("student1")
    Enrollment.objects.filter(user=student).update(active=False)
    assert policy.can(person("teacher1"), Action.VIEW_STUDENT, student) is False
    # The principal still sees a student of their school.
    assert policy.can(person("principal1"), Action.VIEW_STUDENT, student) is True


def test_ended_guardianship_removes_access(person) -> None:
    Guardianship.objects.filter(guardian=person("guardian1")).update(active=False)
    assert policy.can(person("guardian1"), Action.VIEW_STUDENT, person("student1")) is False


def test_require_raises_the_same_error_for_missing_and_forbidden(person) -> None:
    with pytest.raises(policy.NotFound) as forbidden:
        policy.require(person("student1"), Action.VIEW_STUDENT, person("student2"))
    with pytest.raises(policy.NotFound) as missing:
        policy.require(person("student1"), Action.VIEW_STUDENT, None)
    assert type(forbidden.value) is type(missing.value)


def test_a_deactivated_section_ends_its_teachers_access(person) -> None:
    section = _section_of(person("student1"))
    section.active = False
    section.save()
    assert policy.can(person("teacher1"), Action.VIEW_STUDENT, person("student1")) is False
    assert policy.can(person("teacher1"), Action.VIEW_SECTION, section) is False
    assert policy.can(person("principal1"), Action.VIEW_STUDENT, person("student1")) is True


def test_a_deactivated_school_ends_its_leaders_access(person) -> None:
    from pathways.apps.roster.models import Membership

    school = Membership.objects.get(user=person("principal1"), role="principal").school
    school.active = False
    school.save()
    assert policy.can(person("principal1"), Action.VIEW_STUDENT, person("student1")) is False


def test_a_person_can_hold_several_roles_in_several_places(person) -> None:
    from pathways.apps.access.roles import roles_of
    from pathways.apps.roster.models import Membership, Role
    from pathways.web.views._common import navigation

    teacher = person("teacher1")
    child = person("student2")  # in another school
    Guardianship.objects.create(guardian=teacher, student=child)
    other_school = Membership.objects.get(user=child, role=Role.STUDENT).school
    Membership.objects.create(
        user=teacher, role=Role.COACH, district=other_school.district, school=other_school
    )
    assert roles_of(teacher) >= {Role.TEACHER, Role.GUARDIAN, Role.COACH}
    assert policy.can(teacher, Action.VIEW_STUDENT, child)  # as guardian and as coach
    assert policy.can(teacher, Action.VIEW_STUDENT, person("student1"))  # as teacher
    assert not policy.can(teacher, Action.RECORD_EVIDENCE, child)  # neither role scores work there
    labels = [label for _, label in navigation(roles_of(teacher))]
    assert {"School", "My classes", "My children"} <= set(labels)


# The system for innovation: teachers run PDSA cycles in their own classes and compare with classes
# of their school; leaders see and carry on their school's cycles; the district reads them all.
# Targets also: "cycle:<school name>" (that school's first demo cycle) and "district".
INNOVATION_MATRIX = [
    ("teacher1", Action.RUN_CYCLE, "section-of:student1", True),
    ("teacher1", Action.RUN_CYCLE, "section-of:student2", False),
    ("principal1", Action.RUN_CYCLE, "section-of:student1", False),
    ("student1", Action.RUN_CYCLE, "section-of:student1", False),
    ("teacher1", Action.COMPARE_SECTION, "section-of:student1", True),
    ("teacher2", Action.COMPARE_SECTION, "section-of:student1", False),  # another school
    ("coach1", Action.COMPARE_SECTION, "section-of:student1", True),
    ("district1", Action.COMPARE_SECTION, "section-of:student2", True),
    ("guardian1", Action.COMPARE_SECTION, "section-of:student1", False),
    ("teacher1", Action.VIEW_CYCLE, "cycle:Cedar Grove Elementary", True),
    ("teacher1", Action.EDIT_CYCLE, "cycle:Cedar Grove Elementary", True),
    ("teacher1", Action.VIEW_CYCLE, "cycle:Maple Ridge Middle", False),
    ("teacher2", Action.VIEW_CYCLE, "cycle:Cedar Grove Elementary", False),
    ("coach1", Action.VIEW_CYCLE, "cycle:Cedar Grove Elementary", True),
    ("principal1", Action.EDIT_CYCLE, "cycle:Cedar Grove Elementary", True),
    ("principal1", Action.VIEW_CYCLE, "cycle:Maple Ridge Middle", False),
    ("district1", Action.VIEW_CYCLE, "cycle:Maple Ridge Middle", True),
    ("district1", Action.EDIT_CYCLE, "cycle:Maple Ridge Middle", False),
    ("student1", Action.VIEW_CYCLE, "cycle:Cedar Grove Elementary", False),
    ("guardian1", Action.VIEW_CYCLE, "cycle:Cedar Grove Elementary", False),
    ("teacher1", Action.JOIN_INNOVATION, "district", True),
    ("coach1", Action.JOIN_INNOVATION, "district", True),
    ("student1", Action.JOIN_INNOVATION, "district", False),
    ("guardian1", Action.JOIN_INNOVATION, "district", False),
    ("district1", Action.MANAGE_INNOVATION, "district", True),
    ("principal1", Action.MANAGE_INNOVATION, "district", False),
    ("teacher1", Action.MANAGE_INNOVATION, "district", False),
    ("principal1", Action.LEAD_INNOVATION, "school-of:student1", True),
    ("principal1", Action.LEAD_INNOVATION, "school-of:student2", False),
    ("coach1", Action.LEAD_INNOVATION, "school-of:student1", True),
    ("teacher1", Action.LEAD_INNOVATION, "school-of:student1", False),
    ("district1", Action.LEAD_INNOVATION, "school-of:student2", True),
]


@pytest.mark.parametrize(("actor", "action", "target", "allowed"), INNOVATION_MATRIX)
def test_innovation_matrix(person, actor: str, action: Action, target: str, allowed: bool) -> None:
    from pathways.apps.innovation.models import Cycle
    from pathways.apps.roster.models import District

    kind, _, name = target.partition(":")
    obj = {
        "section-of": lambda: _section_of(person(name)),
        "school-of": lambda: _section_of(person(name)).school,
        "cycle": lambda: Cycle.objects.filter(school__name=name).order_by("pk").first(),
        "district": lambda: District.objects.get(sourced_id="demo-district"),
    }[kind]()
    assert policy.can(person(actor), action, obj) is allowed


def test_cycle_lists_and_single_checks_agree(person) -> None:
    from pathways.apps.innovation.models import Cycle

    for username in ("teacher1", "teacher2", "coach1", "principal1", "district1", "student1"):
        user = person(username)
        visible = set(scopes.visible_cycles(user).values_list("pk", flat=True))
        for cycle in Cycle.objects.all():
            assert policy.can(user, Action.VIEW_CYCLE, cycle) is (cycle.pk in visible)
