from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KbappConfig(AppConfig):
    name = "kbapp"
    verbose_name = "Knowledge base"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kbapp.search.schema.checks import repair_search_triggers

        post_migrate.connect(repair_search_triggers, sender=self)
