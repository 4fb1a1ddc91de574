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
    """An auto-scored assessment item (multiple choice, numeric or short text)."""

    class Kind(models.TextChoices):
        CHOICE = "choice", "Multiple choice"
        NUMERIC = "numeric", "Numeric"
        TEXT = "text", "Short text"

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="items")
    identifier = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    prompt = models.TextField()
    choices = models.JSONField(default=list, blank=True)
    answer = models.JSONField(help_text="Correct choice, number or list of accepted texts")
    difficulty = models.FloatField(default=0.0, help_text="Relative difficulty, 0 = typical")

    def __str__(self) -> str:
        return self.identifier
