"""xAPI 1.0.3 statements from Pathways evidence, and the comparison the spec asks for.

Privacy: the actor is an ``account`` (the district's Pathways address and an opaque, random,
stable learner id). Names, e-mail addresses and roster ids are never put in a statement, and
neither is what the student wrote (``result.response``): the LRS learns who (pseudonymously),
what standard, which item, the score and when.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

__all__ = [
    "KIND_VERBS",
    "VERBS",
    "XAPI_VERSION",
    "EvidenceFacts",
    "build_statement",
    "canonical",
    "competency_uri",
    "item_uri",
    "same_statement",
]

XAPI_VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
#: ADL verbs Pathways sends and accepts, by short name.
VERBS: dict[str, str] = {
    name: ADL + name for name in ("answered", "completed", "scored", "passed", "failed")
}
#: The verb each kind of evidence is sent with.
KIND_VERBS = {
    "item_response": "answered",
    "mastery_check": "answered",
    "exit_ticket": "completed",
    "rubric": "scored",
}
RUBRIC_MIN, RUBRIC_MAX, RUBRIC_PROFICIENT = 1, 4, 3
_OBJECTIVE = "http://adlnet.gov/expapi/activities/objective"
_INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
_ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
_SECTION = "http://adlnet.gov/expapi/activities/course"
_CASE_DOCUMENT = re.compile(r"/CF(?:Documents|Packages)/[^/]+/?$")
_INTERACTION_TYPES = {
    "choice": "choice",
    "multiple": "choice",
    "numeric": "numeric",
    "text": "fill-in",
    "extended": "long-fill-in",
}


def competency_uri(
    home_page: str, standard_identifier: str, framework_identifier: str, framework_uri: str
) -> str:
    """The standard's CASE URI when the framework's URI shows its CASE server, else ours.

    Example:
        >>> competency_uri("https://p.example", "b1", "d1", "https://case.example/ims/case/v1p0/CFDocuments/d1")
        'https://case.example/ims/case/v1p0/CFItems/b1'
        >>> competency_uri("https://p.example", "b1", "d1", "https://opensalt.net/uri/d1")
        'https://opensalt.net/uri/b1'
        >>> competency_uri("https://p.example/", "b1", "d1", "")
        'https://p.example/competencies/b1'
    """
    item = quote(standard_identifier, safe="")
    uri = framework_uri.strip()
    if uri.startswith(("http://", "https://")):
        if _CASE_DOCUMENT.search(uri):
            return _CASE_DOCUMENT.sub(f"/CFItems/{item}", uri)
        if framework_identifier and uri.rstrip("/").endswith("/" + framework_identifier):
            return uri.rstrip("/")[: -len(framework_identifier)] + item
    return f"{home_page.rstrip('/')}/competencies/{item}"


def item_uri(home_page: str, identifier: str) -> str:
    return f"{home_page.rstrip('/')}/items/{quote(identifier, safe='')}"


@dataclass(frozen=True)
class EvidenceFacts:
    """Everything a statement says about one piece of evidence (no names, no free text)."""

    evidence_id: str
    kind: str
    occurred_at: datetime
    home_page: str
    learner: str
    competency_id: str
    competency_code: str
    competency_statement: str
    correct: bool | None = None
    rubric_level: int | None = None
    item_identifier: str = ""
    item_kind: str = ""
    section_id: str = ""
    section_name: str = ""


def _activity(identifier: str, kind: str, name: str, description: str = "") -> dict[str, Any]:
    definition: dict[str, Any] = {"type": kind}
    if name:
        definition["name"] = {"en-US": name}
    if description:
        definition["description"] = {"en-US": description}
    return {"objectType": "Activity", "id": identifier, "definition": definition}


def _result(facts: EvidenceFacts) -> dict[str, Any]:
    if facts.rubric_level is not None:
        level = facts.rubric_level
        return {
            "score": {
                "scaled": round(level / RUBRIC_MAX, 4),
                "raw": level,
                "min": RUBRIC_MIN,
                "max": RUBRIC_MAX,
            },
            "success": level >= RUBRIC_PROFICIENT,
            "completion": True,
        }
    correct = bool(facts.correct)
    return {
        "score": {"scaled": 1.0 if correct else 0.0, "raw": int(correct), "min": 0, "max": 1},
        "success": correct,
        "completion": True,
    }


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def build_statement(facts: EvidenceFacts) -> dict[str, Any]:
    """The xAPI 1.0.3 statement for one piece of evidence; its id is the evidence id.

    Example:
        >>> from datetime import datetime, UTC
        >>> s = build_statement(EvidenceFacts(
        ...     "5f1d2c3a-6b7e-4f80-9a1b-2c3d4e5f6a7b", "rubric", datetime(2026, 11, 2, tzinfo=UTC),
        ...     "https://p.example", "x-1", "https://p.example/competencies/b1", "4.NF.A.1", "",
        ...     rubric_level=3))
        >>> s["verb"]["id"], s["timestamp"]
        ('http://adlnet.gov/expapi/verbs/scored', '2026-11-02T00:00:00.000Z')
        >>> s["result"]["score"], s["result"]["success"]
        ({'scaled': 0.75, 'raw': 3, 'min': 1, 'max': 4}, True)
    """
    verb = KIND_VERBS[facts.kind]
    competency = _activity(
        facts.competency_id, _OBJECTIVE, facts.competency_code, facts.competency_statement
    )
    context: dict[str, Any] = {"platform": "Pathways", "language": "en-US"}
    activities: dict[str, list[dict[str, Any]]] = {}
    if facts.item_identifier:
        obj = _activity(item_uri(facts.home_page, facts.item_identifier), _INTERACTION, "")
        obj["definition"]["interactionType"] = _INTERACTION_TYPES.get(facts.item_kind, "other")
        activities["parent"] = [competency]
    else:
        obj = competency
    if facts.kind == "mastery_check":
        activities["category"] = [_activity(f"{facts.home_page.rstrip('/')}/mastery-check",
                                            _ASSESSMENT, "Mastery check")]  # fmt: skip
    if facts.section_id:
        activities["grouping"] = [_activity(facts.section_id, _SECTION, facts.section_name)]
    if activities:
        context["contextActivities"] = activities
    return {
        "id": facts.evidence_id,
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": facts.home_page, "name": facts.learner},
        },
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": obj,
        "result": _result(facts),
        "context": context,
        "timestamp": _timestamp(facts.occurred_at),
        "version": XAPI_VERSION,
    }


_IGNORED = {"authority", "stored", "version"}


def canonical(statement: dict[str, Any]) -> dict[str, Any]:
    """A statement as the spec compares it: no ``authority``, ``stored`` or ``version``, the id
    lower-cased, the timestamp as one instant (the same moment written differently is equal)."""
    out = {k: v for k, v in statement.items() if k not in _IGNORED}
    if isinstance(out.get("id"), str):
        out["id"] = out["id"].lower()
    stamp = out.get("timestamp")
    if isinstance(stamp, str):
        with contextlib.suppress(ValueError):
            out["timestamp"] = _timestamp(datetime.fromisoformat(stamp.replace("Z", "+00:00")))
    return out


def same_statement(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return canonical(a) == canonical(b)
