"""Keep NUL characters in API input away from the database.

PostgreSQL cannot store U+0000 in text or jsonb: without this guard a NUL in a JSON body or a
query string would surface as a server error (schemathesis found it). NUL is never meaningful
text, so it is dropped from JSON strings (keys included) and from query values before the API sees
them; everything else is left exactly as sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict


def without_nul(value: Any) -> Any:
    """``value`` with every U+0000 removed from its strings, at any depth."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    return value


class DropNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            if "%00" in request.META.get("QUERY_STRING", "").lower():
                cleaned = QueryDict(mutable=True)
                for key, values in request.GET.lists():
                    cleaned.setlist(without_nul(key), [without_nul(v) for v in values])
                request.GET = cleaned  # type: ignore[assignment]
            if request.method in ("POST", "PUT", "PATCH") and b"\\u0000" in request.body.lower():
                try:
                    data = json.loads(request.body)
                except ValueError:
                    pass  # not JSON: the API answers it as malformed
                else:
                    request._body = json.dumps(without_nul(data)).encode()
        return self.get_response(request)
