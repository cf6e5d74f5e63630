"""Load benchmark: gunicorn on this database, driven by wrk (make bench-load, docs/performance.md).

Each URL is measured twice, each for --seconds at --connections: *cold*, with the page cache
off so every request renders, and *warm*, with the page cache on after a one-second warm-up.
/healthz, which touches no database, is the ceiling the pages are compared with.

With --mix-seconds, a mix of about 60 public URLs (home, symptom pages with and without
filters, answers, advice, threads, the check, search, the API) is then run with the page
cache on twice: quiet, and while one reply is edited each second through the admin's change
form (this process posts it, sharing the database and the cache with gunicorn), after which
the thread page is asked until it shows the last edit.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from kbapp.loadtest import (
    STATUS_SCRIPT,
    Run,
    WrkOutputError,
    mix_script,
    mix_table,
    parse_wrk,
    replace_section,
    table,
)
from kbapp.management.commands.bench_write import admin_client, edit_in_admin
from kbapp.models import AdviceEntry, PainLocation, Remedy, Reply, Thread

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


def mix_urls() -> list[str]:
    """About 60 public URLs a busy site is asked for, with real slugs from this database."""
    places = list(PainLocation.objects.order_by("pk").values_list("slug", flat=True)[:8])
    remedies = list(Remedy.objects.order_by("pk").values_list("slug", flat=True)[:4])
    entries = AdviceEntry.objects.published().order_by("pk").values_list("slug", flat=True)
    threads = Thread.objects.visible().order_by("-pk").values_list("slug", flat=True)[:10]
    urls = ["/", "/advice/", "/answers/", "/check/"]
    urls += [f"/symptoms/{p}/" for p in places]
    urls += [f"/symptoms/{p}/?stage={n % 10 + 1}" for n, p in enumerate(places[:4])]
    urls += [f"/symptoms/{p}/?remedy={r}" for p, r in zip(places, remedies, strict=False)]
    urls += [f"/answers/?location={p}" for p in places[:4]]
    urls += [f"/advice/?location={p}" for p in places[:4]]
    urls += [f"/advice/{slug}/" for slug in entries[:6]]
    urls += [f"/threads/{slug}/" for slug in threads]
    urls += [f"/check/?location={p}&stage=3&flags=" for p in places[:3]]
    urls += [f"/search/?q={q}" for q in ("shoulder+blade", "knee+pain", "shin+splints")]
    urls += [f"/api/search?q={q}" for q in ("stretch", "foam+roller")]
    urls += [f"/api/threads/{slug}" for slug in threads[:4]]
    return urls


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
        parser.add_argument(
            "--mix-seconds", type=int, default=0, help="Also run the mix, quiet and while writing."
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
                mixed = self.mixes(base, options) if options["mix_seconds"] else []
        rows = [(url, warm[url], cold[url]) for url in ["/healthz", *urls]]
        markdown = table(rows, warm["/healthz"])
        if mixed:
            markdown += "\n\n" + mix_table(mixed, warm["/healthz"])
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

    def wrk(self, base: str, url: str, options: dict, script: str = STATUS_SCRIPT) -> Run:
        lua = script
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(lua)
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

    def mixes(self, base: str, options: dict) -> list[tuple[str, Run]]:
        paths = mix_urls()
        mix = {**options, "seconds": options["mix_seconds"]}
        self.wrk(base, paths[0], {**mix, "seconds": 2}, script=mix_script(paths))  # warm-up
        quiet = self.wrk(base, paths[0], mix, script=mix_script(paths))
        thread = Thread.objects.visible().order_by("-pk").first()
        writer = EditEverySecond(thread)
        writer.start()
        try:
            busy = self.wrk(base, paths[0], mix, script=mix_script(paths))
        finally:
            writer.stop()
        seen = self.seconds_until_shown(base, thread, writer.last_text)
        label = f"{len(paths)} URLs, one reply edited a second in the admin ({writer.edits} edits)"
        label += f"; the last edit on its thread page after {seen:.1f} s"
        return [(f"{len(paths)} URLs, no edits", quiet), (label, busy)]

    def seconds_until_shown(self, base: str, thread: Thread, text: str) -> float:
        started = time.monotonic()
        while time.monotonic() - started < 60:
            with urllib.request.urlopen(f"{base}{thread.get_absolute_url()}", timeout=10) as r:
                if text.strip().encode() in r.read():
                    return time.monotonic() - started
            time.sleep(0.1)
        raise CommandError(f"The last edit was not on {thread.get_absolute_url()} after 60 s.")

    def run_quietly(self, command: list[str], env: dict[str, str]) -> None:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode:
            raise CommandError(f"{' '.join(command[1:3])} failed: {result.stderr[-500:]}")


class EditEverySecond(threading.Thread):
    """One reply of a thread edited each second through the admin's change form."""

    def __init__(self, thread: Thread):
        super().__init__(daemon=True)
        self.replies = list(Reply.objects.filter(thread=thread).order_by("position")[:5])
        self.halt = threading.Event()
        self.edits = 0
        self.last_text = ""
        if not self.replies:
            raise CommandError(f"{thread} has no replies to edit.")

    def run(self) -> None:
        user = get_user_model().objects.create_superuser(
            f"bench-load-{secrets.token_hex(4)}", "bench-load@example.com", None
        )
        try:
            client = admin_client(user)
            started = time.monotonic()
            # On the clock, one a second, however long each edit takes.
            while not self.halt.wait(max(0.0, started + self.edits + 1 - time.monotonic())):
                reply = self.replies[self.edits % len(self.replies)]
                text = f" Edit {self.edits + 1} ({secrets.token_hex(4)})."
                edit_in_admin(client, reply, text)
                self.edits += 1
                self.last_text = text
        finally:
            user.delete()
            connection.close()

    def stop(self) -> None:
        self.halt.set()
        self.join(30)
