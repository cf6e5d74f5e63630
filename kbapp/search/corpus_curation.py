"""What editors would have made of a generated community (generate_corpus, docs/performance.md).

Generated threads come with confirmed and suggested tags; this adds the rest of an editor's
work, so that the answers and advice pages are benchmarked full rather than empty: confirmed
evidence on a few percent of replies, in all three stances; a published advice entry for each
of the commonest place and remedy pairs, citing replies with evidence of that pair; and
helpful votes on each entry. Deterministic and idempotent per seed, like the threads: evidence
is keyed by its reply, remedy and place, entries by slug, and an entry with votes gets no more.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone

from kbapp.content import content_changed
from kbapp.models import (
    AdviceEntry,
    AdviceVote,
    Evidence,
    PainLocation,
    Remedy,
    Reply,
    TagStatus,
    ThreadLocation,
    ThreadRemedy,
)
from kbapp.services.curation.advice import freeze_sources

# One reply in EVERY has evidence (3%); stances follow the reply's id, so all three appear.
EVERY = 33
STANCES = [Evidence.Stance.HELPED, Evidence.Stance.DID_NOT_HELP, Evidence.Stance.RECOMMENDS]
ENTRIES = 60
SOURCES = 5
BATCH = 5000


def first_confirmed(model, field: str, prefix: str) -> dict[int, int]:
    """Each generated thread's first confirmed tag of one kind."""
    rows = model.objects.filter(status=TagStatus.CONFIRMED, thread__source_key__startswith=prefix)
    first: dict[int, int] = {}
    for thread_id, tag_id in rows.order_by("pk").values_list("thread_id", field).iterator(BATCH):
        first.setdefault(thread_id, tag_id)
    return first


def write_evidence(seed: int) -> None:
    prefix = f"corpus:{seed}:"
    places = first_confirmed(ThreadLocation, "location_id", prefix)
    remedies = first_confirmed(ThreadRemedy, "remedy_id", prefix)
    replies = Reply.objects.filter(thread__source_key__startswith=prefix).order_by("pk")
    batch = []
    for pk, thread_id, body in replies.values_list("pk", "thread_id", "body").iterator(BATCH):
        if pk % EVERY or thread_id not in places or thread_id not in remedies:
            continue
        batch.append(
            Evidence(
                reply_id=pk,
                remedy_id=remedies[thread_id],
                location_id=places[thread_id],
                stance=STANCES[pk // EVERY % len(STANCES)],
                quote=body[:200],
                status=TagStatus.CONFIRMED,
            )
        )
        if len(batch) == BATCH:
            Evidence.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Evidence.objects.bulk_create(batch, ignore_conflicts=True)


def write_advice(seed: int) -> list[AdviceEntry]:
    """An entry for each of the commonest place and remedy pairs of the evidence."""
    claims = Evidence.objects.filter(reply__thread__source_key__startswith=f"corpus:{seed}:")
    claims = claims.exclude(stance=Evidence.Stance.DID_NOT_HELP)
    pairs = Counter(claims.values_list("location_id", "remedy_id").iterator(BATCH))
    places = {p.pk: p for p in PainLocation.objects.all()}
    remedies = {r.pk: r for r in Remedy.objects.all()}
    cited: dict[tuple[int, int], list[int]] = defaultdict(list)
    for (place, remedy), _ in pairs.most_common(ENTRIES):
        cited[place, remedy] = list(
            claims.filter(location_id=place, remedy_id=remedy)
            .order_by("reply_id")
            .values_list("reply_id", flat=True)[:SOURCES]
        )
    return [advice_entry(seed, places[p], remedies[r], ids) for (p, r), ids in cited.items()]


def advice_entry(seed: int, place: PainLocation, remedy: Remedy, reply_ids: list[int]):
    slug = f"corpus-{seed}-{place.slug}-{remedy.slug}"[:200]
    entry, created = AdviceEntry.objects.get_or_create(
        slug=slug,
        defaults={
            "title": f"{remedy.name} for {place.name.lower()} pain",
            "summary": f"What runners with {place.name.lower()} pain said about {remedy.name}.",
            "body": f"Runners who tried **{remedy.name.lower()}** said it eased the ache.",
            "see_a_professional_if": "Pain that wakes you at night\nNumbness or tingling",
            "status": AdviceEntry.Status.PUBLISHED,
            "review_due": date(2027, 6, 1),
            "published_at": timezone.now(),
        },
    )
    if created:
        entry.locations.set([place])
        entry.remedies.set([remedy])
        entry.sources.set(reply_ids)
        freeze_sources(entry=entry)
    return entry


def write_votes(entries: list[AdviceEntry]) -> int:
    voted = set(AdviceVote.objects.filter(entry__in=entries).values_list("entry_id", flat=True))
    votes = [
        AdviceVote(entry=entry, helpful=n % 4 != 0)
        for entry in entries
        if entry.pk not in voted
        for n in range(10 + entry.pk % 20)
    ]
    return len(AdviceVote.objects.bulk_create(votes))


def curate(seed: int) -> tuple[int, int, int]:
    """Evidence, advice and votes for the threads of a seed: how many of each were added."""
    before = Evidence.objects.count(), AdviceEntry.objects.count()
    with transaction.atomic():
        write_evidence(seed)
        entries = write_advice(seed)
        votes = write_votes(entries)
        content_changed()  # written in bulk, which no model signal sees
    return Evidence.objects.count() - before[0], AdviceEntry.objects.count() - before[1], votes
