from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "pathways.apps.evidence"
    label = "evidence"
    default_auto_field = "django.db.models.BigAutoField"
