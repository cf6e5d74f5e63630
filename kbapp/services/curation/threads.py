"""Threads: tags, confirming suggestions, hiding; evidence on replies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from kbapp.content import one_change
from kbapp.models import (
    Evidence,
    Reply,
    TagStatus,
    Thread,
    ThreadLocation,
    ThreadRemedy,
)
from kbapp.services.curation.common import (
    CurationError,
    bump_threads,
    claim_version,
    log_change,
    save_versioned,
)

# Threads: tags, confirmation, hiding ------------------------------------------------


def save_thread(*, thread: Thread, expected_version: int, user) -> Thread:
    """Save an edited thread, unless someone else saved it since expected_version."""
    return save_versioned(obj=thread, expected_version=expected_version, user=user)


def save_reply(*, reply: Reply, expected_thread_version: int, user) -> Reply:
    """Save an edited reply; it claims its thread's version, as the thread form would."""
    with transaction.atomic(), one_change():
        claim_version(model=Thread, pk=reply.thread_id, expected_version=expected_thread_version)
        reply.save()
    return reply


def save_thread_rows(*, rows: Iterable, deleted: Iterable, user) -> None:
    """Tags and reply text edited on a thread's page; the thread's save already claimed it."""
    with transaction.atomic(), one_change():
        for row in rows:
            row.save()
        for row in deleted:
            row.delete()


def _confirm_tags(model, field: str, threads: list[Thread], ids: Iterable[int]) -> None:
    """Each thread tagged with each id, confirmed, whether or not it was suggested before."""
    ids = list(ids)
    rows = [
        model(thread=t, **{f"{field}_id": pk}, status=TagStatus.CONFIRMED)
        for t in threads
        for pk in ids
    ]
    model.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["thread", field], update_fields=["status"]
    )


def add_tags(*, thread_ids: Iterable[int], user, location_ids=(), remedy_ids=()) -> int:
    """Tag threads; an editor's tag is confirmed, and confirms a suggested one."""
    with transaction.atomic():
        threads = list(Thread.objects.filter(pk__in=list(thread_ids)))
        _confirm_tags(ThreadLocation, "location", threads, location_ids)
        _confirm_tags(ThreadRemedy, "remedy", threads, remedy_ids)
        bump_threads(t.pk for t in threads)
        log_change(user=user, objects=threads, message="Added tags.", removes=False)
    return len(threads)


@dataclass(frozen=True)
class Confirmed:
    threads: int
    tags: int
    evidence: int

    def __str__(self) -> str:
        return (
            f"{self.tags} tag(s) and {self.evidence} evidence confirmed on {self.threads} thread(s)"
        )


@dataclass(frozen=True)
class Picked:
    """The suggestions an editor left ticked: row ids of each kind; None means all of them."""

    locations: list[int] | None = None
    remedies: list[int] | None = None
    evidence: list[int] | None = None


def only_picked(qs, ids: list[int] | None):
    return qs if ids is None else qs.filter(pk__in=ids)


def confirm_suggestions(*, thread_ids: Iterable[int], user, picked: Picked = Picked()) -> Confirmed:
    """Confirm the suggested tags and evidence on these threads (those picked, else all)."""
    with transaction.atomic():
        threads = list(Thread.objects.filter(pk__in=list(thread_ids)))
        suggested = {"thread__in": threads, "status": TagStatus.SUGGESTED}
        confirmed = {"status": TagStatus.CONFIRMED}
        tags = only_picked(ThreadLocation.objects.filter(**suggested), picked.locations)
        tags = tags.update(**confirmed)
        remedies = only_picked(ThreadRemedy.objects.filter(**suggested), picked.remedies)
        tags += remedies.update(**confirmed)
        evidence = only_picked(
            Evidence.objects.filter(reply__thread__in=threads, status=TagStatus.SUGGESTED),
            picked.evidence,
        ).update(**confirmed, confirmed_by=user, version=F("version") + 1)
        bump_threads(t.pk for t in threads)
        log_change(
            user=user,
            objects=threads,
            message="Confirmed suggested tags and evidence.",
            removes=False,
        )
    return Confirmed(threads=len(threads), tags=tags, evidence=evidence)


def set_hidden(*, thread_ids: Iterable[int], hidden: bool, user) -> int:
    with transaction.atomic():
        threads = list(Thread.objects.filter(pk__in=list(thread_ids)).exclude(is_hidden=hidden))
        Thread.objects.filter(pk__in=[t.pk for t in threads]).update(is_hidden=hidden)
        bump_threads(t.pk for t in threads)
        message = "Hidden." if hidden else "Shown."
        log_change(user=user, objects=threads, message=message, removes=hidden)
    return len(threads)


# Evidence ---------------------------------------------------------------------------


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def quote_in_text(quote: str, text: str) -> bool:
    """A quote must be words of the reply; spacing and case may differ."""
    return bool(quote.strip()) and _squash(quote) in _squash(text)


def record_evidence(
    *, reply_id: int, remedy_id: int, location_id: int, stance: str, quote: str, user
) -> Evidence:
    """An editor's evidence is confirmed; it replaces any claim on the same pair."""
    with transaction.atomic():
        reply = Reply.objects.select_for_update().get(pk=reply_id)
        if not quote_in_text(quote, reply.body):
            raise CurationError("The quote must be words from the reply itself.")
        evidence, created = Evidence.objects.update_or_create(
            reply=reply,
            remedy_id=remedy_id,
            location_id=location_id,
            defaults={
                "stance": stance,
                "quote": quote.strip(),
                "status": TagStatus.CONFIRMED,
                "confirmed_by": user,
            },
        )
        if not created:
            Evidence.objects.filter(pk=evidence.pk).update(version=F("version") + 1)
        bump_threads([reply.thread_id])
        log_change(user=user, objects=[reply.thread], message=f"Recorded evidence: {evidence}.")
    return evidence


def confirm_evidence(*, evidence_ids: Iterable[int], user) -> int:
    with transaction.atomic():
        rows = Evidence.objects.filter(pk__in=list(evidence_ids), status=TagStatus.SUGGESTED)
        thread_ids = set(rows.values_list("reply__thread", flat=True))
        count = rows.update(status=TagStatus.CONFIRMED, confirmed_by=user, version=F("version") + 1)
        bump_threads(thread_ids)
    return count


def _stamp(evidence: Evidence, user) -> None:
    """Confirmed evidence records who confirmed it."""
    if evidence.status == TagStatus.CONFIRMED and evidence.confirmed_by_id is None:
        evidence.confirmed_by = user


def save_evidence(*, evidence: Evidence, user, expected_version: int | None = None) -> Evidence:
    """Save evidence from its own form, unless someone saved it since expected_version."""
    with transaction.atomic():
        _stamp(evidence, user)
        before = Evidence.objects.filter(pk=evidence.pk).values_list("reply__thread", flat=True)
        thread_ids = {*before, Reply.objects.get(pk=evidence.reply_id).thread_id}
        save_versioned(obj=evidence, expected_version=expected_version, user=user)
        bump_threads(thread_ids)
    return evidence


def save_reply_evidence(*, evidence: Iterable[Evidence], deleted: Iterable[Evidence], user) -> None:
    """Evidence rows edited on a reply's page; the reply's save already claimed the thread."""
    with transaction.atomic():
        for row in evidence:
            _stamp(row, user)
            existed = row.pk is not None
            row.save()
            if existed:
                Evidence.objects.filter(pk=row.pk).update(version=F("version") + 1)
        for row in deleted:
            row.delete()
