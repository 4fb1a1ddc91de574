"""Operators' admin for accounts; tokens are visible only as hashes."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Model
from django.http import HttpRequest

from pathways.apps.accounts.models import ApiToken, SignInAttempt, User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Pathways", {"fields": ("sourced_id", "preferred_name", "grade_level")}),
    )
    list_display = ["username", "first_name", "last_name", "grade_level", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email", "sourced_id"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["user", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["user", "key_hash", "created_at", "expires_at", "last_used_at"]
    raw_id_fields = ["user"]


@admin.register(SignInAttempt)
class SignInAttemptAdmin(admin.ModelAdmin[SignInAttempt]):
    list_display = ["username", "address", "channel", "succeeded", "at"]
    list_filter = ["succeeded", "channel"]
    search_fields = ["username"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
