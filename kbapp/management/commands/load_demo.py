from django.core.management.base import BaseCommand, CommandError

from kbapp.models import AdviceEntry
from kbapp.services.demo import DemoDataError, load_demo


class Command(BaseCommand):
    help = "Load the demo: seed forum threads, confirmed tags and evidence, published advice."

    def handle(self, *args, **options):
        try:
            report = load_demo()
        except DemoDataError as exc:
            raise CommandError(f"demo data is inconsistent: {exc}") from exc
        for result in report.files:
            self.stdout.write(result.describe())
        if report.failed:
            raise CommandError("the demo threads could not be imported")
        published = AdviceEntry.objects.published().count()
        self.stdout.write(
            f"Demo threads: {report.summary_line()}; {published} advice entries published."
        )
