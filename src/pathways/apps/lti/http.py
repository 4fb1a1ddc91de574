"""The one small HTTP client LTI uses to reach a platform: JWKS, token and score endpoints.

Every call has a timeout and a size limit; failures raise :class:`PlatformUnreachable` with the URL
and reason, so callers (launch validation, the score outbox) can refuse or retry cleanly.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 5.0
MAX_BYTES = 1_000_000


class PlatformUnreachable(Exception):
    """The platform did not answer, or answered with an error status or unreadable body."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


def _send(request: urllib.request.Request, timeout: float) -> tuple[int, bytes]:
    if urllib.parse.urlsplit(request.full_url).scheme not in ("http", "https"):
        raise PlatformUnreachable(request.full_url, "only http(s) URLs are allowed")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read(MAX_BYTES + 1)[:MAX_BYTES]
    except urllib.error.HTTPError as error:
        body = error.read(500).decode("utf-8", "replace")
        raise PlatformUnreachable(
            request.full_url, f"HTTP {error.code}: {body}", error.code
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise PlatformUnreachable(request.full_url, str(error)) from None


def _json(url: str, body: bytes) -> Any:
    try:
        return json.loads(body) if body else {}
    except ValueError:
        raise PlatformUnreachable(url, "the answer is not JSON") from None


def get_json(url: str, *, timeout: float = TIMEOUT_SECONDS) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    return _json(url, _send(request, timeout)[1])


def post_form(url: str, fields: dict[str, str], *, timeout: float = TIMEOUT_SECONDS) -> Any:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(  # noqa: S310
        url,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
    )
    return _json(url, _send(request, timeout)[1])


def post_json(
    url: str,
    body: dict[str, Any],
    *,
    content_type: str,
    bearer: str,
    timeout: float = TIMEOUT_SECONDS,
) -> int:
    request = urllib.request.Request(  # noqa: S310
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": content_type, "Authorization": f"Bearer {bearer}"},
    )
    return _send(request, timeout)[0]
