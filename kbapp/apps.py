from django.apps import AppConfig


class KbappConfig(AppConfig):
    name = "kbapp"
    verbose_name = "Knowledge base"
    default_auto_field = "django.db.models.BigAutoField"
