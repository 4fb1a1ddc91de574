"""A school's resources for the flexible day and the daily schedules built from them.

Modality codes are the scheduling engine's (``shared/specs/schedule-format.md``): TL teacher-led
small group, PC peer table, IP independent practice, AS adaptive software, VT virtual tutor,
PW supervised project work.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pathways.apps.roster.models import School
from pathways.apps.standards.models import Standard


class Modality(models.TextChoices):
    TEACHER_LED = "TL", "Teacher-led small group"
    PEER_TABLE = "PC", "Peer table"
    INDEPENDENT = "IP", "Independent practice"
    ADAPTIVE = "AS", "Adaptive software"
    VIRTUAL_TUTOR = "VT", "Virtual tutor"
    PROJECT = "PW", "Project work"


class Block(models.Model):
    """One block (session) of the school's flexible time, in order."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveSmallIntegerField(help_text="0 for the first block of the day")
    label = models.CharField(max_length=64)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["school_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["school", "position"], name="block_unique_position"),
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="block_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.starts:%H:%M}-{self.ends:%H:%M})"


class Station(models.Model):
    """A room or a corner of one, hosting one modality.

    ``capacity`` is the number of seats (``seats`` and ``supervised`` modalities) or the largest
    group (teacher-led groups, peer tables); ``tables`` is how many peer tables it holds.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="stations")
    name = models.CharField(max_length=100)
    modality = models.CharField(max_length=2, choices=Modality.choices)
    capacity = models.PositiveSmallIntegerField()
    tables = models.PositiveSmallIntegerField(default=0, help_text="Peer tables only")
    min_group = models.PositiveSmallIntegerField(
        default=0, help_text="Smallest group (teacher-led groups and peer tables)"
    )

    class Meta:
        ordering = ["school_id", "modality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="station_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class DevicePool(models.Model):
    """Devices (laptops, tablets) shared by the modalities that need one."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="device_pools")
    name = models.CharField(max_length=100)
    devices = models.PositiveSmallIntegerField()
    modalities = models.JSONField(default=list, help_text="Modality codes that use a device")

    def __str__(self) -> str:
        return f"{self.name} ({self.devices})"


class Licence(models.Model):
    """Seats of a software product (adaptive software, virtual tutor) usable at the same time."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="licences")
    product = models.CharField(max_length=100)
    modality = models.CharField(max_length=2, choices=Modality.choices)
    seats = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.product}: {self.seats} seats"


class TeacherAvailability(models.Model):
    """A teacher who leads groups or supervises in the school's flexible blocks."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="availabilities")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availabilities"
    )
    band = models.PositiveSmallIntegerField(help_text="Grade band: 0 K-2, 1 grades 3-5, 2 6-8")
    blocks = models.JSONField(default=list, help_text="Positions of the blocks they can take")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "teacher"], name="availability_unique"),
            models.CheckConstraint(condition=models.Q(band__lte=2), name="availability_band"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} at {self.school}"


class DailySchedule(models.Model):
    """Where every student goes in every block of one day at one school."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="schedules")
    day = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    objective = models.FloatField()
    bound = models.FloatField(null=True, blank=True, help_text="LP-relaxation bound")
    gap = models.FloatField(null=True, blank=True, help_text="(bound - objective) / bound")
    method = models.CharField(max_length=64)
    seconds = models.FloatField(help_text="Solve time")
    instance = models.JSONField(help_text="The engine instance it was solved from")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty: the nightly job",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    moves = models.PositiveIntegerField(default=0, help_text="Students moved by hand")

    class Meta:
        ordering = ["-day", "school_id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "day"], name="schedule_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.school} on {self.day} ({self.status})"

    @property
    def gap_percent(self) -> float | None:
        """The gap to the LP bound in percent (never below 0: the bound is an upper bound)."""
        return None if self.gap is None else max(0.0, 100.0 * self.gap)


class ScheduleGroup(models.Model):
    """A place in one block: a teacher-led group, a peer table, seats at a station, project work."""

    schedule = models.ForeignKey(DailySchedule, on_delete=models.CASCADE, related_name="groups")
    key = models.CharField(max_length=32, help_text="The engine's group id")
    block = models.PositiveSmallIntegerField()
    modality = models.CharField(max_length=2, choices=Modality.choices)
    station = models.ForeignKey(
        Station, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leader of a teacher-led group",
    )
    supervisors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    standard = models.ForeignKey(
        Standard,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Anchor of a teacher-led group or skill of a peer table",
    )

    class Meta:
        ordering = ["block", "modality", "key"]
        constraints = [models.UniqueConstraint(fields=["schedule", "key"], name="group_unique_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.get_modality_display()}, block {self.block}"


class ScheduleAssignment(models.Model):
    """One student in one block: modality, standard, group and station."""

    schedule = models.ForeignKey(
        DailySchedule, on_delete=models.CASCADE, related_name="assignments"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule_assignments"
    )
    block = models.PositiveSmallIntegerField()
    modality = models.CharField(max_length=2, choices=Modality.choices)
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(ScheduleGroup, on_delete=models.CASCADE, related_name="assignments")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    station = models.ForeignKey(
        Station, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["block", "student_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "student", "block"], name="assignment_one_place_per_block"
            )
        ]
        indexes = [models.Index(fields=["student", "block"], name="assignment_student_block")]

    def __str__(self) -> str:
        return f"{self.student_id} in block {self.block}: {self.modality}"


class ResourceChange(models.Model):
    """Who changed which of a school's scheduling resources, when, and from what to what.

    Append-only: the resource pages list the latest changes, so a surprising schedule can be
    traced to the capacity or availability that shaped it.
    """

    class Kind(models.TextChoices):
        BLOCKS = "blocks", "Blocks"
        STATION = "station", "Station"
        DEVICES = "devices", "Devices"
        LICENCE = "licence", "Licence"
        TEACHER = "teacher", "Teacher availability"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="resource_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    subject = models.CharField(max_length=120, help_text="The station, product, teacher, ...")
    summary = models.CharField(max_length=500, help_text="What changed: 'capacity 30 -> 12'")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["school", "at"], name="resourcechange_school_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}: {self.summary}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("resource changes are append-only")
        super().save(*args, **kwargs)
