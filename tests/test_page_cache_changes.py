"""The page cache under change: each change path retires its pages, removals are never served
stale, edits are served stale only while one request renders, misses of one URL render once,
and a hit answers exactly as a miss did."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory

from kbapp import routers
from kbapp.content import bump_after_edit, bump_content_version, content_version
from kbapp.models import AdviceEntry, AdviceVote, Reply
from kbapp.pagecache import PageCacheMiddleware, page_key
from kbapp.services.curation.advice import set_status
from kbapp.services.feedback import moderate, record_vote
from tests.admin_support import client_for, form_data, make_user
from tests.factories import make_advice, make_thread

# The page cache on, on a clean cache, for every test here.
from tests.test_page_cache import page_cache  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the block's on-commit announcements, as the real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_hit_carries_the_headers_of_the_miss(client):
    make_advice("Relax your shoulders")
    miss = client.get("/advice/")
    hit = client.get("/advice/")
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for name in ("X-Frame-Options", "Content-Length", "Content-Type", "Cache-Control", "ETag"):
        assert hit.has_header(name) and hit[name] == miss[name], name
    names = {n.lower() for n in miss.headers} - {"x-page-cache", "x-request-id"}
    assert names <= {n.lower() for n in hit.headers}


def test_unknown_parameters_share_the_page_and_the_order_does_not_matter(client):
    make_advice("Relax your shoulders", locations=["upper-back"])
    first = client.get("/advice/?location=upper-back&sort=recent")
    assert first["X-Page-Cache"] == "miss"
    for url in (
        "/advice/?sort=recent&location=upper-back",
        "/advice/?location=upper-back&sort=recent&utm_source=x1",
        "/advice/?utm_campaign=y2&location=upper-back&sort=recent&fbclid=z",
    ):
        again = client.get(url)
        assert again["X-Page-Cache"] == "hit", url
        assert again.content == first.content
    assert client.get("/advice/?location=knees")["X-Page-Cache"] == "miss"


def test_a_session_cookie_that_names_no_session_is_served_from_the_cache(client):
    client.get("/")
    client.cookies["sessionid"] = "no-such-session-at-all"
    assert client.get("/")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    "method, error",
    [("set", OSError("No space left on device")), ("get_many", ConnectionError("Redis down"))],
)
def test_a_cache_that_fails_serves_the_page_uncached(client, monkeypatch, method, error):
    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(cache, method, failing)
    response = client.get("/")
    assert response.status_code == 200 and b"<html" in response.content
    assert "X-Page-Cache" not in response


def test_text_that_looks_like_a_marker_is_left_as_written(client, committed):
    with committed():
        entry = make_advice("Markers", summary="It says kb-page-cache-csrf-token here.")
    client.get(entry.get_absolute_url())
    hit = client.get(entry.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert b"It says kb-page-cache-csrf-token here." in hit.content


def test_an_unchanged_page_revalidates_after_an_unrelated_change(client, committed):
    entry = make_advice("Relax your shoulders")
    etag = client.get(entry.get_absolute_url())["ETag"]
    with committed():
        make_thread("Sore shins on week three")  # shown on no advice page
    again = client.get(entry.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_the_vote_form_works_from_a_cached_page_and_after_a_304():
    entry = make_advice("Rest your knee", locations=["knees"], remedies=["rest"])
    url = entry.get_absolute_url()
    first = Client(enforce_csrf_checks=True)
    etag = first.get(url)["ETag"]
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(url)["X-Page-Cache"] == "hit"
    assert browser.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    vote = browser.post(f"{url}helpful", {"helpful": "yes"}, HTTP_ORIGIN="http://testserver")
    assert vote.status_code == 302
    assert AdviceVote.objects.filter(entry=entry).count() == 1


def reply_edit(editor: Client, reply: Reply, body: str):
    url = f"/admin/kbapp/reply/{reply.pk}/change/"
    return editor.post(url, {**form_data(editor.get(url)), "body": body})


def test_a_reply_edited_in_the_admin_reaches_its_thread_page(client, committed):
    thread = make_thread("Sore shins", replies=["Ice them."])
    url = thread.get_absolute_url()
    client.get(url)
    editor = client_for(make_user("editor"))
    with committed():
        assert reply_edit(editor, thread.replies.get(), "Ice them, then rest.").status_code == 302
    assert b"Ice them, then rest." in client.get(url).content


@pytest.mark.parametrize("approve", [True, False])
def test_moderating_a_note_retires_the_entry_page(client, committed, approve):
    entry = make_advice("Rest your knee")
    with committed():
        record_vote(entry=entry, helpful=False, missing="Say how long to rest.")
    url = entry.get_absolute_url()
    assert b"Say how long to rest." not in client.get(url).content
    with committed():
        moderate(votes=AdviceVote.objects.all(), approve=True)
    assert b"Say how long to rest." in client.get(url).content
    if not approve:
        with committed():
            moderate(votes=AdviceVote.objects.all(), approve=False)
        assert b"Say how long to rest." not in client.get(url).content


def test_unpublishing_is_gone_at_once(client, committed):
    entry = make_advice("Rest your knee")
    assert client.get("/advice/").content.count(b"Rest your knee") >= 1
    with committed():
        set_status(entry_id=entry.pk, status=AdviceEntry.Status.DRAFT, user=make_user("superuser"))
    assert b"Rest your knee" not in client.get("/advice/").content
    assert client.get(entry.get_absolute_url()).status_code == 404


def test_deleting_through_the_admin_is_gone_at_once(client, committed):
    thread = make_thread("Sore shins")
    url = thread.get_absolute_url()
    assert client.get(url).status_code == 200
    editor = client_for(make_user("superuser"))
    with committed():
        editor.post(f"/admin/kbapp/thread/{thread.pk}/delete/", {"post": "yes"})
    assert client.get(url).status_code == 404


def test_a_login_or_a_refused_form_retires_nothing(client):
    client.get("/")
    before = content_version()
    make_user("editor")
    Client().post("/admin/login/", {"username": "editor", "password": "wrong"})
    editor = client_for(make_user("superuser", "chief"))
    editor.post("/admin/kbapp/remedy/add/", {"name": ""})  # shown again with its errors
    assert content_version() == before
    assert client.get("/")["X-Page-Cache"] == "hit"


# --- Serving while a page renders ----------------------------------------------------------


def slow_view(calls: list, seconds: float = 0.3):
    def view(request):
        calls.append(routers.pinned.get())
        time.sleep(seconds)
        return HttpResponse(f"page {len(calls)}")

    return view


def get(middleware: PageCacheMiddleware, path: str = "/advice/"):
    return middleware(RequestFactory().get(path))


def test_concurrent_misses_of_one_url_render_it_once():
    calls: list = []
    middleware = PageCacheMiddleware(slow_view(calls))
    results: list = []
    workers = [threading.Thread(target=lambda: results.append(get(middleware))) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(calls) == 1
    assert {r.content for r in results} == {b"page 1"}
    assert calls == [True]  # rendered from the primary, never a lagging replica


def test_after_an_edit_the_old_copy_stands_in_while_one_request_renders():
    calls: list = []
    middleware = PageCacheMiddleware(slow_view(calls, seconds=0))
    assert get(middleware).content == b"page 1"
    bump_after_edit()
    cache.add(f"{page_key(RequestFactory().get('/advice/'))}:render", 1, 10)  # one renders
    stale = get(middleware)
    assert (stale.content, stale["X-Page-Cache"]) == (b"page 1", "stale")
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_after_an_edit_the_page_is_rendered_behind_the_old_copy(client, settings):
    """The request that claims the render is not kept waiting either: it gets the old copy,
    and a thread renders the new one through the whole stack, for the next reader."""
    settings.PAGE_CACHE_RENDER_BEHIND = True
    thread = make_thread("Sore shins", replies=["Ice them."])
    url = thread.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    reply = thread.replies.get()
    reply.body = "Ice them, then rest."
    reply.save()  # committed: no test transaction here
    behind = client.get(url)
    assert behind["X-Page-Cache"] == "stale" and b"then rest" not in behind.content
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        fresh = client.get(url)
        if fresh["X-Page-Cache"] == "hit":
            break
        time.sleep(0.05)
    assert fresh["X-Page-Cache"] == "hit" and b"Ice them, then rest." in fresh.content


@pytest.mark.parametrize("young", [False, True])
def test_after_a_removal_the_old_copy_is_never_served(settings, young):
    """However young the copy, which an edit alone would leave standing."""
    settings.PAGE_CACHE_EDIT_SECONDS = 60 if young else 0
    calls: list = []
    middleware = PageCacheMiddleware(slow_view(calls, seconds=0))
    assert get(middleware).content == b"page 1"
    bump_after_edit()
    after_edit = get(middleware)
    assert after_edit["X-Page-Cache"] == ("stale" if young else "miss")
    bump_content_version()
    fresh = get(middleware)
    assert (fresh["X-Page-Cache"], len(calls)) == ("miss", 2 if young else 3)
    assert fresh.content == f"page {len(calls)}".encode()
