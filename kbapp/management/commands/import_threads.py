from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kbapp.progress import ProgressBar
from kbapp.services.importing import FileResult, expand_paths, import_files, read_source

# Fewer files than this finish before a bar would be worth drawing.
PROGRESS_THRESHOLD = 20


class Command(BaseCommand):
    help = (
        "Import forum threads from text dumps (.txt), saved pages (.html) and JSON Lines "
        "(.jsonl) files or folders. "
        "Each file is imported whole or not at all; re-importing an unchanged file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report, but write nothing."
        )
        parser.add_argument(
            "--hidden",
            action="store_true",
            help="New threads stay hidden from the public site until an editor shows them.",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            default=None,
            help=f"Always draw a progress bar (default: for {PROGRESS_THRESHOLD}+ files).",
        )

    def handle(self, *args, paths, dry_run, hidden, progress, verbosity, **options):
        files = expand_paths(paths)
        if not files:
            raise CommandError(
                "nothing to import: no .txt, .html or .jsonl files under " + ", ".join(paths)
            )
        show_bar = progress if progress is not None else len(files) >= PROGRESS_THRESHOLD
        bar = None
        if show_bar:
            bar = ProgressBar(len(files), self.stderr, label="Import ", unit="files")

        def report_file(result: FileResult) -> None:
            if bar:
                bar.advance()
            if result.failed:
                self.stderr.write(result.describe())
            elif verbosity >= 1:
                self.stdout.write(result.describe())

        sources = (read_source(path) for path in files)
        report = import_files(sources, dry_run=dry_run, hidden=hidden, on_progress=report_file)
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(prefix + report.summary_line())
        if report.failed:
            failed = sum(f.failed for f in report.files)
            raise CommandError(f"{failed} file(s) could not be imported; see the messages above.")
