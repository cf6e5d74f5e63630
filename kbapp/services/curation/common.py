"""What every curation write shares: errors, permissions, versions, the change log."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from kbapp.content import content_changed
from kbapp.models import Thread

PUBLISH_PERMISSION = "kbapp.publish_adviceentry"


class CurationError(Exception):
    """A write refused for a reason the editor can act on; the message says which."""


class ConcurrentEdit(CurationError):
    """Someone saved the object since this editor loaded it."""


def can_publish(user) -> bool:
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def last_change(obj: Model) -> LogEntry | None:
    """The latest recorded change of obj: who and when, for the lost-update message."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    entries = LogEntry.objects.filter(content_type=content_type, object_id=str(obj.pk))
    return entries.select_related("user").order_by("-action_time", "-pk").first()


def concurrent_edit_message(obj: Model) -> str:
    entry = last_change(obj)
    who = entry.user.get_username() if entry and entry.user else "another editor"
    at = f" at {when(entry.action_time)}" if entry else ""
    return (
        f"{who} changed this {obj._meta.verbose_name}{at}, after you opened it. "
        "Nothing was saved: reload the page to see their changes, then make yours again."
    )


def claim_version(*, model: type[Model], pk: int, expected_version: int) -> int:
    """Atomically move pk from expected_version to the next one, or refuse."""
    claimed = model.objects.filter(pk=pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        raise ConcurrentEdit(concurrent_edit_message(model.objects.get(pk=pk)))
    return expected_version + 1


def save_versioned(*, obj: Model, expected_version: int | None, user) -> Model:
    """Save a new object, or an edited one unless someone saved it since expected_version."""
    with transaction.atomic():
        if obj.pk is not None:
            obj.version = claim_version(
                model=type(obj), pk=obj.pk, expected_version=expected_version
            )
        obj.save()
    return obj


def bump_threads(thread_ids: Iterable[int]) -> None:
    Thread.objects.filter(pk__in=list(thread_ids)).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def log_change(*, user, objects: Iterable[Model], message: str, removes: bool = True) -> None:
    """`removes`: whether the change may take something away from readers (the safe
    default); an edit that only adds or confirms says False, and pages from before it
    may stand in for the moment their new copy takes to render."""
    objects = list(objects)
    # Every curation write ends here, bulk updates included, which no model signal sees.
    content_changed(removes=removes)
    if user is not None and objects:
        LogEntry.objects.log_actions(
            user_id=user.pk, queryset=objects, action_flag=CHANGE, change_message=message
        )


def when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}"
