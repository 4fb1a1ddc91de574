"""The REST API, version 1, mounted at /api/v1 (OpenAPI document at /api/v1/openapi.json)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

import pathways
from pathways.api.v1 import (
    audit,
    auth,
    choices,
    classroom,
    corrections,
    innovation,
    innovation_goals,
    innovation_practice,
    learning,
    library,
    people,
    profiles,
    schedules,
    xapi,
)
from pathways.apps.access.policy import NotFound
from pathways.engines.errors import InputError

api = NinjaAPI(
    title="Pathways API",
    version=f"1 ({pathways.__version__})",
    description="Personalized learning for K-12 schools. Every endpoint applies the same access "
    "policy as the web pages: a record you may not see answers 404, exactly like a missing one.",
    auth=auth.BearerToken(),
    urls_namespace="api-v1",
    docs_url="/docs",
)
api.add_router("/auth", auth.router)
api.add_router("", people.router)
api.add_router("", learning.router)
api.add_router("", audit.router)
api.add_router("", schedules.router)
api.add_router("", innovation.router)
# Observations, design competitions and communities of practice (issue 8).
api.add_router("", innovation_practice.router)
api.add_router("", innovation_goals.router)
# The daily loop (issue 5) and correction requests (issue 9).
api.add_router("", classroom.router)
api.add_router("", library.router)
api.add_router("", choices.router)
api.add_router("", profiles.router)
api.add_router("", corrections.router)
# xAPI statements from outside tools (issue 10).
api.add_router("", xapi.router)


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(InputError)
def bad_input(request: HttpRequest, exc: InputError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)
