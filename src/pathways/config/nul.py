"""Keep NUL characters in request input away from the database.

PostgreSQL cannot store U+0000 in text or jsonb: without this guard a NUL in a JSON body, a form
field or a query string would surface as a server error (schemathesis found it in the API, the
damaged-forms test in the pages). NUL is never meaningful text, so it is dropped from query
values, form fields and JSON strings (keys included) before any view sees them; everything else
is left exactly as sent. Uploaded files are not touched: their readers refuse NUL with a line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def without_nul(value: Any) -> Any:
    """``value`` with every U+0000 removed from its strings, at any depth."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    return value


def _cleaned(data: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(without_nul(key), [without_nul(v) for v in values])
    cleaned._mutable = False
    return cleaned


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class DropNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", "").lower():
            request.GET = _cleaned(request.GET)  # type: ignore[assignment]
        if request.method in ("POST", "PUT", "PATCH"):
            if request.content_type in _FORMS:
                if _has_nul(request.POST):
                    request.POST = _cleaned(request.POST)  # type: ignore[assignment]
            elif request.path.startswith("/api/") and b"\\u0000" in request.body.lower():
                try:
                    data = json.loads(request.body)
                except ValueError:
                    pass  # not JSON: the API answers it as malformed
                else:
                    request._body = json.dumps(without_nul(data)).encode()
        return self.get_response(request)
