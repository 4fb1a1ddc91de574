"""Operators' admin: register LMS platforms, link LMS people and courses, watch the score outbox.

Tool keys are listed without their private half (it is never shown, only the public JWK).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from pathways.apps.lti.models import (
    LmsAccount,
    LmsContext,
    Platform,
    ResourceLink,
    ScoreOutbox,
    ToolKey,
)


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin[Platform]):
    list_display = ["name", "issuer", "client_id", "district", "active"]
    list_filter = ["active", "district"]
    search_fields = ["name", "issuer", "client_id"]
    readonly_fields = ["jwks_fetched_at", "created_at"]


@admin.register(ToolKey)
class ToolKeyAdmin(admin.ModelAdmin[ToolKey]):
    list_display = ["kid", "created_at", "retired_at"]
    fields = ["kid", "public_jwk", "created_at", "retired_at"]
    readonly_fields = ["kid", "public_jwk", "created_at", "retired_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are made by `pathways lti rotate-key`, never typed in


@admin.register(LmsAccount)
class LmsAccountAdmin(admin.ModelAdmin[LmsAccount]):
    list_display = ["subject", "platform", "user", "matched_by", "last_launch_at"]
    list_filter = ["platform", "matched_by"]
    search_fields = ["subject", "user__username"]
    raw_id_fields = ["user"]


@admin.register(LmsContext)
class LmsContextAdmin(admin.ModelAdmin[LmsContext]):
    list_display = ["title", "context_id", "platform", "section"]
    list_filter = ["platform"]
    raw_id_fields = ["section"]


@admin.register(ResourceLink)
class ResourceLinkAdmin(admin.ModelAdmin[ResourceLink]):
    list_display = ["title", "link_id", "platform", "activity"]
    list_filter = ["platform"]
    raw_id_fields = ["activity", "context"]


@admin.register(ScoreOutbox)
class ScoreOutboxAdmin(admin.ModelAdmin[ScoreOutbox]):
    list_display = ["source", "student", "score_given", "score_maximum", "state", "attempts"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in ScoreOutbox._meta.fields]
