"""The caller and the records they may read, for every API module (one rule, as in the pages)."""

from __future__ import annotations

from django.http import HttpRequest

from pathways.apps.access import policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User


def caller(request: HttpRequest) -> User:
    """The person the bearer token belongs to (the API's auth guarantees there is one)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def readable_student(actor: User, student_id: int) -> User:
    """The student, if ``actor`` may read their record; else ``NotFound`` (answered as 404)."""
    student = scopes.students().filter(pk=student_id).first()
    policy.require(actor, Action.VIEW_STUDENT, student)
    assert student is not None
    return student
