from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "pathways.apps.innovation"
    label = "innovation"
    verbose_name = "System for innovation"
    default_auto_field = "django.db.models.BigAutoField"
