"""Generate realistic threads for the search benchmark (see docs/performance.md).

    python manage.py generate_corpus --threads 100000 --seed 1

Idempotent per seed: thread i of seed s is keyed ``corpus:s:i`` and always has the same
text, so running it again creates nothing, and a larger --threads adds only the rest.
Threads are written with bulk_create in batches, one transaction per batch; the search
triggers index them as they go. Then what editors would have made of them: confirmed
evidence, published advice citing replies, helpful votes (kbapp/search/corpus_curation.py).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from kbapp.models import (
    AdviceEntry,
    AdviceVote,
    Evidence,
    Reply,
    Thread,
    ThreadLocation,
    ThreadRemedy,
)
from kbapp.progress import ProgressBar
from kbapp.search.corpus import FakeThread, Vocabulary, generate
from kbapp.search.corpus_curation import curate

COMMUNITY = "Couch to 5K (generated)"


def existing_numbers(seed: int) -> set[int]:
    prefix = f"corpus:{seed}:"
    keys = Thread.objects.filter(source_key__startswith=prefix).values_list("source_key")
    return {int(key[len(prefix) :]) for (key,) in keys.iterator(chunk_size=10_000)}


def write_batch(fakes: list[FakeThread]) -> None:
    threads = Thread.objects.bulk_create(
        Thread(
            title=f.title,
            slug=f.slug,
            body=f.body,
            community=COMMUNITY,
            source_file="generated",
            source_key=f.key,
            author=f.author,
            posted_at=f.posted_at,
            stage=f.stage,
            content_hash=f.content_hash,
        )
        for f in fakes
    )
    pairs = list(zip(threads, fakes, strict=True))
    Reply.objects.bulk_create(
        Reply(thread=t, position=n, author=author, body=body, posted_at=f.posted_at)
        for t, f in pairs
        for n, (author, body) in enumerate(f.replies, start=1)
    )
    ThreadLocation.objects.bulk_create(
        ThreadLocation(thread=t, location_id=pk, status=status)
        for t, f in pairs
        for pk, status in f.places
    )
    ThreadRemedy.objects.bulk_create(
        ThreadRemedy(thread=t, remedy_id=pk, status=status)
        for t, f in pairs
        for pk, status in f.remedies
    )


# The index tables the triggers filled as the threads went in.
SEARCH_TABLES = ["kbapp_search_thread", "kbapp_search_part", "kbapp_search_word"]


def analyze() -> None:
    """Fresh planner statistics after a bulk load (autovacuum may be off, or not there yet),
    and on PostgreSQL the dead row versions of the index's word counts cleared: every batch
    updates the same counts again, and with the dead versions left the planner once looked
    words up through the trigram index at 7 ms instead of the primary key at 0.1."""
    models = (Thread, Reply, ThreadLocation, ThreadRemedy, Evidence, AdviceEntry, AdviceVote)
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM cannot run in a transaction (a caller's, or a test's): then ANALYZE alone.
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            cursor.execute(f"{vacuum} " + ", ".join(tables + SEARCH_TABLES))
        else:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = (
        "Generate realistic threads (about 10 replies each) from the taxonomy and the demo "
        "threads, for the search benchmark. Idempotent per --seed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--threads", type=int, default=100_000, help="default 100000")
        parser.add_argument("--seed", type=int, default=1, help="default 1")
        parser.add_argument("--replies", type=int, default=10, help="average per thread")
        parser.add_argument("--batch-size", type=int, default=1000, help="threads a batch")

    def handle(self, *args, threads: int, seed: int, replies: int, batch_size: int, **opts):
        if threads < 0 or replies < 1 or batch_size < 1:
            raise CommandError("--threads must be 0 or more; --replies and --batch-size 1 or more.")
        started = time.monotonic()
        done = existing_numbers(seed)
        todo = [n for n in range(threads) if n not in done]
        vocab = Vocabulary.load()
        bar = ProgressBar(len(todo), self.stdout, unit="threads")
        fakes = generate(vocab, seed, iter(todo), replies)
        for start in range(0, len(todo), batch_size):
            batch = [next(fakes) for _ in range(min(batch_size, len(todo) - start))]
            with transaction.atomic():
                write_batch(batch)
            bar(start + len(batch), len(todo))
        bar.close()
        evidence, entries, votes = curate(seed)
        analyze()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(todo)} threads ({threads - len(todo)} of seed {seed} were there "
                f"already), {evidence} confirmed claims, {entries} published advice entries "
                f"and {votes} helpful votes in {time.monotonic() - started:.1f} s."
            )
        )
