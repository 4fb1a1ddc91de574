"""Standards frameworks (CASE-shaped): items in a hierarchy, associations such as prerequisites."""

from __future__ import annotations

from django.db import models

from pathways.apps.roster.models import Course

# Publisher prefixes dropped when a code is shown (the stored code stays as published).
CODE_PREFIXES = ("CCSS.Math.Content.", "CCSS.ELA-Literacy.")


class Framework(models.Model):
    """A CASE CFDocument, e.g. the Common Core State Standards for Mathematics."""

    identifier = models.CharField(max_length=255, unique=True, help_text="CASE identifier")
    title = models.CharField(max_length=300)
    creator = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=100, blank=True)
    version = models.CharField(max_length=50, blank=True)
    source_uri = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.title


class Standard(models.Model):
    """A CASE CFItem: a domain, cluster, standard or component, placed in the hierarchy."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    identifier = models.CharField(max_length=255, unique=True, help_text="CASE identifier")
    code = models.CharField(max_length=64, blank=True, help_text="humanCodingScheme, e.g. 4.NF.A.1")
    statement = models.TextField()
    item_type = models.CharField(max_length=64, blank=True)
    education_levels = models.JSONField(default=list, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework_id", "position"]
        indexes = [models.Index(fields=["framework", "code"], name="standard_framework_code")]

    def __str__(self) -> str:
        return self.short_code or self.statement[:40]

    @property
    def short_code(self) -> str:
        """The code people say aloud: 'CCSS.Math.Content.4.NF.A.1' is shown as '4.NF.A.1'."""
        for prefix in CODE_PREFIXES:
            if self.code.startswith(prefix):
                return self.code[len(prefix) :]
        return self.code


class Association(models.Model):
    """A CASE CFAssociation between two items. ``precedes`` means origin is a prerequisite."""

    class Kind(models.TextChoices):
        PRECEDES = "precedes", "precedes"
        IS_PEER_OF = "isPeerOf", "is peer of"
        IS_RELATED_TO = "isRelatedTo", "is related to"
        EXACT_MATCH_OF = "exactMatchOf", "exact match of"
        EXEMPLAR = "exemplar", "exemplar"
        HAS_SKILL_LEVEL = "hasSkillLevel", "has skill level"
        IS_PART_OF = "isPartOf", "is part of"
        REPLACED_BY = "replacedBy", "replaced by"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="associations")
    identifier = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    origin = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="outgoing")
    destination = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="incoming")

    class Meta:
        indexes = [models.Index(fields=["kind", "destination"], name="association_kind_dest")]

    def __str__(self) -> str:
        return f"{self.origin} {self.kind} {self.destination}"


class CourseStandard(models.Model):
    """A standard taught in a course, in pacing order."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_standards")
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="courses")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["course_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "standard"], name="course_standard_unique")
        ]

    def __str__(self) -> str:
        return f"{self.course}: {self.standard}"
