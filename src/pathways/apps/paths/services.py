"""Writes for personal paths: answering items, mastery checks, choices with reasons, assignments."""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from pathways.apps.access import policy
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.activities.models import Activity, Item
from pathways.apps.activities.scoring import score
from pathways.apps.evidence.models import Evidence
from pathways.apps.evidence.services import Recorded, record_evidence
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.paths.models import Assignment, AssignmentCompletion, Choice, MasteryCheck
from pathways.apps.roster.models import Section
from pathways.apps.standards.models import Standard

CHECK_LENGTH = 3
MIN_REASON_CHARS = 10


def _require_own_standard(actor: User, student: User, standard: Standard) -> None:
    policy.require(actor, Action.SUBMIT_OWN_WORK, student)
    if standard.pk not in {s.pk for s in student_course_standards(student)}:
        raise policy.NotFound("standard not in the student's courses")


class NothingChosen(ValueError):
    """A multiple-response answer without any option chosen (the player asks again)."""


def answer_item(
    actor: User,
    student: User,
    item: Item,
    *,
    answer: Any,
    evidence_id: uuid.UUID,
    check: MasteryCheck | None = None,
) -> Recorded:
    """Score a student's answer on the server and record it (once per client-made id).

    A multiple-response answer with nothing chosen raises :class:`NothingChosen` and records
    nothing: an empty set of ticks is a slip, not an answer.
    """
    _require_own_standard(actor, student, item.standard)
    chosen = answer if isinstance(answer, list) else [answer]
    if item.kind == Item.Kind.MULTIPLE and not [a for a in chosen if str(a).strip()]:
        raise NothingChosen("choose at least one answer")
    kind = Evidence.Kind.ITEM_RESPONSE
    response: dict[str, Any] = {"answer": answer}
    if check is not None:
        if check.student_id != student.pk or item.pk not in check.item_ids:
            raise policy.NotFound("item not in this mastery check")
        kind = Evidence.Kind.MASTERY_CHECK
        response["check"] = str(check.pk)
    with transaction.atomic():
        recorded = record_evidence(
            actor,
            evidence_id=evidence_id,
            student=student,
            standard=item.standard,
            kind=kind,
            correct=score(item, answer),
            item=item,
            response=response,
        )
        if check is not None and check.state == MasteryCheck.State.OPEN and not unanswered(check):
            check.state = MasteryCheck.State.DONE
            check.completed_at = timezone.now()
            check.save(update_fields=["state", "completed_at"])
    return recorded


def unanswered(check: MasteryCheck) -> list[int]:
    answered = set(
        Evidence.objects.filter(
            student_id=check.student_id,
            kind=Evidence.Kind.MASTERY_CHECK,
            response__check=str(check.pk),
        ).values_list("item_id", flat=True)
    )
    return [item_id for item_id in check.item_ids if item_id not in answered]


