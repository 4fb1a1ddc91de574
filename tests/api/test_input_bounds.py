"""Every number and text a client sends is bounded in the published schema, so input the database
cannot hold (a 20-digit id, an over-long title on PostgreSQL) is refused as invalid (422) rather
than failing inside the database driver (500). Found twice by schemathesis before this test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

OPENAPI = Path(__file__).parents[2] / "docs" / "api" / "openapi.json"
INT64 = 9_223_372_036_854_775_807


def _inputs() -> Iterator[tuple[str, dict]]:
    doc = json.loads(OPENAPI.read_text())
    components = doc["components"]["schemas"]

    def walk(schema: dict, where: str) -> Iterator[tuple[str, dict]]:
        while "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        for key in ("anyOf", "oneOf", "allOf"):
            for option in schema.get(key, []):
                yield from walk(option, where)
        if schema.get("type") == "array":
            yield from walk(schema.get("items", {}), f"{where}[]")
        for name, prop in schema.get("properties", {}).items():
            yield from walk(prop, f"{where}.{name}")
        if schema.get("type") in ("integer", "string"):
            yield where, schema

    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            name = f"{method.upper()} {path}"
            for parameter in op.get("parameters", []):
                yield from walk(parameter["schema"], f"{name} {parameter['name']}")
            for content in op.get("requestBody", {}).get("content", {}).values():
                yield from walk(content["schema"], f"{name} body")


def test_every_integer_a_client_sends_fits_the_database() -> None:
    unbounded = [
        where
        for where, schema in _inputs()
        if schema.get("type") == "integer"
        and "enum" not in schema
        and not (
            schema.get("minimum", -INT64 - 2) >= -INT64 - 1
            and schema.get("maximum", INT64 + 1) <= INT64
        )
    ]
    assert unbounded == []


def test_every_text_a_client_sends_has_a_length_limit() -> None:
    unbounded = [
        where
        for where, schema in _inputs()
        if schema.get("type") == "string"
        and "enum" not in schema
        and "maxLength" not in schema
        and schema.get("format") not in ("uuid", "date", "date-time", "binary")
    ]
    assert unbounded == []
