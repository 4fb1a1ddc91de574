from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pathways.apps.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from pathways.apps.accounts.middleware import remember_sign_in

        user_logged_in.connect(remember_sign_in, dispatch_uid="pathways-remember-sign-in")
