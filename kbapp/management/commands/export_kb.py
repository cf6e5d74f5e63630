"""Write the whole knowledge base to PATH as versioned JSON Lines (docs/deploy.md, "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kbapp.services.backup import export_kb


class Command(BaseCommand):
    help = "Export taxonomy, threads, tags, evidence, advice with history, users and groups."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="File to write.")
        parser.add_argument(
            "--with-passwords", action="store_true", help="Include users' password hashes."
        )

    def handle(self, *args, path: Path, with_passwords: bool, **options):
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8") as out:
                counts = export_kb(out=out, with_passwords=with_passwords)
            partial.replace(path)  # a crash never leaves a truncated file under the real name
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"cannot write {path}: {error.strerror or error}") from None
        total = sum(counts.values())
        self.stderr.write(f"Exported {total} rows to {path}.")
