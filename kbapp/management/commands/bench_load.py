"""Load benchmark: gunicorn on this database, driven by wrk (make bench-load, docs/performance.md).

Each URL is measured twice, each for --seconds at --connections: *cold*, with the page cache
off so every request renders, and *warm*, with the page cache on after a one-second warm-up.
/healthz, which touches no database, is the ceiling the pages are compared with.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from kbapp.loadtest import STATUS_SCRIPT, Run, WrkOutputError, parse_wrk, replace_section, table
from kbapp.models import AdviceEntry, PainLocation, Thread

SYMPTOM = "between-the-shoulder-blades"


def bench_urls() -> list[str]:
    """The pages a runner reads, with real slugs from this database."""
    entry = AdviceEntry.objects.published().order_by("pk").first()
    thread = Thread.objects.visible().order_by("pk").first()
    symptom = PainLocation.objects.filter(slug=SYMPTOM).first() or PainLocation.objects.first()
    if not (entry and thread and symptom):
        raise CommandError("This database has no published advice or threads: load the demo first.")
    return [
        "/",
        f"/symptoms/{symptom.slug}/",
        "/advice/",
        f"/advice/{entry.slug}/",
        f"/threads/{thread.slug}/",
        "/search/?q=shoulder+blade",
        "/api/search?q=stretch",
    ]


class Command(BaseCommand):
    help = "Measure pages under load with gunicorn and wrk; write the table into a document."

    def add_arguments(self, parser):
        parser.add_argument("--label", default="demo", help="Names the table in the document.")
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument("--seconds", type=int, default=5)
        parser.add_argument(
            "--cold-seconds",
            type=int,
            help="Longer runs for slow uncached pages (default: --seconds).",
        )
        parser.add_argument("--connections", type=int, default=64)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--write", type=Path, help="Markdown file to put the table in.")
        parser.add_argument(
            "--min-threads", type=int, default=1, help="Refuse a database with fewer threads."
        )

    def handle(self, *args, **options):
        if not shutil.which("wrk"):
            raise CommandError("bench_load needs wrk: apt-get install wrk")
        if options["seconds"] < 1 or options["connections"] < 1:
            raise CommandError("--seconds and --connections must be 1 or more.")
        try:
            threads = Thread.objects.count()
        except DatabaseError as error:
            raise CommandError(f"Cannot read this database: {str(error).strip()}") from None
        if threads < options["min_threads"]:
            raise CommandError(f"{threads} threads here, fewer than --min-threads.")
        urls = bench_urls()
        with tempfile.TemporaryDirectory() as static_root:
            env = self.server_env(Path(static_root))
            self.run_quietly([sys.executable, "manage.py", "collectstatic", "--noinput"], env)
            with self.server(env, options, page_cache=False) as base:
                slow = {**options, "seconds": options["cold_seconds"] or options["seconds"]}
                cold = {url: self.measure(base, url, slow) for url in ["/healthz", *urls]}
            with self.server(env, options, page_cache=True) as base:
                warm = {url: self.measure(base, url, options) for url in ["/healthz", *urls]}
        rows = [(url, warm[url], cold[url]) for url in ["/healthz", *urls]]
        markdown = table(rows, warm["/healthz"])
        self.stdout.write(markdown)
        if options["write"]:
            path = options["write"]
            path.write_text(replace_section(path.read_text(), options["label"], markdown))
            self.stdout.write(f"Wrote the {options['label']} table into {path}.")

    def server_env(self, static_root: Path) -> dict[str, str]:
        """Production settings on plain HTTP on loopback, rate limits off (one client IP)."""
        env = {k: v for k, v in os.environ.items() if k not in {"KB_TESTING", "DEBUG"}}
        return {
            **env,
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
            "DEBUG": "false",  # whatever a developer's .env says
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "RATELIMIT_SEARCH": "",
            "RATELIMIT_API": "",
            "STATIC_ROOT": str(static_root),
            "LOG_LEVEL": "WARNING",
        }

    @contextmanager
    def server(self, env: dict[str, str], options: dict, *, page_cache: bool):
        port = options["port"]
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise CommandError(f"Port {port} is taken; choose another with --port.")
        command = [sys.executable, "-m", "gunicorn", "kbapp.wsgi", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(options["workers"])]
        seconds = str(settings.PAGE_CACHE_SECONDS or 600) if page_cache else "0"
        server = subprocess.Popen(
            command, env={**env, "PAGE_CACHE_SECONDS": seconds}, stderr=subprocess.DEVNULL
        )
        try:
            self.wait_for(port)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(30)

    def wait_for(self, port: int) -> None:
        """Until /healthz answers: an open port alone can precede the workers by seconds."""
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise CommandError(f"gunicorn did not answer /healthz on port {port} within a minute.")

    def measure(self, base: str, url: str, options: dict) -> Run:
        """A one-second run first: workers booted, connections open, caches filled."""
        self.wrk(base, url, {**options, "seconds": 1})
        return self.wrk(base, url, options)

    def wrk(self, base: str, url: str, options: dict) -> Run:
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(STATUS_SCRIPT)
            script.flush()
            command = ["wrk", "-t2", f"-c{options['connections']}", f"-d{options['seconds']}s"]
            command += ["--latency", "--timeout", "10s", "-s", script.name, base + url]
            result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        try:
            run = parse_wrk(result.stdout)
        except WrkOutputError as error:
            raise CommandError(f"{url}: {error}; stderr: {result.stderr[:200]}") from None
        self.stderr.write(f"{url}: {run.rate:,.1f} req/s, p99 {run.p99_ms:.1f} ms")
        return run

    def run_quietly(self, command: list[str], env: dict[str, str]) -> None:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode:
            raise CommandError(f"{' '.join(command[1:3])} failed: {result.stderr[-500:]}")
