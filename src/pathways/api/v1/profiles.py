"""The learner profile in the API: the student edits interests, aspirations, goals (with check-ins),
habits and reflections; a teacher of the student edits the restricted fields.

Restricted fields (accommodations, language status) are in the answer only for staff who may
read the student as staff: for the student and their guardians the ``restricted`` key is absent,
not empty. Guardians read; they never write.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from pathways.api.v1._access import caller, readable_student
from pathways.api.v1.daily_schemas import (
    AboutIn,
    CheckInIn,
    CheckInOut,
    GoalDetailOut,
    GoalIn,
    HabitIn,
    HabitRatingOut,
    LearnerProfileOut,
    PageQuery,
    ReflectionIn,
    ReflectionOut,
    ReflectionPage,
    RestrictedIn,
    RestrictedOut,
)
from pathways.api.v1.schemas import Error, RecordId, ValidationErrorOut
from pathways.apps.access import audit, policy
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.profiles import queries as profile_queries
from pathways.apps.profiles import services as profiles
from pathways.apps.profiles.models import Goal, GoalCheckIn, HabitRating, Reflection

router = Router(tags=["profiles"])

READ = {401: Error, 404: Error, 422: ValidationErrorOut}
WRITE = {400: Error, **READ}
HABIT_CODES = {label: code for code, label in HabitRating.Habit.choices}


def _check_in(entry: GoalCheckIn) -> dict[str, object]:
    return {"id": entry.pk, "progress": entry.progress, "note": entry.note, "at": entry.at}


def _goal(goal: Goal) -> dict[str, object]:
    return {
        "id": goal.pk,
        "title": goal.title,
        "target_date": goal.target_date,
        "state": goal.state,
        "check_ins": [_check_in(c) for c in goal.check_ins.all()],
    }


def _reflection(reflection: Reflection) -> dict[str, object]:
    return {
        "id": reflection.pk,
        "prompt": reflection.prompt,
        "text": reflection.text,
        "at": reflection.at,
    }


def _restricted(student: User) -> dict[str, object]:
    view = profile_queries.profile_of(student, include_restricted=True)
    code = profile_queries.language_status_code(student)
    return {
        "accommodations": view.accommodations or "",
        "language_status": code,
        "language_status_label": view.language_status or "",
    }


def _profile(actor: User, student: User) -> dict[str, object]:
    restricted = policy.can(actor, Action.VIEW_RESTRICTED, student)
    view = profile_queries.profile_of(student, include_restricted=False)
    out: dict[str, object] = {
        "student_id": student.pk,
        "interests": view.interests,
        "aspirations": view.aspirations,
        "goals": [_goal(g) for g in view.goals],
        "habits": [
            {
                "habit": HABIT_CODES[label],
                "label": label,
                "ratings": [{"day": day, "rating": rating} for day, rating in points],
            }
            for label, points in view.habits.items()
        ],
        "reflections": [_reflection(r) for r in view.reflections],
        "can_edit": policy.can(actor, Action.EDIT_OWN_PROFILE, student),
    }
    if restricted:  # absent otherwise: the answer is built without the key (exclude_unset)
        out["restricted"] = _restricted(student)
    return out


@router.get(
    "/students/{student_id}/profile",
    response={200: LearnerProfileOut, **READ},
    exclude_unset=True,
    summary="The learner profile: interests, aspirations, goals, habits, reflections",
)
def get_profile(request: HttpRequest, student_id: RecordId) -> dict[str, object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    audit.log_access(
        actor, "view_profile", student, students=[student], scope="view_student", channel="api"
    )
    return _profile(actor, student)


@router.put(
    "/students/{student_id}/profile/about",
    response={200: LearnerProfileOut, **WRITE},
    exclude_unset=True,
    summary="The student's own interests and aspirations (the student only)",
)
def put_about(request: HttpRequest, student_id: RecordId, body: AboutIn) -> dict[str, object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    profiles.update_own_profile(
        actor, student, interests=body.interests, aspirations=body.aspirations
    )
    return _profile(actor, student)


@router.put(
    "/students/{student_id}/profile/restricted",
    response={200: RestrictedOut, **WRITE},
    summary="Accommodations and language status (teachers of the student only)",
)
def put_restricted(
    request: HttpRequest, student_id: RecordId, body: RestrictedIn
) -> Status[object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    try:
        profiles.update_restricted(
            actor,
            student,
            accommodations=body.accommodations,
            language_status=body.language_status,
        )
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    return Status(200, _restricted(student))


@router.get(
    "/students/{student_id}/goals",
    response={200: list[GoalDetailOut], **READ},
    summary="The student's goals with target dates and every check-in",
)
def list_goals(request: HttpRequest, student_id: RecordId) -> list[dict[str, object]]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    audit.log_access(
        actor, "view_goals", student, students=[student], scope="view_student", channel="api"
    )
    return [_goal(g) for g in profile_queries.profile_of(student, include_restricted=False).goals]


@router.post(
    "/students/{student_id}/goals",
    response={201: GoalDetailOut, **WRITE},
    summary="Set a goal with an optional target date (the student only)",
)
def add_goal(request: HttpRequest, student_id: RecordId, body: GoalIn) -> Status[object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    try:
        goal = profiles.add_goal(actor, student, title=body.title, target_date=body.target_date)
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, _goal(goal))


@router.post(
    "/students/{student_id}/goals/{goal_id}/check-ins",
    response={201: CheckInOut, **WRITE},
    summary="Check in on a goal: percent of the way there and a note (100 marks it achieved)",
)
def check_in(
    request: HttpRequest, student_id: RecordId, goal_id: RecordId, body: CheckInIn
) -> Status[object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    goal = profile_queries.goal_of(student, str(goal_id))
    if goal is None:
        return Status(404, {"detail": "Not found."})
    try:
        entry = profiles.check_in(actor, goal, progress=body.progress, note=body.note)
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, _check_in(entry))


@router.post(
    "/students/{student_id}/habits",
    response={201: HabitRatingOut, **WRITE},
    summary="Rate a habit of work, 1-4 (kept over time so growth shows; the student only)",
)
def rate_habit(request: HttpRequest, student_id: RecordId, body: HabitIn) -> Status[object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    try:
        rating = profiles.rate_habit(actor, student, habit=body.habit, rating=body.rating)
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, {"habit": rating.habit, "rating": rating.rating, "at": rating.at})


@router.get(
    "/students/{student_id}/reflections",
    response={200: ReflectionPage, **READ},
    summary="The student's reflections, newest first",
)
def list_reflections(
    request: HttpRequest, student_id: RecordId, page: Query[PageQuery]
) -> dict[str, object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    count, found = profile_queries.reflections_page(student, offset=page.offset, limit=page.limit)
    audit.log_access(
        actor, "view_reflections", student, students=[student], scope="view_student", channel="api"
    )
    return {"count": count, "items": [_reflection(r) for r in found]}


@router.post(
    "/students/{student_id}/reflections",
    response={200: ReflectionOut, 201: ReflectionOut, 409: Error, **WRITE},
    summary="Write a reflection (idempotent by client id; the student only)",
)
def add_reflection(
    request: HttpRequest, student_id: RecordId, body: ReflectionIn
) -> Status[object]:
    actor = caller(request)
    student = readable_student(actor, student_id)
    try:
        reflection, created = profiles.reflect_once(
            actor, student, reflection_id=body.id, prompt=body.prompt, text=body.text
        )
    except profiles.ReflectionConflict as conflict:
        return Status(409, {"detail": str(conflict)})
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    return Status(201 if created else 200, _reflection(reflection))
