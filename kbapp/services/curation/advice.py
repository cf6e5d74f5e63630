"""Advice entries: content saves with history, the review workflow, revert."""

from __future__ import annotations

from collections.abc import Iterable

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from reversion.models import Version

from kbapp.citations import freeze
from kbapp.models import AdviceEntry, PainLocation, Remedy, Reply
from kbapp.selectors import advice_prefill
from kbapp.services.curation.common import (
    CurationError,
    can_publish,
    claim_version,
    log_change,
    when,
)
from kbapp.services.curation.rules import check_publishable, default_review_due

if not reversion.is_registered(AdviceEntry):
    # Snapshots hold the content fields and the related ids; revert restores them.
    reversion.register(AdviceEntry)

# Advice entries ---------------------------------------------------------------------

CONTENT_FIELDS = ["title", "slug", "summary", "body", "see_a_professional_if", "review_due"]


def _revision(entry: AdviceEntry, *, user, comment: str) -> None:
    """Snapshot entry as it is now (with its relations), for history and revert."""
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(user)
        reversion.set_comment(comment)
        reversion.add_to_revision(entry)


def _guard_published(entry: AdviceEntry, user) -> None:
    if entry.status == AdviceEntry.Status.PUBLISHED and not can_publish(user):
        raise PermissionDenied("Only publishers may change a published advice entry.")


def save_advice(
    *,
    entry: AdviceEntry,
    user,
    locations: Iterable,
    remedies: Iterable,
    sources: Iterable,
    expected_version: int | None = None,
    comment: str = "",
) -> AdviceEntry:
    """Create or update an entry's content; its status only changes through the workflow."""
    with transaction.atomic():
        if entry.pk is None:
            entry.status, entry.published_at, entry.version = AdviceEntry.Status.DRAFT, None, 1
        else:
            current = AdviceEntry.objects.select_for_update().get(pk=entry.pk)
            _guard_published(current, user)
            entry.status, entry.published_at = current.status, current.published_at
            expected = current.version if expected_version is None else expected_version
            entry.version = claim_version(model=AdviceEntry, pk=entry.pk, expected_version=expected)
        entry.save()
        entry.locations.set(locations)
        entry.remedies.set(remedies)
        entry.sources.set(sources)
        if entry.status == AdviceEntry.Status.PUBLISHED:
            # A publisher's save re-approves the entry: the rules hold, the sources re-freeze.
            freeze_sources(entry=entry)
        _revision(entry, user=user, comment=comment or "Saved.")
    return entry


def freeze_sources(*, entry: AdviceEntry) -> None:
    """Check the publishing rules, then snapshot the visible cited replies as they read now."""
    check_publishable(entry)
    cited = entry.sources.filter(thread__is_hidden=False).select_related("thread")
    entry.cited_snapshot = freeze(cited.order_by("thread_id", "position"))
    entry.save(update_fields=["cited_snapshot"])


def create_advice_from_replies(
    *, reply_ids: Iterable[int], user, title: str, slug: str, summary: str, body: str
) -> AdviceEntry:
    """A draft citing these replies, tagged from their evidence or threads."""
    prefill = advice_prefill(reply_ids=reply_ids)
    if not prefill["sources"]:
        raise CurationError("Choose at least one reply to cite.")
    entry = AdviceEntry(
        title=title,
        slug=slug,
        summary=summary,
        body=body,
        see_a_professional_if=prefill["see_a_professional_if"],
        review_due=default_review_due(),
    )
    return save_advice(
        entry=entry,
        user=user,
        comment="Created from replies.",
        sources=prefill["sources"],
        locations=prefill["locations"],
        remedies=prefill["remedies"],
    )


# Workflow: Draft → In review → Published ----------------------------------------------

