"""Delete search-log days older than SEARCH_LOG_DAYS (run it daily, e.g. from cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kbapp.search.log import prune_search_log


class Command(BaseCommand):
    help = "Delete search-log rows older than --days (default: SEARCH_LOG_DAYS, 90)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.SEARCH_LOG_DAYS)

    def handle(self, *args, days: int, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        deleted = prune_search_log(days=days)
        self.stdout.write(f"Deleted {deleted} search-log rows older than {days} days.")
