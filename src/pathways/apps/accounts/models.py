"""People who sign in, their API tokens and sign-in attempts. Roles live in roster memberships."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Anyone who signs in: student, guardian, teacher, coach, principal or district staff.

    What a person may do comes from their memberships, enrollments and guardianships (roster app),
    never from flags on this row. ``is_staff``/``is_superuser`` are for operators of the platform.
    """

    sourced_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True, help_text="OneRoster sourcedId"
    )
    preferred_name = models.CharField(max_length=150, blank=True)
    grade_level = models.CharField(
        max_length=8, blank=True, help_text="OneRoster grade code for students, e.g. '04'"
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    @property
    def display_name(self) -> str:
        given = self.preferred_name or self.first_name
        full = f"{given} {self.last_name}".strip()
        return full or self.username

    def __str__(self) -> str:
        return self.display_name


def hash_token(token: str) -> str:
    """Tokens are stored only as SHA-256 digests: a database leak does not leak sign-ins."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API, issued at sign-in and revoked at sign-out or expiry."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_revoked")]

    def __str__(self) -> str:
        return f"token of {self.user} (created {self.created_at:%Y-%m-%d})"


class SignInAttempt(models.Model):
    """One sign-in attempt; failures within a window pause further attempts (no permanent lock)."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=[("web", "web"), ("api", "api")])
    succeeded = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "at"], name="signin_username_at")]

    def __str__(self) -> str:
        outcome = "ok" if self.succeeded else "failed"
        return f"{self.username} {outcome} at {self.at:%Y-%m-%d %H:%M}"
