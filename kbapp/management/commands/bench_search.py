"""Search latency on the current database: p50 / p95 / p99 for a fixed mix of 50 queries.

    python manage.py generate_corpus --threads 100000 && python manage.py bench_search

Measures the same mix four ways: the search function (what /api/search runs), the
search function with facet counts (what /search/ adds), GET /api/search through
Django's test client (routing, validation, JSON and the search log included), and a
naive icontains search as the baseline. Written up in docs/performance.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import override_settings

from kbapp.models import Reply, Thread
from kbapp.search import get_backend

# A runner's own words, taxonomy synonyms, typos, phrases and exclusions: 50 in all.
QUERIES = [
    "hurts when I sneeze", "pain between my shoulder blades", "upper back pain after long runs",
    "knee pain going down stairs", "shins hurt when I land", "tight calves in the morning",
    "heel pain first thing in the morning", "lower back aches the next day",
    "stitch under my ribs", "stiff neck after running", "hip pain on hills", "sore hamstring",
    "achilles tendon pain", "ankle pain", "burning feeling halfway through the run",
    "dull ache after twenty minutes", "is this normal for new runners",
    "should I rest or keep going", "what helped with back pain", "pain when I cough",
    "scapula", "thoracic", "lumbar", "patella", "tibia", "gastrocnemius", "plantar fasciitis",
    "MTSS", "rhomboid", "S&F",
    "sholder blade", "planter fasciitis", "hamstirng", "calfs", "achillies", "streches for back",
    '"shin splints"', "\"runner's knee\"", '"foam roller"', '"gait analysis"', '"run bra"',
    "knee pain -shoes", "back pain -physio", "shin splints -rest",
    "pilates", "yoga for runners", "core strength", "new shoes", "physio", "ice or heat",
]  # fmt: skip
PER_PAGE = 20
MAX_NAIVE_WORDS = 8


def naive_search(text: str) -> int:
    """What search would be without an index: every word somewhere, by icontains."""
    threads = Thread.objects.visible()
    for word in text.replace('"', " ").split()[:MAX_NAIVE_WORDS]:
        word = word.lstrip("-")
        in_replies = Reply.objects.filter(body__icontains=word).values("thread_id")
        threads = threads.filter(
            Q(title__icontains=word) | Q(body__icontains=word) | Q(pk__in=in_replies)
        )
    count = threads.count()
    list(threads.order_by("-posted_at", "-pk").values_list("pk", "title")[:PER_PAGE])
    return count


def memory() -> str:
    try:
        return f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM"
    except (AttributeError, ValueError, OSError):
        return "RAM unknown"


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def measure(run: Callable[[str], object], repeat: int) -> tuple[list[float], dict[str, float]]:
    """Milliseconds for every query, `repeat` rounds of the whole mix; and each one's median."""
    samples: list[float] = []
    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    for _ in range(repeat):
        for query in QUERIES:
            started = time.perf_counter()
            run(query)
            elapsed = (time.perf_counter() - started) * 1000
            samples.append(elapsed)
            per_query[query].append(elapsed)
    return samples, {q: statistics.median(times) for q, times in per_query.items()}


class Command(BaseCommand):
    help = (
        "Report p50/p95/p99 search latency for a fixed mix of 50 queries: the search function, "
        "with facets, through /api/search, and a naive icontains baseline."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=3, help="rounds of the mix (3)")
        parser.add_argument("--baseline-repeat", type=int, default=1, help="icontains rounds")
        parser.add_argument("--skip-baseline", action="store_true")

    def handle(self, *args, repeat: int, baseline_repeat: int, skip_baseline: bool, **options):
        if repeat < 1 or baseline_repeat < 1:
            raise CommandError("--repeat and --baseline-repeat must be at least 1.")
        backend = get_backend()
        self.describe()
        # The query log of DEBUG would slow every query down and grow without end.
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            client = Client()
            for query in QUERIES:  # warm the caches once, untimed
                backend.search(query, per_page=PER_PAGE)
            runs = {
                "search()": lambda q: backend.search(q, per_page=PER_PAGE),
                "search() + facets": lambda q: backend.search(q, per_page=PER_PAGE, facets=True),
                "GET /api/search": lambda q: self.api(client, q),
            }
            results = {name: measure(run, repeat) for name, run in runs.items()}
            if not skip_baseline:
                results["icontains baseline"] = measure(naive_search, baseline_repeat)
        self.report(results)

    def api(self, client: Client, query: str) -> None:
        response = client.get("/api/search", {"q": query})
        if response.status_code != 200:
            raise CommandError(f"/api/search?q={query} answered {response.status_code}")

    def describe(self) -> None:
        with connection.cursor() as cursor:
            version = connection.Database.sqlite_version if connection.vendor == "sqlite" else ""
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                version = cursor.fetchone()[0]
        threads, replies = Thread.objects.count(), Reply.objects.count()
        self.stdout.write(
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {os.cpu_count()} CPUs, {memory()}, "
            f"{platform.machine()}, Python {platform.python_version()}\n"
            f"{connection.vendor} {version}: {threads:,} threads, {replies:,} replies; "
            f"{len(QUERIES)} queries, {PER_PAGE} results a page"
        )

    def report(self, results: dict[str, tuple[list[float], dict[str, float]]]) -> None:
        self.stdout.write(f"\n{'':22}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'runs':>8}")
        table = {name: percentiles(samples) for name, (samples, _) in results.items()}
        for name, (samples, _) in results.items():
            p50, p95, p99 = table[name]
            self.stdout.write(f"{name:22}{p50:10.1f}{p95:10.1f}{p99:10.1f}{len(samples):8}")
        slowest = sorted(results["search()"][1].items(), key=lambda item: -item[1])[:5]
        self.stdout.write("\nSlowest queries through search() (median ms):")
        for query, ms in slowest:
            self.stdout.write(f"  {ms:8.1f}  {query}")
        if "icontains baseline" in table:
            base, fast = table["icontains baseline"], table["search()"]
            self.stdout.write(
                f"\nSpeed-up over icontains: {base[0] / fast[0]:.0f}x at p50, "
                f"{base[1] / fast[1]:.0f}x at p95"
            )
