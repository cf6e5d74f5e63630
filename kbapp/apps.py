from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


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
        from kbapp.pagecache import content_changed
        from kbapp.search.schema.checks import repair_search_triggers

        post_migrate.connect(repair_search_triggers, sender=self)

        for name in self.CONTENT_MODELS:
            model = self.get_model(name)
            post_save.connect(content_changed, sender=model, dispatch_uid=f"pages-{name}-save")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"pages-{name}-del")
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    content_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"pages-{name}-{field.name}",
                )
