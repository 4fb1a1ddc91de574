from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "pathways.apps.profiles"
    label = "profiles"
    default_auto_field = "django.db.models.BigAutoField"
