"""Cold page latency per page type: p50 / p95 of each public page rendered afresh.

    python manage.py bench_browse            (make bench-browse; docs/performance.md)

What a visitor of a large community meets when nothing is cached: the page cache and the
first-page search cache off, each URL asked once through Django's test client (routing,
filters, queries and templates included), the URLs drawn from this database's own places,
remedies, advice and threads. One untimed request first, so the process's one-off costs
(template loading, the taxonomy) are not counted against the first page.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from kbapp.models import AdviceEntry, Evidence, PainLocation, Remedy, Stage, Thread

SAMPLES = 20


def page_types(samples: int) -> dict[str, list[str]]:
    """The URLs of each page type, `samples` of each where the database has that many."""
    places = list(PainLocation.objects.order_by("pk").values_list("slug", flat=True))
    remedies = list(Remedy.objects.order_by("pk").values_list("slug", flat=True))
    stages = [str(s) for s in Stage.values]
    advice = AdviceEntry.objects.published().order_by("pk").values_list("slug", flat=True)
    # Spread over the whole table: the newest threads are not the only ones read.
    total = Thread.objects.visible().count()
    threads = Thread.objects.visible().order_by("pk").values_list("slug", flat=True)
    step = max(total // samples, 1)
    thread_slugs = [threads[i] for i in range(0, min(total, step * samples), step)]

    def pairs(first: list[str], second: list[str]) -> Iterator[tuple[str, str]]:
        """`samples` pairs, each list taken round and round."""
        for i in range(samples):
            yield first[i % len(first)], second[i % len(second)]

    if not (places and remedies and thread_slugs):
        raise CommandError("This database has no places, remedies or threads: load some first.")
    stances = Evidence.Stance.values
    return {
        "home": ["/"] * min(samples, 5),
        "symptom": [f"/symptoms/{p}/" for p in places[:samples]],
        "symptom + stage": [f"/symptoms/{p}/?stage={s}" for p, s in pairs(places, stages)],
        "symptom + remedy": [f"/symptoms/{p}/?remedy={r}" for p, r in pairs(places, remedies)],
        "answers": [f"/answers/?location={p}&stance={s}" for p, s in pairs(places, stances)],
        "advice list": [f"/advice/?location={p}" for p in places[:samples]],
        "advice entry": [f"/advice/{slug}/" for slug in advice[:samples]],
        "thread": [f"/threads/{slug}/" for slug in thread_slugs],
        "check": [f"/check/?location={p}&stage=1&flags=" for p in places[:samples]],
        "API thread": [f"/api/threads/{slug}" for slug in thread_slugs],
    }


class Command(BaseCommand):
    help = "Report cold p50/p95 latency per public page type (page and search caches off)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--samples", type=int, default=SAMPLES, help="URLs per page type")

    def handle(self, *args, samples: int, **options):
        if samples < 2:
            raise CommandError("--samples must be at least 2.")
        plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        quiet = {"DEBUG": False, "ALLOWED_HOSTS": ["testserver"], "PAGE_CACHE_SECONDS": 0}
        quiet |= {"SEARCH_CACHE_SECONDS": 0, "RATELIMIT_SEARCH": "", "RATELIMIT_API": ""}
        with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}, **quiet):
            client = Client()
            types = page_types(samples)
            self.get(client, "/")
            threads = Thread.objects.count()
            self.stdout.write(f"{connection.vendor}: {threads:,} threads; cold, each URL once")
            heading = f"{'page type':20}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'n':>5}"
            self.stdout.write(f"\n{heading}")
            for name, urls in types.items():
                if urls:
                    self.report(name, [self.get(client, url) for url in urls])

    def get(self, client: Client, url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return elapsed

    def report(self, name: str, samples: list[float]) -> None:
        # A database with a single URL of a type (one advice entry) still gets its line.
        data = samples if len(samples) > 1 else samples * 2
        cuts = statistics.quantiles(data, n=20, method="inclusive")
        p50, p95 = statistics.median(samples), cuts[18]
        self.stdout.write(f"{name:20}{p50:10.1f}{p95:10.1f}{max(samples):10.1f}{len(samples):5}")
