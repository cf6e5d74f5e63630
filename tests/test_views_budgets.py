"""Budgets: at most 10 queries per public page whatever the data, and pages under 60 KB."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kbapp.models import AdviceEntry, PainLocation, Thread
from tests.public_support import build_archive

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10
MAX_BYTES = 60 * 1024

LIST_PAGES = [
    "/",
    "/symptoms/back/",
    "/symptoms/upper-back/?stage=3&category=mobility&remedy=yoga",
    "/advice/",
    "/advice/?location=back&remedy=yoga&category=mobility&stage=3&q=entry&sort=recent",
    "/advice/?page=2",
    "/answers/",
    "/answers/?location=back&remedy=yoga&stance=helped&stage=3&page=1",
    "/api/advice",
    "/api/advice?location=back&stage=2&sort=recent",
]


def detail_pages() -> list[str]:
    entry = AdviceEntry.objects.published().order_by("pk").first()
    thread = Thread.objects.filter(replies__cited_by=entry).first()
    return [
        entry.get_absolute_url(),
        thread.get_absolute_url(),
        f"/api/advice/{entry.slug}",
        f"/api/threads/{thread.slug}",
    ]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_stay_within_budget_on_many_threads(client, django_assert_max_num_queries, url):
    build_archive(threads=40, replies=5)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url).status_code == 200


def test_detail_pages_stay_within_budget_on_many_threads(client, django_assert_max_num_queries):
    build_archive(threads=40, replies=5)
    for url in detail_pages():
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(url).status_code == 200, url


def test_query_counts_do_not_grow_with_the_data(client):
    build_archive(threads=12, replies=3, entries=11)
    urls = LIST_PAGES + detail_pages()
    before = {url: queries_for(client, url) for url in urls}
    build_archive(threads=40, replies=5, entries=12)
    after = {url: queries_for(client, url) for url in urls}
    assert after == before


def test_every_page_is_under_60_kb_on_the_demo_data(client):
    call_command("load_demo", verbosity=0)
    urls = ["/", "/advice/", "/answers/", "/answers/?page=2"]
    urls += [location.get_absolute_url() for location in PainLocation.objects.all()]
    urls += [entry.get_absolute_url() for entry in AdviceEntry.objects.published()]
    urls += [thread.get_absolute_url() for thread in Thread.objects.visible()]
    assert len(urls) > 30
    for url in urls:
        response = client.get(url)
        if url == "/answers/?page=2" and response.status_code == 404:
            continue  # the demo answers may fit on one page
        assert response.status_code == 200, url
        assert len(response.content) < MAX_BYTES, f"{url}: {len(response.content)} bytes"
