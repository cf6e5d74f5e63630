from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KbappConfig(AppConfig):
    name = "kbapp"
    verbose_name = "Knowledge base"
    default_auto_field = "django.db.models.BigAutoField"

    # What the public pages show; a write to any of them retires the cached pages.
    CONTENT_MODELS = (
        "PainLocation",
        "Remedy",
        "RedFlag",
        "Thread",
        "Reply",
        "ThreadLocation",
        "ThreadRemedy",
        "Evidence",
        "AdviceEntry",
    )

    def ready(self) -> None:
        from kbapp.content import connect_signals
        from kbapp.search.schema.checks import repair_search_triggers

        post_migrate.connect(repair_search_triggers, sender=self)
        connect_signals(self, self.CONTENT_MODELS)
