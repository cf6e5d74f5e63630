"""What the public pages show has changed: the one place that says so (docs/performance.md).

Two numbers in the shared cache describe the content. The *content version* moves on every
change; the *removal version* moves only on changes that take something away from readers
(a thread hidden, advice unpublished, a note rejected, a tag or a row deleted). The page
cache may serve the copy from before an ordinary edit for the moment it takes one request
to render the new one, but never a copy from before a removal. Every change is announced
when its transaction commits, by the service that made it or by the model signals wired
here; a block inside one_change() is announced once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from kbapp.models import AdviceEntry, TagStatus

VERSION_KEY = "kb:content-version"
REMOVAL_KEY = "kb:removal-version"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Versions:
    content: int
    removal: int


def _clock() -> int:
    # A clock start, so a flushed cache never hands out a number used before.
    return time.time_ns() // 1_000_000


def read_versions(found: dict | None = None) -> Versions:
    """Both versions, from a get_many the caller already made when it has one."""
    found = found if found is not None else cache.get_many([VERSION_KEY, REMOVAL_KEY])
    content, removal = found.get(VERSION_KEY), found.get(REMOVAL_KEY)
    if content is None or removal is None:
        cache.add(VERSION_KEY, _clock(), None)
        cache.add(REMOVAL_KEY, _clock(), None)
        return read_versions(cache.get_many([VERSION_KEY, REMOVAL_KEY]))
    return Versions(content, removal)


def content_version() -> int:
    return read_versions().content


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _clock(), None)


def bump_content_version(*, removal: bool = True) -> None:
    """Retire every page; with removal, also every copy that may stand in for one."""
    try:
        if removal:
            _bump(REMOVAL_KEY)
        _bump(VERSION_KEY)
    except Exception:  # a cache that cannot be written must not undo a committed write
        log.exception("The content version could not be moved: pages may be stale.")


def bump_after_edit() -> None:
    bump_content_version(removal=False)


@dataclass
class _Batch:
    removes: bool = False


# Inside one_change(): saves are one change, announced once when the block ends.
_batch: ContextVar[_Batch | None] = ContextVar("kb_batched_change", default=None)


def content_changed(*, removes: bool = True) -> None:
    """Pages change when the writing transaction commits, not before. `removes`: the change
    may take something away from readers (the safe default)."""
    batch = _batch.get()
    if batch is not None:
        batch.removes |= removes
    else:
        transaction.on_commit(bump_content_version if removes else bump_after_edit)


@contextmanager
def one_change() -> Iterator[None]:
    """Whatever is saved inside counts as one change: an import writes a thread with its
    replies and tags, a dozen rows, and a file hundreds of threads in one transaction,
    each of which would otherwise queue a bump of its own for the commit (a write to the
    shared cache each). Use it inside the transaction, so the one bump waits for it."""
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    content_changed(removes=batch.removes)


def removes_from_readers(instance) -> bool:
    """Whether a saved row is one readers must no longer see: a hidden thread, advice that
    is not published, a tag or a claim that is not confirmed."""
    if getattr(instance, "is_hidden", False):
        return True
    status = getattr(instance, "status", None)
    if status is None:
        return False
    return status not in (TagStatus.CONFIRMED, AdviceEntry.Status.PUBLISHED)


def _saved(sender, instance, created: bool = False, **_kwargs) -> None:
    # A row readers never saw (a new draft, a new suggestion) takes nothing away.
    content_changed(removes=not created and removes_from_readers(instance))


def _deleted(sender, instance, **_kwargs) -> None:
    content_changed()


def _linked(sender, action: str, **_kwargs) -> None:
    if action.startswith("post_"):
        content_changed(removes=action != "post_add")


def connect_signals(app_config, model_names: tuple[str, ...]) -> None:
    """Saves, deletes and link changes of the models the public pages show announce a change."""
    for name in model_names:
        model = app_config.get_model(name)
        post_save.connect(_saved, sender=model, dispatch_uid=f"pages-{name}-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"pages-{name}-del")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _linked, sender=field.remote_field.through, dispatch_uid=f"pages-{name}-{field}"
            )
