from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "pathways.apps.lti"
    label = "lti"
    verbose_name = "LTI 1.3 (LMS launches and grades)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A finished mastery check queues its score for the LMS gradebook (see services.py).
        from pathways.apps.lti import signals  # noqa: F401
