"""The anonymous page cache: kept, served, revalidated, and retired by content changes."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache

from kbapp.cache import KbFileCache
from kbapp.content import bump_after_edit, bump_content_version, content_version, one_change
from kbapp.models import AdviceEntry
from kbapp.services.curation.threads import set_hidden
from kbapp.services.importing import ImportSource, import_files
from tests.admin_support import client_for, make_user
from tests.factories import make_advice, make_thread

pytestmark = pytest.mark.django_db

REPLIES = '[{"body": "Rest."}, {"body": "Ice."}]'
THREADS = "\n".join(
    f'{{"title": "Knee {n}", "body": "Sore knee.", "replies": {REPLIES}}}' for n in (1, 2)
)


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The test run keeps the page cache off; these tests turn it on, on a clean cache."""
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_a_second_anonymous_visit_is_served_from_the_cache(client, django_assert_num_queries):
    make_advice("Relax your shoulders")
    first = client.get("/advice/")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/advice/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]


def test_cached_pages_say_how_long_others_may_keep_them(client):
    response = client.get("/")
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert control == {"public", "max-age=60"}
    assert response["ETag"].strip('"') == hashlib.sha256(response.content).hexdigest()[:32]


def test_a_conditional_get_with_the_etag_is_answered_not_modified(client):
    etag = client.get("/advice/")["ETag"]
    again = client.get("/advice/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    other = client.get("/advice/", HTTP_IF_NONE_MATCH='"0-stale"')
    assert other.status_code == 200 and other.content


def test_query_strings_are_pages_of_their_own(client):
    make_advice("Relax your shoulders", locations=["upper-back"])
    everything = client.get("/advice/")
    filtered = client.get("/advice/?location=knees")
    assert filtered["X-Page-Cache"] == "miss"
    assert b"Relax your shoulders" in everything.content
    assert b"Relax your shoulders" not in filtered.content


def test_publishing_retires_the_cached_page(client, django_capture_on_commit_callbacks):
    assert b"Strength and flex" not in client.get("/advice/").content
    with django_capture_on_commit_callbacks(execute=True):
        make_advice("Strength and flex")
    fresh = client.get("/advice/")
    assert fresh["X-Page-Cache"] == "miss"
    assert b"Strength and flex" in fresh.content


def test_an_edit_retires_the_cached_page(client, django_capture_on_commit_callbacks):
    entry = make_advice("Relax your shoulders")
    url = f"/advice/{entry.slug}/"
    assert b"Drop them every mile" not in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        AdviceEntry.objects.get(pk=entry.pk).save()  # what an admin save does
        entry.summary = "Drop them every mile."
        entry.save()
    assert b"Drop them every mile" in client.get(url).content


def test_hiding_a_thread_in_bulk_retires_the_cached_page(
    client, django_capture_on_commit_callbacks
):
    thread = make_thread("Sore shins on week three")
    url = f"/threads/{thread.slug}/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        set_hidden(thread_ids=[thread.pk], hidden=True, user=make_user("editor"))
    assert client.get(url).status_code == 404


def test_a_change_not_yet_committed_does_not_retire_pages(
    client, django_capture_on_commit_callbacks
):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_thread("Knees")
    assert content_version() == before
    assert callbacks  # the bump waits for the commit


def test_an_import_is_one_change_however_many_rows_it_writes(
    django_capture_on_commit_callbacks,
):
    source = ImportSource("two.jsonl", THREADS.encode())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = import_files([source])
    assert report.total("created") == 2
    bumps = [hook for hook in callbacks if hook in (bump_content_version, bump_after_edit)]
    assert len(bumps) == 1


def test_one_change_announces_nothing_when_its_block_fails(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(RuntimeError),
        one_change(),
    ):
        make_thread("Never shown")
        raise RuntimeError
    assert bump_content_version not in callbacks and bump_after_edit not in callbacks


def test_the_file_cache_still_culls_when_it_looks(tmp_path):
    files = KbFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    files.CULL_EVERY = 5
    for n in range(40):
        files.set(f"page-{n}", "x" * 10)
    held = len(list(tmp_path.glob("*.djcache")))
    # Culled to half at each look once over ten: never more than ten plus a look's worth.
    assert 0 < held <= 10 + files.CULL_EVERY


def test_editors_with_a_session_always_reach_the_views(client):
    client.get("/advice/")
    editor = client_for(make_user("editor"))
    response = editor.get("/advice/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_an_editors_write_through_the_admin_retires_pages(
    client, django_capture_on_commit_callbacks
):
    thread = make_thread("Sore shins on week three")
    client.get("/")
    before = content_version()
    editor = client_for(make_user("superuser"))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            "/admin/kbapp/thread/",
            {"action": "hide", "_selected_action": [thread.pk]},
        )
    assert response.status_code in (200, 302)
    assert content_version() > before


def test_errors_and_admin_pages_are_never_kept(client):
    assert "X-Page-Cache" not in client.get("/no-such-page/")
    assert client.get("/threads/no-such-thread/").status_code == 404
    assert "X-Page-Cache" not in client.get("/threads/no-such-thread/")
    assert "X-Page-Cache" not in client.get("/admin/login/")
    assert "X-Page-Cache" not in client.get("/healthz")


def test_off_when_the_setting_is_zero(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert "X-Page-Cache" not in client.get("/")


def test_a_page_rendered_before_a_change_is_never_served_after_it(client):
    """The version is stored with the page, so an entry from before a bump is a miss."""
    client.get("/advice/")
    bump_content_version()
    again = client.get("/advice/")
    assert again["X-Page-Cache"] == "miss"
    assert client.get("/advice/")["X-Page-Cache"] == "hit"
