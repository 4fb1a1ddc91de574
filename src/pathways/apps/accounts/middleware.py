"""Idle timeout for web sessions (the absolute timeout is the session cookie's age)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

_LAST_SEEN = "pathways_last_seen"


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN, now)
            if now - int(last_seen) > settings.SESSION_IDLE_SECONDS:
                logout(request)
            elif now - int(last_seen) > 60 or _LAST_SEEN not in request.session:
                # Refresh at most once a minute: no session write on every request.
                request.session[_LAST_SEEN] = now
        return self.get_response(request)
