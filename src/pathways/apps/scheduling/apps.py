from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "pathways.apps.scheduling"
    label = "scheduling"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Scheduling"
