"""xAPI 1.0.3 without Django: statements from evidence, statements sent to us, and an LRS client.

See ``docs/integrations.md`` ("xAPI and a learning record store") for what is sent and what not.
"""

from pathways.interop.xapi._client import LrsClient, LrsError, LrsResponse
from pathways.interop.xapi._incoming import MAX_STATEMENTS, IncomingStatement, parse_statements
from pathways.interop.xapi._statements import (
    KIND_VERBS,
    VERBS,
    XAPI_VERSION,
    EvidenceFacts,
    build_statement,
    canonical,
    competency_uri,
    item_uri,
    same_statement,
)

__all__ = [
    "KIND_VERBS",
    "MAX_STATEMENTS",
    "VERBS",
    "XAPI_VERSION",
    "EvidenceFacts",
    "IncomingStatement",
    "LrsClient",
    "LrsError",
    "LrsResponse",
    "build_statement",
    "canonical",
    "competency_uri",
    "item_uri",
    "parse_statements",
    "same_statement",
]
