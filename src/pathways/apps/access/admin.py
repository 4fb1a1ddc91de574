"""The access log in the admin: read-only, searchable by student and by account."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from pathways.apps.access.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin[AccessLog]):
    list_display = ["at", "actor", "action", "student", "object_type", "object_id", "channel"]
    list_filter = ["action", "channel"]
    search_fields = ["actor__username", "student__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
