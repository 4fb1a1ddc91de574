"""Operators' view of LRS connections and the outbox (secrets are never shown)."""

from django.contrib import admin

from pathways.apps.xapi.models import LrsConnection, OutboxEntry


@admin.register(LrsConnection)
class LrsConnectionAdmin(admin.ModelAdmin[LrsConnection]):
    list_display = ["district", "endpoint", "key", "active", "batch_size"]
    exclude = ["secret_encrypted"]  # set with `pathways xapi connect`


@admin.register(OutboxEntry)
class OutboxEntryAdmin(admin.ModelAdmin[OutboxEntry]):
    list_display = ["evidence_id", "connection", "attempts", "sent_at", "next_attempt_at"]
    list_filter = ["sent_at"]
    readonly_fields = ["evidence", "connection", "attempts", "last_error", "sent_at"]
