"""Helpers shared by the role pages: role guards and the navigation each person sees."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from pathways.apps.access.roles import HOME_ORDER, roles_of
from pathways.apps.accounts.models import User
from pathways.apps.roster.models import STAFF_ROLES, Role

View = TypeVar("View", bound=Callable[..., HttpResponse])

ROLE_HOME = {
    Role.DISTRICT_ADMIN: ("web:district", "District"),
    Role.PRINCIPAL: ("web:school", "School"),
    Role.COACH: ("web:school", "School"),
    Role.TEACHER: ("web:teacher", "My classes"),
    Role.GUARDIAN: ("web:guardian", "My children"),
    Role.STUDENT: ("web:student", "My learning"),
}


_LARGEST_ID = 9_223_372_036_854_775_807  # what a database integer column holds


def form_id(raw: str | None) -> int | None:
    """A record id sent by a form or a query string, or None when it cannot be one (empty, a
    word, a sign, a digit like '²', a number no table holds): a damaged or hand-made form then
    finds no record (the page's 404 or message), never a server error."""
    if not raw or not raw.isascii() or not raw.isdecimal():
        return None
    value = int(raw)
    return value if 0 < value <= _LARGEST_ID else None


def form_ids(raws: list[str]) -> list[int]:
    """The ids of a multi-value field (checkboxes), leaving out what cannot be an id."""
    return [i for i in (form_id(raw) for raw in raws) if i is not None]


def actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def role_required(*allowed: Role) -> Callable[[View], View]:
    """Only people holding one of ``allowed`` see the page; others get the same 404 as a typo."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            held = roles_of(actor(request))
            if not held.intersection(allowed):
                raise Http404("page not found")
            request.roles = held  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def navigation(roles: set[Role]) -> list[tuple[str, str]]:
    """(url name, label) for each home the person may open, without duplicates."""
    links: list[tuple[str, str]] = []
    for role in HOME_ORDER:
        if role in roles and ROLE_HOME[role] not in links:
            links.append(ROLE_HOME[role])
    if roles & STAFF_ROLES:
        links.append(("web:library", "Activity library"))
        links.append(("web:innovation", "Innovation"))
        links.append(("web:schedule", "Tomorrow's schedule"))
    return links


def student_for(request: HttpRequest, pk: int) -> tuple[User, User]:
    """(actor, student) when the actor may read that student's record; otherwise a plain 404."""
    from pathways.apps.access import policy, scopes
    from pathways.apps.access.policy import Action

    user = actor(request)
    student = scopes.students().filter(pk=pk).first()
    try:
        policy.require(user, Action.VIEW_STUDENT, student)
    except policy.NotFound:
        raise Http404("student not found") from None
    assert student is not None
    return user, student