@transaction.atomic
def request_mastery_check(
    actor: User, student: User, standard: Standard, *, check_id: uuid.UUID
) -> MasteryCheck:
    """'I'm ready': draw up to three items from the bank for the standard (once per id)."""
    _require_own_standard(actor, student, standard)
    existing = MasteryCheck.objects.filter(pk=check_id).first()
    if existing is not None:
        if existing.student_id != student.pk:
            raise policy.NotFound("mastery check not found")
        return existing
    items = list(
        Item.objects.filter(standard=standard, kind__in=Item.PLAYER_KINDS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not items:
        raise ValueError(f"there are no items for {standard.short_code} in the item bank yet")
    chosen = random.Random(check_id.int).sample(items, k=min(CHECK_LENGTH, len(items)))  # noqa: S311
    return MasteryCheck.objects.create(
        id=check_id, student=student, standard=standard, item_ids=chosen
    )


def next_practice_item(student: User, standard: Standard) -> Item | None:
    """Items of the standard in turn, so a student does not see the same question twice in a row."""
    items = list(Item.objects.filter(standard=standard, kind__in=Item.PLAYER_KINDS).order_by("pk"))
    if not items:
        return None
    done = Evidence.objects.filter(student=student, standard=standard, item__isnull=False).count()
    return items[done % len(items)]


def _differ(a: Activity, b: Activity) -> bool:
    return a.modality != b.modality or a.bloom_level != b.bloom_level


class ChoiceConflict(ValueError):
    """A client id already used for a different choice or reflection (answered as 409)."""


def _same_choice(
    choice: Choice, standard: Standard, offered: list[Activity], chosen: Activity, reason: str
) -> bool:
    return (
        choice.standard_id == standard.pk
        and choice.chosen_id == chosen.pk
        and choice.reason == reason[:2000]
        and {a.pk for a in choice.offered.all()} == {a.pk for a in offered}
    )


@transaction.atomic
def choose_once(
    actor: User,
    student: User,
    *,
    choice_id: uuid.UUID,
    standard: Standard,
    offered: list[Activity],
    chosen: Activity,
    reason: str,
) -> tuple[Choice, bool]:
    """Record a choice on a choice board; the student must say why (at least a short sentence).

    Once per client-made id: the same id with the same content returns the stored choice
    (``created`` False); the same id with other content raises :class:`ChoiceConflict`.
    """
    _require_own_standard(actor, student, standard)
    if not 2 <= len(offered) <= 4:
        raise ValueError("a choice board offers two to four options")
    if any(not _differ(a, b) for i, a in enumerate(offered) for b in offered[i + 1 :]):
        raise ValueError("options must differ in how you work or how deeply you think")
    if chosen not in offered:
        raise ValueError("choose one of the options offered")
    reason = reason.strip()
    if len(reason) < MIN_REASON_CHARS:
        raise ValueError("tell us in a sentence why you chose it")
    existing = Choice.objects.filter(pk=choice_id).first()
    if existing is not None:
        if existing.student_id != student.pk:
            raise policy.NotFound("choice not found")
        if not _same_choice(existing, standard, offered, chosen, reason):
            raise ChoiceConflict(f"choice {choice_id} was already made with other content")
        return existing, False
    choice = Choice.objects.create(
        id=choice_id, student=student, standard=standard, chosen=chosen, reason=reason[:2000]
    )
    choice.offered.set(offered)
    return choice, True


def choose(
    actor: User,
    student: User,
    *,
    choice_id: uuid.UUID,
    standard: Standard,
    offered: list[Activity],
    chosen: Activity,
    reason: str,
) -> Choice:
    """:func:`choose_once` without saying whether the choice is new (the web form's use)."""
    return choose_once(
        actor,
        student,
        choice_id=choice_id,
        standard=standard,
        offered=offered,
        chosen=chosen,
        reason=reason,
    )[0]


@transaction.atomic
def reflect_on_choice(actor: User, choice: Choice, *, how_it_went: str) -> Choice:
    """How the chosen work went, written once: the same words again change nothing, other words
    after a reflection is stored raise :class:`ChoiceConflict` (a reflection is not rewritten)."""
    policy.require(actor, Action.EDIT_OWN_PROFILE, choice.student)
    text = how_it_went.strip()
    if not text:
        raise ValueError("write a few words about how it went")
    if choice.how_it_went:
        if choice.how_it_went != text[:2000]:
            raise ChoiceConflict("you already said how this choice went")
        return choice
    choice.how_it_went = text[:2000]
    choice.reflected_at = timezone.now()
    choice.save(update_fields=["how_it_went", "reflected_at"])
    return choice


@transaction.atomic
def assign(
    actor: User,
    section: Section,
    activity: Activity,
    *,
    student: User | None = None,
    pinned: bool = False,
    due: date | None = None,
) -> Assignment:
    """A teacher assigns (or pins) an activity to a section or to one of its students."""
    policy.require(actor, Action.TEACH_SECTION, section)
    if activity.district_id != section.school.district_id:
        raise policy.NotFound("activity not in the section's district library")
    if student is not None:
        policy.require(actor, Action.RECORD_EVIDENCE, student)
    return Assignment.objects.create(
        activity=activity,
        section=section,
        student=student,
        pinned=pinned,
        due=due,
        assigned_by=actor,
    )


@transaction.atomic
def assign_to_students(
    actor: User,
    section: Section,
    activity: Activity,
    *,
    students: list[User],
    pinned: bool = False,
    due: date | None = None,
) -> list[Assignment]:
    """One assignment per student of a group (all or none: a student the teacher may not teach
    refuses the whole group)."""
    if not students:
        raise ValueError("a group has at least one student")
    return [
        assign(actor, section, activity, student=student, pinned=pinned, due=due)
        for student in students
    ]


@transaction.atomic
def complete_assignment(
    actor: User, student: User, assignment: Assignment, *, note: str = ""
) -> tuple[AssignmentCompletion, bool]:
    """The student marks assigned work done (once; marking it again changes nothing)."""
    policy.require(actor, Action.SUBMIT_OWN_WORK, student)
    completion, created = AssignmentCompletion.objects.get_or_create(
        assignment=assignment, student=student, defaults={"note": note.strip()[:2000]}
    )
    return completion, created
