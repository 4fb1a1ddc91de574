from django.apps import AppConfig


class XapiConfig(AppConfig):
    name = "pathways.apps.xapi"
    label = "xapi"
    verbose_name = "xAPI (learning record store)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Recorded evidence queues its statement in the same transaction (see signals.py).
        from pathways.apps.xapi import signals  # noqa: F401
