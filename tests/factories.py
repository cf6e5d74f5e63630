"""Small builders for test data, written straight to the real test database.

The taxonomy (locations, remedies, red flags) is already there: the data migration
loads it into every test database.
"""

from __future__ import annotations

import itertools
from datetime import date

from django.utils import timezone
from django.utils.text import slugify

from kbapp.models import (
    AdviceEntry,
    Evidence,
    PainLocation,
    Remedy,
    Reply,
    TagStatus,
    Thread,
    ThreadLocation,
    ThreadRemedy,
)

_counter = itertools.count(1)


def location(slug: str) -> PainLocation:
    return PainLocation.objects.get(slug=slug)


def remedy(slug: str) -> Remedy:
    return Remedy.objects.get(slug=slug)


def make_thread(
    title: str = "Upper back pain after long runs",
    body: str = "My upper back aches after every long run.",
    replies: list[str | tuple[str, str]] = (),
    *,
    locations: list[str] = (),
    remedies: list[str] = (),
    status: str = TagStatus.CONFIRMED,
    **fields,
) -> Thread:
    """A thread with replies ("body" or ("author", "body")) and tags by slug."""
    n = next(_counter)
    fields.setdefault("slug", f"{slugify(title)[:300]}-{n}")
    fields.setdefault("source_key", f"test:{n}")
    fields.setdefault("content_hash", f"{n:064d}")
    fields.setdefault("community", "Couch to 5K")
    thread = Thread.objects.create(title=title, body=body, **fields)
    Reply.objects.bulk_create(
        Reply(thread=thread, position=i, author=r[0], body=r[1])
        if isinstance(r, tuple)
        else Reply(thread=thread, position=i, body=r)
        for i, r in enumerate(replies, start=1)
    )
    ThreadLocation.objects.bulk_create(
        ThreadLocation(thread=thread, location=location(s), status=status) for s in locations
    )
    ThreadRemedy.objects.bulk_create(
        ThreadRemedy(thread=thread, remedy=remedy(s), status=status) for s in remedies
    )
    return thread


def make_evidence(
    reply: Reply,
    remedy_slug: str,
    location_slug: str,
    stance: str = Evidence.Stance.HELPED,
    status: str = TagStatus.CONFIRMED,
    quote: str = "",
) -> Evidence:
    return Evidence.objects.create(
        reply=reply,
        remedy=remedy(remedy_slug),
        location=location(location_slug),
        stance=stance,
        status=status,
        quote=quote or reply.body[:200],
    )


def make_advice(
    title: str = "Relax your shoulders",
    *,
    locations: list[str] = ("upper-back",),
    remedies: list[str] = ("relax-shoulders",),
    sources: list[Reply] = (),
    status: str = AdviceEntry.Status.PUBLISHED,
    **fields,
) -> AdviceEntry:
    fields.setdefault("slug", f"{slugify(title)}-{next(_counter)}")
    fields.setdefault("summary", f"{title}: what runners said.")
    fields.setdefault("body", "Runners who **relaxed** their shoulders said the ache eased.")
    fields.setdefault("see_a_professional_if", "Numbness or pins and needles")
    fields.setdefault("review_due", date(2027, 6, 1))
    if status == AdviceEntry.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    entry = AdviceEntry.objects.create(title=title, status=status, **fields)
    entry.locations.set([location(s) for s in locations])
    entry.remedies.set([remedy(s) for s in remedies])
    entry.sources.set(sources)
    return entry
