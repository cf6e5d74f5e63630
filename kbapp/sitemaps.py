"""sitemap.xml: the pages worth indexing, split in sections so threads can grow past 50,000."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kbapp.models import AdviceEntry, PainLocation, Thread


class PagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["home", "advice_list", "answer_list", "check"]

    def location(self, item: str) -> str:
        return reverse(item)


class SymptomSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return PainLocation.objects.order_by("pk")


class UpdatedSitemap(Sitemap):
    """A section whose rows carry updated_at: that is each URL's lastmod."""

    def lastmod(self, row: AdviceEntry | Thread):
        return row.updated_at


class AdviceSitemap(UpdatedSitemap):
    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return AdviceEntry.objects.published().order_by("pk").only("slug", "updated_at")


class ThreadSitemap(UpdatedSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Thread.objects.visible().order_by("pk").only("slug", "updated_at")


SITEMAPS = {
    "pages": PagesSitemap,
    "symptoms": SymptomSitemap,
    "advice": AdviceSitemap,
    "threads": ThreadSitemap,
}
