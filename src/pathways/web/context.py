"""Template context shared by every page: the navigation for the signed-in person."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pathways.apps.access.roles import roles_of
from pathways.apps.accounts.models import User
from pathways.web.views._common import navigation


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)  # absent on errors raised before authentication
    if not isinstance(user, User) or not user.is_authenticated:
        return {"nav_links": []}
    roles = getattr(request, "roles", None) or roles_of(user)
    return {"nav_links": navigation(roles)}
