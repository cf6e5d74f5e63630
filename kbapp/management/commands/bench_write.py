"""What writing costs with the search index kept up to date: an import and a reply edit.

    DATABASE_URL=postgres://…/kb_write python manage.py migrate
    DATABASE_URL=postgres://…/kb_write python manage.py bench_write

Writes 1,000 generated threads (the benchmark corpus's text, under a seed of their own so
they are new to a database that holds the corpus) as one JSON Lines file under var/, times
``import_threads`` of it, then times a reply's body edited in the admin: the change form
posted as an editor posts it (the form read off the change page, so any version of it
works), and the save alone, committed with its index triggers and commit hooks: the
median of --edits of each. Written up in docs/performance.md.
"""

from __future__ import annotations

import io
import json
import statistics
import time
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from kbapp.models import Reply, Thread
from kbapp.search.corpus import Vocabulary, generate

SEED = 7  # not the corpus's 1, so a database holding the corpus imports every thread
EDITED = "\n\nEdited: the knee settled after a week of rest."


class FormFields(HTMLParser):
    """The fields a browser would post from a page's form: inputs, textareas, selects.

    Read off the HTML rather than the response's context (tests/admin_support.form_data):
    the context exists only under the test runner, and the benchmark must also run on
    earlier versions of the code to give the "before" figures."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value") or "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Over plain HTTP, with static names that need no collectstatic run.
PLAIN = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
QUIET = {"DEBUG": False, "ALLOWED_HOSTS": ["testserver"], "SECURE_SSL_REDIRECT": False}


def edit_in_admin(client: Client, reply: Reply, text: str) -> float:
    """The reply's change page read, then its form posted with `text` added to the body, as
    an editor does it: milliseconds the post took."""
    url = reverse("admin:kbapp_reply_change", args=[reply.pk])
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": PLAIN}, **QUIET):
        form = FormFields()
        form.feed(client.get(url).content.decode())
        form.data["body"] = [form.data.get("body", [""])[0] + text]
        form.data.setdefault("_save", ["Save"])
        started = time.perf_counter()
        response = client.post(url, form.data)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 302:
        raise CommandError(f"The admin answered {response.status_code} for {url}")
    return elapsed


def thread_json(fake) -> dict:
    return {
        "id": fake.key,
        "title": fake.title,
        "body": fake.body,
        "author": fake.author,
        "posted_at": fake.posted_at.isoformat(),
        "community": "Couch to 5K (generated)",
        "replies": [{"author": author, "body": body} for author, body in fake.replies],
    }


class Command(BaseCommand):
    help = "Time import_threads of generated JSON Lines threads and a reply edit."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--threads", type=int, default=1000, help="threads to import (1000)")
        parser.add_argument("--edits", type=int, default=20, help="reply saves to time (20)")
        parser.add_argument("--seed", type=int, default=SEED, help=f"corpus seed ({SEED})")

    def handle(self, *args, threads: int, edits: int, seed: int, **options) -> None:
        if threads < 1 or edits < 1:
            raise CommandError("--threads and --edits must be at least 1.")
        settings.VAR_DIR.mkdir(exist_ok=True)
        path = settings.VAR_DIR / f"bench-write-{seed}-{threads}.jsonl"
        if Thread.objects.filter(source_file=path.name).exists():
            raise CommandError(
                f"{path.name} was imported here already: use a fresh database or --seed."
            )
        vocab = Vocabulary.load()
        with path.open("w", encoding="utf-8") as out:
            for fake in generate(vocab, seed, range(threads), 10):
                out.write(json.dumps(thread_json(fake)) + "\n")
        before = Thread.objects.count()
        started = time.perf_counter()
        call_command("import_threads", str(path), stdout=io.StringIO(), stderr=io.StringIO())
        imported = time.perf_counter() - started
        added = Thread.objects.count() - before
        if added != threads:
            raise CommandError(f"Imported {added} threads of {threads}: see import_threads.")
        replies = list(Reply.objects.filter(thread__source_file=path.name).order_by("pk"))
        if len(replies) < 2 * edits:
            raise CommandError(f"The import brought {len(replies)} replies, fewer than needed.")
        admin_edits = self.admin_edits(replies[:edits])
        saves = self.saves(replies[edits : 2 * edits])
        self.stdout.write(
            f"{connection.vendor}: import_threads of {threads:,} threads ({path.name}) "
            f"{imported:.1f} s; a reply edited in the admin: median "
            f"{statistics.median(admin_edits):.1f} ms; the save alone: median "
            f"{statistics.median(saves):.2f} ms ({edits} of each)"
        )

    def admin_edits(self, replies: list[Reply]) -> list[float]:
        """Each reply's change page read, then its form posted with the body edited."""
        user = get_user_model().objects.create_superuser(
            "bench-write-editor", "bench-write@example.com", None
        )
        try:
            client = admin_client(user)
            return [edit_in_admin(client, reply, EDITED) for reply in replies]
        finally:
            user.delete()

    def saves(self, replies: list[Reply]) -> list[float]:
        timings = []
        for reply in replies:
            reply.body += EDITED
            started = time.perf_counter()
            with transaction.atomic():
                reply.save()
            timings.append((time.perf_counter() - started) * 1000)
        return timings
