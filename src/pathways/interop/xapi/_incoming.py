"""Statements sent to Pathways, checked field by field; each problem names its JSON path."""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pathways.engines.errors import InputError, InputErrors
from pathways.interop.xapi._statements import RUBRIC_MAX, RUBRIC_MIN, VERBS

__all__ = ["MAX_STATEMENTS", "IncomingStatement", "parse_statements"]

#: Statements accepted in one request.
MAX_STATEMENTS = 500
_VERB_NAMES = {uri: name for name, uri in VERBS.items()}
_LEAP_SECOND = re.compile(r":60(\.\d+)?(?=[+-]\d\d:\d\d$)")


@dataclass(frozen=True)
class IncomingStatement:
    """What Pathways needs from one statement; ``raw`` is the statement as sent (with its id)."""

    path: str
    id: uuid.UUID
    home_page: str
    learner: str
    verb: str
    object_id: str
    parents: tuple[str, ...]
    success: bool | None
    raw_score: float | None
    timestamp: datetime | None
    raw: dict[str, Any]


class _Fields:
    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[InputError] = []

    def error(self, path: str, reason: str) -> None:
        self.errors.append(InputError(self.source, reason, column=path))

    def obj(self, value: Any, path: str, *, required: bool = True) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        if value is not None or required:
            self.error(path, "must be a JSON object")
        return {}

    def text(self, value: Any, path: str, *, required: bool = True) -> str:
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value is not None or required:
            self.error(path, "must be a non-empty string")
        return ""


def _timestamp(value: Any, path: str, out: _Fields) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        out.error(path, "must be an ISO 8601 timestamp")
        return None
    # RFC 3339 allows 't'/'z' and a leap second (read as the second before it).
    text = _LEAP_SECOND.sub(r":59\1", value.strip().upper().replace("Z", "+00:00"))
    try:
        moment = datetime.fromisoformat(text)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        out.error(path, f"{value!r} is not an ISO 8601 timestamp Pathways can store")
        return None


def _result(value: Any, path: str, verb: str, out: _Fields) -> tuple[bool | None, float | None]:
    result = out.obj(value, path, required=False)
    success = result.get("success")
    if success is not None and not isinstance(success, bool):
        out.error(f"{path}.success", "must be true or false")
        success = None
    score = out.obj(result.get("score"), f"{path}.score", required=False)
    raw = score.get("raw")
    if raw is not None and (
        isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw)
    ):
        out.error(f"{path}.score.raw", "must be a number")
        raw = None
    if verb == "scored":
        if raw is None:
            out.error(f"{path}.score.raw", "a 'scored' statement needs a rubric level")
        elif raw != int(raw) or not RUBRIC_MIN <= raw <= RUBRIC_MAX:
            out.error(f"{path}.score.raw", f"a rubric level is a whole number {RUBRIC_MIN} to "
                                           f"{RUBRIC_MAX}, got {raw}")  # fmt: skip
    elif verb in ("answered", "completed") and success is None:
        out.error(f"{path}.success", f"an '{verb}' statement needs result.success (true/false)")
    return success, None if raw is None else float(raw)


def _parents(context: Any, path: str, out: _Fields) -> tuple[str, ...]:
    activities = out.obj(
        out.obj(context, path, required=False).get("contextActivities"),
        f"{path}.contextActivities",
        required=False,
    )
    parents = activities.get("parent", [])
    if isinstance(parents, dict):
        parents = [parents]
    if not isinstance(parents, list):
        out.error(f"{path}.contextActivities.parent", "must be an activity or a list of them")
        return ()
    return tuple(p["id"] for p in parents if isinstance(p, dict) and isinstance(p.get("id"), str))


def _statement(value: Any, path: str, out: _Fields) -> IncomingStatement | None:
    before = len(out.errors)
    statement = out.obj(value, path)
    if not statement:
        return None
    raw_id = statement.get("id")
    try:
        statement_id = uuid.UUID(raw_id) if raw_id is not None else uuid.uuid4()
    except (TypeError, ValueError, AttributeError):
        out.error(f"{path}.id", "must be a UUID")
        statement_id = uuid.uuid4()
    actor = out.obj(statement.get("actor"), f"{path}.actor")
    if actor.get("objectType", "Agent") != "Agent":
        out.error(f"{path}.actor.objectType", "must be Agent (groups are not learners)")
    account = out.obj(actor.get("account"), f"{path}.actor.account")
    if actor and not isinstance(actor.get("account"), dict):
        out.errors[-1] = InputError(
            out.source,
            "Pathways identifies learners by account (homePage and name), never by e-mail",
            column=f"{path}.actor.account",
        )
    home_page = learner = ""
    if account:
        home_page = out.text(account.get("homePage"), f"{path}.actor.account.homePage")
        learner = out.text(account.get("name"), f"{path}.actor.account.name")
    verb_id = out.text(out.obj(statement.get("verb"), f"{path}.verb").get("id"), f"{path}.verb.id")
    verb = _VERB_NAMES.get(verb_id, "")
    if verb_id and not verb:
        known = ", ".join(sorted(VERBS.values()))
        out.error(f"{path}.verb.id", f"{verb_id!r} is not a verb Pathways records ({known})")
    target = out.obj(statement.get("object"), f"{path}.object")
    if target.get("objectType", "Activity") != "Activity":
        out.error(f"{path}.object.objectType", "must be Activity")
    object_id = out.text(target.get("id"), f"{path}.object.id")
    success, raw = _result(statement.get("result"), f"{path}.result", verb, out)
    parents = _parents(statement.get("context"), f"{path}.context", out)
    moment = _timestamp(statement.get("timestamp"), f"{path}.timestamp", out)
    if len(out.errors) > before:
        return None
    return IncomingStatement(
        path, statement_id, home_page, learner, verb, object_id, parents, success, raw, moment,
        {**statement, "id": str(statement_id)},
    )  # fmt: skip


def parse_statements(payload: Any, source: str = "statements") -> list[IncomingStatement]:
    """One statement (an object) or several (an array); every problem raised at once."""
    out = _Fields(source)
    if isinstance(payload, dict):
        items, paths = [payload], ["$"]
    elif isinstance(payload, list):
        items, paths = payload, [f"$[{i}]" for i in range(len(payload))]
        if not payload:
            out.error("$", "an empty list has no statements")
        if len(payload) > MAX_STATEMENTS:
            out.error("$", f"at most {MAX_STATEMENTS} statements per request")
            items, paths = [], []
    else:
        items, paths = [], []
        out.error("$", "must be a statement (JSON object) or a list of statements")
    # Two statements with one id in a request are recorded in turn: the second is a replay
    # (nothing changes) or a conflict (409), exactly as if they came in two requests.
    parsed = [_statement(item, path, out) for item, path in zip(items, paths, strict=True)]
    if out.errors:
        raise InputErrors(out.errors)
    return [s for s in parsed if s is not None]
