"""Idle and absolute timeouts for web sessions.

Idle: a session unused for ``SESSION_IDLE_SECONDS`` ends. Absolute: a session ends
``SESSION_COOKIE_AGE`` seconds after sign-in however busy it was. The cookie's age alone cannot
enforce that: Django sets a new expiry every time the session is saved, and the idle clock saves
it once a minute, so an active session would live for ever. The sign-in time is kept in the
session (set on every sign-in, see ``AccountsConfig.ready``) and checked on each request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

_LAST_SEEN = "pathways_last_seen"
SIGNED_IN_AT = "pathways_signed_in_at"


def remember_sign_in(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """``user_logged_in`` receiver: start the absolute clock (every sign-in restarts it)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN, now)
            # A session from before the sign-in time was recorded counts from now on.
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            if (
                now - int(last_seen) > settings.SESSION_IDLE_SECONDS
                or now - int(signed_in_at) > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
            elif now - int(last_seen) > 60 or _LAST_SEEN not in request.session:
                # Refresh at most once a minute: no session write on every request.
                request.session[_LAST_SEEN] = now
        return self.get_response(request)
