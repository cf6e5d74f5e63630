"""The content version: one number that changes whenever what the public sees changes.

Cached results are stored with the version they were computed at, so a change (an import,
an edit, hiding or deleting a thread, publishing advice) retires all of them at once, once
its transaction commits. Kept in Django's cache, so every process and host sees the same
number.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "kb:content-version"


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A clock start, so a flushed cache never hands out a number used before.
        cache.add(VERSION_KEY, time.time_ns() // 1_000_000, None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns() // 1_000_000, None)


def content_changed(**_kwargs) -> None:
    """Signal receiver too: content changes when the writing transaction commits."""
    transaction.on_commit(bump_content_version)


def watch_models() -> None:
    """Saves and deletes of what search shows; bulk writes call content_changed()."""
    from kbapp import models

    watched = ("Thread", "Reply", "ThreadLocation", "ThreadRemedy", "AdviceEntry")
    for model in (getattr(models, name) for name in (*watched, "PainLocation", "Remedy")):
        name = model._meta.model_name
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content-{name}-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-{name}-del")