TRANSITIONS = {
    # to: (allowed from, needs the publish permission)
    AdviceEntry.Status.IN_REVIEW: ({AdviceEntry.Status.DRAFT}, False),
    AdviceEntry.Status.PUBLISHED: ({AdviceEntry.Status.DRAFT, AdviceEntry.Status.IN_REVIEW}, True),
    AdviceEntry.Status.DRAFT: ({AdviceEntry.Status.IN_REVIEW, AdviceEntry.Status.PUBLISHED}, False),
}


def set_status(
    *, entry_id: int, status: str, user, expected_version: int | None = None
) -> AdviceEntry:
    """Move an entry along the workflow; only publishers publish or unpublish."""
    with transaction.atomic():
        entry = AdviceEntry.objects.select_for_update().get(pk=entry_id)
        allowed_from, needs_publisher = TRANSITIONS[AdviceEntry.Status(status)]
        if (needs_publisher or entry.status == AdviceEntry.Status.PUBLISHED) and not can_publish(
            user
        ):
            raise PermissionDenied("Only publishers may publish or unpublish advice.")
        if entry.status not in allowed_from:
            raise CurationError(
                f"An entry that is {entry.get_status_display().lower()} cannot move to "
                f"{AdviceEntry.Status(status).label.lower()}."
            )
        if expected_version is not None:
            claim_version(model=AdviceEntry, pk=entry.pk, expected_version=expected_version)
        else:
            AdviceEntry.objects.filter(pk=entry.pk).update(version=F("version") + 1)
        entry.refresh_from_db(fields=["version"])
        entry.status = status
        if status == AdviceEntry.Status.PUBLISHED:
            entry.published_at = timezone.now()
            freeze_sources(entry=entry)
        else:
            entry.cited_snapshot = None  # unpublished: previews show the live replies again
        entry.save(update_fields=["status", "published_at", "cited_snapshot", "updated_at"])
        label = entry.get_status_display()
        _revision(entry, user=user, comment=f"Status: {label}.")
        published = status == AdviceEntry.Status.PUBLISHED
        log_change(user=user, objects=[entry], message=f"Status: {label}.", removes=not published)
    return entry


def submit_for_review(*, entry_id: int, user, expected_version: int | None = None):
    return set_status(
        entry_id=entry_id,
        status=AdviceEntry.Status.IN_REVIEW,
        user=user,
        expected_version=expected_version,
    )


def publish(*, entry_id: int, user, expected_version: int | None = None) -> AdviceEntry:
    return set_status(
        entry_id=entry_id,
        status=AdviceEntry.Status.PUBLISHED,
        user=user,
        expected_version=expected_version,
    )


def revert_advice(*, entry_id: int, version_id: int, user, expected_version: int) -> AdviceEntry:
    """Restore an earlier snapshot's content; the workflow status stays as it is."""
    with transaction.atomic():
        entry = AdviceEntry.objects.select_for_update().get(pk=entry_id)
        _guard_published(entry, user)
        version = (
            Version.objects.get_for_object(entry).select_related("revision").get(pk=version_id)
        )
        snapshot = version.field_dict
        for name in CONTENT_FIELDS:
            setattr(entry, name, snapshot[name])
        if AdviceEntry.objects.filter(slug=entry.slug).exclude(pk=entry.pk).exists():
            raise CurationError(f"Another entry now uses the slug “{entry.slug}”.")
        message = f"Reverted to the version of {when(version.revision.date_created)}."
        save_advice(
            entry=entry,
            user=user,
            expected_version=expected_version,
            comment=message,
            locations=_existing(PainLocation, snapshot.get("locations", [])),
            remedies=_existing(Remedy, snapshot.get("remedies", [])),
            sources=_existing(Reply, snapshot.get("sources", [])),
        )
        log_change(user=user, objects=[entry], message=message)
    return entry


def _existing(model: type[Model], pks: Iterable) -> list[int]:
    """Related rows a snapshot names that still exist (a cited reply may have been merged)."""
    return list(model.objects.filter(pk__in=list(pks)).values_list("pk", flat=True))
