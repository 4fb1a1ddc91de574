"""POST /xapi/statements: outside tools send evidence as xAPI 1.0.3 statements.

Authenticated with a Pathways API token, as a bearer token or as HTTP basic auth (user: the
token owner's username, password: the token), which is what most xAPI clients send.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.security import HttpBasicAuth

from pathways.api.v1._access import caller
from pathways.api.v1.auth import BearerToken
from pathways.api.v1.schemas import SOME_TEXT, Error
from pathways.apps.accounts import services as accounts
from pathways.apps.xapi.ingest import StatementConflict, UnknownReference, record_statements
from pathways.engines.errors import InputError, InputErrors
from pathways.interop.xapi import VERBS, XAPI_VERSION, parse_statements


class TokenAsBasic(HttpBasicAuth):
    """``Authorization: Basic base64(username:token)``: the token must be that person's."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> object | None:
        user = accounts.user_for_token(password)
        if user is None or user.get_username() != username:
            return None
        request.api_token = password  # type: ignore[attr-defined]
        return user


router = Router(tags=["xapi"], auth=[BearerToken(), TokenAsBasic()])

_TEXT = {"type": "string", "maxLength": 2048, "pattern": SOME_TEXT}
_ACTIVITY = {"type": "object", "required": ["id"], "properties": {"id": _TEXT}}


def _statement_schema(
    verbs: list[str], result: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    """One statement as Pathways accepts it (other xAPI properties are allowed and kept)."""
    return {
        "type": "object",
        "required": ["actor", "verb", "object", *required],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "actor": {
                "type": "object",
                "required": ["account"],
                "properties": {
                    "objectType": {"enum": ["Agent"]},
                    "account": {
                        "type": "object",
                        "required": ["homePage", "name"],
                        "properties": {"homePage": _TEXT, "name": _TEXT},
                        "description": "name: the learner's opaque xAPI id from Pathways",
                    },
                },
            },
            "verb": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"enum": [VERBS[v] for v in verbs]}},
            },
            "object": {
                "type": "object",
                "required": ["id"],
                "properties": {"objectType": {"enum": ["Activity"]}, "id": _TEXT},
                "description": "a Pathways item (.../items/ID) or a standard's CASE URI",
            },
            "result": result,
            "context": {
                "type": "object",
                "properties": {
                    "contextActivities": {
                        "type": "object",
                        "properties": {
                            "parent": {"anyOf": [_ACTIVITY, {"type": "array", "items": _ACTIVITY}]}
                        },
                    }
                },
            },
            "timestamp": {"type": "string", "format": "date-time"},
        },
    }


_SCORE = {"type": "object", "properties": {"raw": {"type": "number"}}}
_STATEMENT = {
    "anyOf": [
        _statement_schema(
            ["answered", "completed"],
            {
                "type": "object",
                "required": ["success"],
                "properties": {"success": {"type": "boolean"}, "score": _SCORE},
            },
            ["result"],
        ),
        _statement_schema(
            ["scored"],
            {
                "type": "object",
                "required": ["score"],
                "properties": {
                    "success": {"type": "boolean"},
                    "score": {
                        "type": "object",
                        "required": ["raw"],
                        "properties": {"raw": {"type": "integer", "minimum": 1, "maximum": 4}},
                    },
                },
            },
            ["result"],
        ),
        _statement_schema(
            ["passed", "failed"],
            {"type": "object", "properties": {"success": {"type": "boolean"}, "score": _SCORE}},
            [],
        ),
    ]
}
_STATEMENTS_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "anyOf": [
                    _STATEMENT,
                    {"type": "array", "items": _STATEMENT, "minItems": 1, "maxItems": 500},
                ]
            }
        }
    },
}
_VERSION_HEADER = {
    "in": "header",
    "name": "X-Experience-API-Version",
    "required": True,
    "schema": {
        "type": "string",
        "maxLength": 16,
        "pattern": r"^1\.0\.[0-9]+$",
        "example": XAPI_VERSION,
    },
    "description": "xAPI version of the statements: 1.0.x",
}


_VERSION = re.compile(r"1\.0\.[0-9]+")


def _problems(error: InputError) -> str:
    problems = error.errors if isinstance(error, InputErrors) else [error]
    return "; ".join(f"{p.column}: {p.reason}" if p.column else p.reason for p in problems)


@router.post(
    "/xapi/statements",
    response={200: list[str], 400: Error, 401: Error, 404: Error, 409: Error},
    summary="Record xAPI statements as evidence (idempotent by statement id)",
    openapi_extra={"requestBody": _STATEMENTS_BODY, "parameters": [_VERSION_HEADER]},
)
def post_statements(request: HttpRequest, response: HttpResponse) -> Status[object]:
    """One statement or an array; all are recorded or none. 200 with the statement ids (also
    when every id was already stored with the same content: nothing changes); 409 when an id
    was used for a different statement; 404 for a learner the caller may not record evidence
    for, or an activity that is neither a Pathways item nor a known standard (the detail names
    the field path, e.g. ``$[2].object.id``); 400 for a malformed statement or a missing
    ``X-Experience-API-Version`` header."""
    response.headers["X-Experience-API-Version"] = XAPI_VERSION
    actor = caller(request)
    version = request.headers.get("X-Experience-API-Version", "").strip()
    if not _VERSION.fullmatch(version):
        return Status(400, {"detail": "send the header X-Experience-API-Version: 1.0.3"})
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        return Status(400, {"detail": f"the body is not JSON: {error}"})
    try:
        statements = parse_statements(payload)
    except InputError as error:
        return Status(400, {"detail": _problems(error)})
    try:
        ids = record_statements(actor, statements)
    except UnknownReference as error:
        return Status(404, {"detail": str(error)})
    except StatementConflict as error:
        return Status(409, {"detail": str(error)})
    return Status(200, ids)
