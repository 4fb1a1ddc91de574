"""A small LRS client over the standard library (no extra dependency): POST, PUT and GET
statements with HTTP basic auth and the xAPI version header."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from pathways.interop.xapi._statements import XAPI_VERSION

__all__ = ["LrsClient", "LrsError", "LrsResponse"]


class LrsError(Exception):
    """The LRS could not be reached (network, TLS, timeout)."""


@dataclass(frozen=True)
class LrsResponse:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class LrsClient:
    """Talks to one LRS endpoint (the URL that ``/statements`` and ``/about`` hang from)."""

    def __init__(self, endpoint: str, key: str, secret: str, *, timeout: float = 30.0) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise ValueError(f"an LRS endpoint is an http(s) URL, not {endpoint!r}")
        self.endpoint = endpoint.rstrip("/") + "/"
        token = base64.b64encode(f"{key}:{secret}".encode()).decode()
        self._headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": XAPI_VERSION,
        }
        self.timeout = timeout

    def _call(
        self, method: str, path: str, body: Any = None, query: dict[str, str] | None = None
    ) -> LrsResponse:
        url = urllib.parse.urljoin(self.endpoint, path)
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = None if body is None else json.dumps(body).encode()
        headers = dict(self._headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310
                return LrsResponse(reply.status, reply.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:
            return LrsResponse(error.code, error.read().decode("utf-8", "replace"))
        except (urllib.error.URLError, OSError, TimeoutError) as error:
            raise LrsError(f"{method} {url}: {getattr(error, 'reason', error)}") from None

    def about(self) -> LrsResponse:
        return self._call("GET", "about")

    def post_statements(self, statements: list[dict[str, Any]]) -> LrsResponse:
        return self._call("POST", "statements", statements)

    def put_statement(self, statement: dict[str, Any]) -> LrsResponse:
        return self._call("PUT", "statements", statement, {"statementId": statement["id"]})

    def get_statement(self, statement_id: str) -> LrsResponse:
        return self._call("GET", "statements", query={"statementId": statement_id})
