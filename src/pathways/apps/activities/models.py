"""The activity library and the item bank, each aligned to standards."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pathways.apps.roster.models import District
from pathways.apps.standards.models import Standard


class Modality(models.TextChoices):
    TEACHER_LED = "teacher_led", "Teacher-led small group"
    COLLABORATIVE = "collaborative", "Collaborative (peer table)"
    INDEPENDENT = "independent", "Independent practice"
    ADAPTIVE = "adaptive", "Adaptive software"
    FLIPPED_VIDEO = "flipped_video", "Flipped video"
    PROJECT = "project", "Project"
    SERVICE = "service", "Internship / service learning"


class BloomLevel(models.IntegerChoices):
    REMEMBER = 1, "Remember"
    UNDERSTAND = 2, "Understand"
    APPLY = 3, "Apply"
    ANALYZE = 4, "Analyze"
    EVALUATE = 5, "Evaluate"
    CREATE = 6, "Create"


class Activity(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    modality = models.CharField(max_length=16, choices=Modality.choices)
    bloom_level = models.PositiveSmallIntegerField(choices=BloomLevel.choices)
    duration_minutes = models.PositiveSmallIntegerField()
    materials = models.TextField(blank=True)
    interest_tags = models.JSONField(default=list, blank=True)
    standards = models.ManyToManyField(Standard, related_name="activities")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """An assessment item: auto-scored (choice, multiple response, numeric, short text) or
    scored by a teacher with a rubric (extended text)."""

    class Kind(models.TextChoices):
        CHOICE = "choice", "Multiple choice"
        NUMERIC = "numeric", "Numeric"
        TEXT = "text", "Short text"
        MULTIPLE = "multiple", "Multiple response"
        EXTENDED = "extended", "Extended text (rubric-scored)"

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="items")
    identifier = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200, blank=True)
    prompt = models.TextField()
    choices = models.JSONField(default=list, blank=True)
    answer = models.JSONField(
        help_text="Correct choice, number or list of accepted texts (or of correct choices); "
        "empty for rubric-scored items"
    )
    difficulty = models.FloatField(default=0.0, help_text="Relative difficulty, 0 = typical")
    source = models.CharField(
        max_length=500, blank=True, help_text="Where the item came from, e.g. a QTI file"
    )
    details = models.JSONField(
        default=dict,
        blank=True,
        help_text="Format details: QTI choice ids, partial credit, case sensitivity, rubric",
    )

    #: Kinds the student item player shows (practice and mastery checks): every auto-scored
    #: kind. Extended text waits for a teacher's rubric score, so the player never draws it.
    PLAYER_KINDS = (Kind.CHOICE, Kind.NUMERIC, Kind.TEXT, Kind.MULTIPLE)
    #: Kinds scored on the server without a teacher.
    AUTO_SCORED_KINDS = (Kind.CHOICE, Kind.NUMERIC, Kind.TEXT, Kind.MULTIPLE)

    def __str__(self) -> str:
        return self.identifier
