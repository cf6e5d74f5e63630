"""Restore an export_kb file into a new, migrated database (docs/deploy.md, "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kbapp.services.backup import BackupError, import_kb


class Command(BaseCommand):
    help = "Restore an export into an empty database of either vendor, identical row for row."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            with path.open(encoding="utf-8") as lines:
                restored = import_kb(lines=lines)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text: not an export") from None
        except BackupError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(f"Restored from {path}: {restored}.")
