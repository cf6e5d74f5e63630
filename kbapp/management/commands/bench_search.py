"""Search latency on the current database: p50 / p95 / p99 for a fixed mix of 50 queries.

    python manage.py generate_corpus --threads 100000 && python manage.py bench_search

Measures the same mix several ways: the search function (what /api/search runs), the
search function with facet counts (what /search/ adds), GET /api/search and GET /search/
through Django's test client (routing, validation, rendering and the search log
included) with the first-page cache off (cold) and on after one round (warm), and a naive
icontains search as the baseline. Prints one table and writes it under var/. Written up
in docs/performance.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
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
        self.lines: list[str] = []
        self.describe()
        # The query log of DEBUG would slow every query down and grow without end; plain
        # static names, so the page renders without a collectstatic run; no page cache,
        # which would answer every round after the first without searching; no rate
        # limits, which are there for strangers, not for a benchmark's thousand requests.
        plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        storages = {**settings.STORAGES, "staticfiles": plain}
        quiet = {"DEBUG": False, "ALLOWED_HOSTS": ["testserver"], "PAGE_CACHE_SECONDS": 0}
        quiet |= {"RATELIMIT_SEARCH": "", "RATELIMIT_API": ""}
        with override_settings(STORAGES=storages, **quiet):
            client = Client()
            matches = {q: backend.search(q, per_page=PER_PAGE) for q in QUERIES}  # untimed
            results = self.cold(backend, client, repeat) | self.warm(client, repeat)
            if not skip_baseline:
                results["icontains baseline"] = measure(naive_search, baseline_repeat)
        self.report(results, matches)
        self.save()

    def cold(self, backend, client: Client, repeat: int) -> dict:
        """Every request computed afresh: the first-page cache off."""
        runs = {
            "search()": lambda q: backend.search(q, per_page=PER_PAGE),
            "search() + facets": lambda q: backend.search(q, per_page=PER_PAGE, facets=True),
            "GET /api/search": lambda q: self.get(client, "/api/search", q),
            "GET /search/": lambda q: self.get(client, "/search/", q),
        }
        with override_settings(SEARCH_CACHE_SECONDS=0):
            return {name: measure(run, repeat) for name, run in runs.items()}

    def warm(self, client: Client, repeat: int) -> dict:
        """Repeated first pages, from the cache after one untimed round."""
        runs = {
            "GET /api/search warm": lambda q: self.get(client, "/api/search", q),
            "GET /search/ warm": lambda q: self.get(client, "/search/", q),
        }
        seconds = settings.SEARCH_CACHE_SECONDS or 300
        with override_settings(SEARCH_CACHE_SECONDS=seconds):
            for run in runs.values():
                for query in QUERIES:
                    run(query)
            return {name: measure(run, repeat) for name, run in runs.items()}

    def get(self, client: Client, path: str, query: str) -> None:
        response = client.get(path, {"q": query})
        if response.status_code != 200:
            raise CommandError(f"{path}?q={query} answered {response.status_code}")

    def say(self, line: str = "") -> None:
        self.lines.append(line)
        self.stdout.write(line)

    def save(self) -> None:
        """The table under var/, named by database vendor and time, for docs/performance.md."""
        settings.VAR_DIR.mkdir(exist_ok=True)
        path = (
            settings.VAR_DIR
            / f"bench-search-{connection.vendor}-{datetime.now(UTC):%Y%m%d-%H%M}.txt"
        )
        path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        self.stdout.write(f"\nWritten to {path}")

    def describe(self) -> None:
        with connection.cursor() as cursor:
            version = connection.Database.sqlite_version if connection.vendor == "sqlite" else ""
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                version = cursor.fetchone()[0]
        threads, replies = Thread.objects.count(), Reply.objects.count()
        self.say(
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {os.cpu_count()} CPUs, {memory()}, "
            f"{platform.machine()}, Python {platform.python_version()}"
        )
        self.say(
            f"{connection.vendor} {version}: {threads:,} threads, {replies:,} replies; "
            f"{len(QUERIES)} queries, {PER_PAGE} results a page"
        )

    def report(self, results: dict, matches: dict) -> None:
        self.say(f"\n{'':24}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'runs':>8}")
        table = {name: percentiles(samples) for name, (samples, _) in results.items()}
        for name, (samples, _) in results.items():
            p50, p95, p99 = table[name]
            self.say(f"{name:24}{p50:10.1f}{p95:10.1f}{p99:10.1f}{len(samples):8}")
        if "icontains baseline" in table:
            base = table["icontains baseline"]
            for name in ("search()", "GET /api/search", "GET /search/"):
                fast = table[name]
                self.say(
                    f"Speed-up of {name} over icontains: {base[0] / fast[0]:.0f}x at p50, "
                    f"{base[1] / fast[1]:.0f}x at p95"
                )
        counts = sorted(r.count for r in matches.values())
        about = sum(not getattr(r, "count_exact", True) for r in matches.values())
        self.say(
            f"\nMatches per query: median {statistics.median(counts):,.0f}, max {counts[-1]:,}, "
            f"min {counts[0]:,}; {about} of {len(counts)} beyond the window (counted as about N)"
        )
        slowest = sorted(results["search()"][1].items(), key=lambda item: -item[1])[:5]
        self.say("Slowest queries through search() (median ms, matches):")
        for query, ms in slowest:
            self.say(f"  {ms:8.1f}  {query}  ({matches[query].count:,})")
