"""LTI 1.3: the LMS platforms a district registers, our signing keys, launches and grade pass-back.

A launch goes: login initiation (a :class:`LaunchState` row with a random state and nonce, the
state also in a cookie of the browser) -> the platform posts a signed id_token -> we check it
against the :class:`Platform`'s keys and the single-use state -> the LMS person is found through
an :class:`LmsAccount` (iss + sub) and signed in. :class:`ResourceLink` and :class:`LmsContext`
remember what the LMS placed and which class it is; :class:`LineItem` / :class:`GradeTarget` /
:class:`ScoreOutbox` carry mastery-check results back to the gradebook (AGS), durably.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from pathways.apps.activities.models import Activity
from pathways.apps.roster.models import District, Section


class Platform(models.Model):
    """An LMS registration (Canvas, Moodle, Schoology): who may launch Pathways, for a district."""

    name = models.CharField(max_length=200, help_text="e.g. 'Riverbend Canvas'")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="lti_platforms")
    issuer = models.URLField(
        max_length=500, help_text="The platform's iss, e.g. https://canvas.instructure.com"
    )
    client_id = models.CharField(
        max_length=255, help_text="The client id the platform gave Pathways"
    )
    auth_login_url = models.URLField(max_length=500, help_text="OIDC authorization endpoint")
    token_url = models.URLField(
        max_length=500, blank=True, help_text="OAuth2 token endpoint (needed for grades)"
    )
    jwks_url = models.URLField(max_length=500, blank=True, help_text="The platform's public keyset")
    jwks = models.JSONField(
        default=dict, blank=True, help_text="Cached (or pasted) JWKS: {'keys': [...]}"
    )
    jwks_fetched_at = models.DateTimeField(null=True, blank=True)
    deployment_ids = models.JSONField(
        default=list, blank=True, help_text="Deployment ids allowed to launch (a list of strings)"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_platform_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer})"

    def clean(self) -> None:
        problems: dict[str, str] = {}
        if not self.jwks_url and not (isinstance(self.jwks, dict) and self.jwks.get("keys")):
            problems["jwks_url"] = "Give the platform's keyset URL (or paste its JWKS)."
        ids = self.deployment_ids
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
            problems["deployment_ids"] = "A list of one or more deployment ids (strings)."
        if problems:
            raise ValidationError(problems)


class ToolKey(models.Model):
    """One of Pathways' RSA key pairs. The newest active key signs; retired keys stay published for
    a grace period so platforms that cached our JWKS can still check what we signed before."""

    kid = models.CharField(max_length=64, unique=True)
    private_key = models.BinaryField(help_text="PEM, encrypted with a key derived from SECRET_KEY")
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        state = "retired" if self.retired_at else "active"
        return f"tool key {self.kid} ({state})"


class LaunchState(models.Model):
    """The state/nonce pair of one login initiation: used at most once, within minutes."""

    state = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=64, unique=True)
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"launch state {self.state[:8]}..."


class LmsAccount(models.Model):
    """An LMS person (issuer + subject) linked to a Pathways account."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="accounts")
    subject = models.CharField(max_length=255, help_text="The id_token's sub")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lms_accounts"
    )
    matched_by = models.CharField(max_length=32, help_text="How the link was made")
    linked_at = models.DateTimeField(auto_now_add=True)
    last_launch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "subject"], name="lti_account_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.platform.name} -> {self.user}"


class LmsContext(models.Model):
    """An LMS course (context) and, once linked, the Pathways class it is."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="contexts")
    context_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="lms_contexts"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "context_id"], name="lti_context_unique")
        ]

    def __str__(self) -> str:
        return self.title or self.context_id


class ResourceLink(models.Model):
    """A placement of Pathways in the LMS (from a launch or deep linking), maybe of one activity."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="links")
    link_id = models.CharField(max_length=255)
    deployment_id = models.CharField(max_length=255)
    context = models.ForeignKey(
        LmsContext, null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    title = models.CharField(max_length=255, blank=True)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="lms_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "link_id"], name="lti_link_unique")
        ]

    def __str__(self) -> str:
        return self.title or self.link_id


class LineItem(models.Model):
    """An AGS gradebook column, as the launch's endpoint claim named it."""

    link = models.OneToOneField(ResourceLink, on_delete=models.CASCADE, related_name="line_item")
    url = models.URLField(max_length=1000)
    scopes = models.JSONField(default=list)

    def __str__(self) -> str:
        return self.url


class GradeTarget(models.Model):
    """A student launched a graded link: their mastery-check results go to that line item."""

    account = models.ForeignKey(LmsAccount, on_delete=models.CASCADE, related_name="targets")
    line_item = models.ForeignKey(LineItem, on_delete=models.CASCADE, related_name="targets")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "line_item"], name="lti_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account} -> {self.line_item}"


class ScoreOutbox(models.Model):
    """One score waiting to reach (or sent to) the LMS; retried with backoff until it lands."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"

    target = models.ForeignKey(GradeTarget, on_delete=models.CASCADE, related_name="scores")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lms_scores"
    )
    source = models.CharField(max_length=64, help_text="What the score is, e.g. 'check:<uuid>'")
    score_given = models.FloatField()
    score_maximum = models.FloatField()
    comment = models.CharField(max_length=500, blank=True)
    occurred_at = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target", "source"], name="lti_score_once")]

    def __str__(self) -> str:
        return f"{self.source}: {self.score_given}/{self.score_maximum} ({self.state})"
