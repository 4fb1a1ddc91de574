"""What we believe each student knows: per-standard estimates and the parameters behind them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pathways.apps.standards.models import Standard


class CalibrationRun(models.Model):
    """One refit of the knowledge-tracing parameters from the district's own evidence."""

    model = models.CharField(max_length=32)
    executor = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    n_responses = models.PositiveIntegerField()
    n_students = models.PositiveIntegerField()
    n_skills = models.PositiveIntegerField(help_text="Standards with enough evidence to fit")
    auc = models.FloatField(null=True, help_text="In-sample AUC of p_correct")
    log_loss = models.FloatField(null=True, help_text="In-sample log loss of p_correct")

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.model} on {self.n_responses} responses ({self.finished_at:%Y-%m-%d})"


class SkillParameters(models.Model):
    """Calibrated knowledge-tracing parameters of one standard (defaults until calibrated)."""

    standard = models.OneToOneField(Standard, on_delete=models.CASCADE, related_name="parameters")
    p_init = models.FloatField()
    p_learn = models.FloatField()
    p_slip = models.FloatField()
    p_guess = models.FloatField()
    p_forget = models.FloatField(default=0.0)
    n_responses = models.PositiveIntegerField(default=0, help_text="Responses used to fit")
    fitted_at = models.DateTimeField(null=True, blank=True)
    run = models.ForeignKey(
        CalibrationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="parameters"
    )

    class Meta:
        verbose_name_plural = "skill parameters"

    def __str__(self) -> str:
        return f"parameters of {self.standard}"


class MasteryEstimate(models.Model):
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mastery_estimates"
    )
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="estimates")
    p_mastery = models.FloatField()
    n_evidence = models.PositiveIntegerField(default=0)
    n_correct = models.PositiveIntegerField(default=0)
    mastered_at = models.DateTimeField(null=True, blank=True)
    last_evidence_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "standard"], name="estimate_unique"),
            models.CheckConstraint(
                condition=models.Q(p_mastery__gte=0.0, p_mastery__lte=1.0),
                name="estimate_probability",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} on {self.standard_id}: {self.p_mastery:.2f}"
