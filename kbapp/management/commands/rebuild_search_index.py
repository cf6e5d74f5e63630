"""Rebuild the full-text search index from the threads and replies.

The triggers keep the index in sync on every write; this is for a database restored
from elsewhere, an index that is suspected of drifting, or after bulk SQL done with the
triggers dropped. It runs in one transaction: searches see the old index until it ends.
"""

from __future__ import annotations

import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from kbapp.progress import ProgressBar
from kbapp.search import get_backend


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every thread and reply, with a progress bar."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Threads per step (default 500)."
        )

    def handle(self, *args, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            backend = get_backend()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        missing = backend.missing_triggers()
        if missing:
            raise CommandError(
                "The search index triggers are missing (" + ", ".join(missing) + "), so the "
                "index would drift again after the rebuild. Run `manage.py migrate` first: "
                "its last step re-creates them."
            )
        started = time.monotonic()
        bar = ProgressBar(0, self.stdout, unit="threads")
        count = backend.rebuild(batch_size=batch_size, progress=bar)
        bar.close()
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} threads in {seconds:.1f} s."))
