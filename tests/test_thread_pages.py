"""Long threads show their replies in pages, and every link to a reply finds its page."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from kbapp.models import REPLIES_PER_PAGE, Reply
from kbapp.search import get_backend
from tests.factories import make_advice, make_thread

pytestmark = pytest.mark.django_db

REPLIES = 2 * REPLIES_PER_PAGE + 20


@pytest.fixture
def long_thread():
    bodies = [f"Reply number {n} says rest." for n in range(1, REPLIES + 1)]
    bodies[-1] = "The very last reply mentions the piriformis."
    return make_thread("A very long thread", "Who else aches?", bodies, locations=["knees"])


def anchors(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="reply" id="reply-(\d+)"', html)]


def test_a_page_holds_at_most_one_page_of_replies_in_order(client, long_thread):
    replies = list(long_thread.replies.order_by("position").values_list("pk", flat=True))
    first = client.get(long_thread.get_absolute_url()).content.decode()
    last = client.get(long_thread.get_absolute_url(), {"page": 3}).content.decode()
    assert anchors(first) == replies[:REPLIES_PER_PAGE]
    assert anchors(last) == replies[2 * REPLIES_PER_PAGE :]
    assert f"{REPLIES} replies, 101–120 shown" in unescape(last)
    assert 'start="101"' in last and 'rel="prev"' in last


@pytest.mark.parametrize("position", [1, REPLIES_PER_PAGE, REPLIES_PER_PAGE + 1, REPLIES])
def test_a_reply_link_leads_to_the_page_with_its_anchor(client, long_thread, position):
    reply = long_thread.replies.get(position=position)
    url = reply.get_absolute_url()
    path, anchor = url.split("#")
    assert ("?page=" in path) is (position > REPLIES_PER_PAGE), url
    assert f'id="{anchor}"' in client.get(path).content.decode()


def test_advice_citations_and_search_hits_link_to_the_right_page(client, long_thread):
    last = long_thread.replies.get(position=REPLIES)
    entry = make_advice("Rest the knee", locations=["knees"], sources=[last])
    html = client.get(entry.get_absolute_url()).content.decode()
    assert last.get_absolute_url() in unescape(html)
    [hit] = get_backend().search("piriformis").hits
    assert hit.url == last.get_absolute_url() and "?page=3#" in hit.url
    api = client.get(reverse("api_advice_detail", args=[entry.slug])).json()
    assert api["sources"][0]["url"].endswith(last.get_absolute_url())


def test_the_api_pages_replies_the_same_way(client, long_thread):
    url = reverse("api_thread_detail", args=[long_thread.slug])
    data = client.get(url).json()
    assert (data["reply_count"], data["page"], data["num_pages"]) == (REPLIES, 1, 3)
    assert len(data["replies"]) == REPLIES_PER_PAGE and data["previous"] is None
    last = client.get(data["next"].replace("page=2", "page=3")).json()
    assert len(last["replies"]) == REPLIES - 2 * REPLIES_PER_PAGE and last["next"] is None
    assert client.get(url, {"page": 4}).json() == {
        "error": "There is no page 4: these results fit on 3 pages."
    }
    assert client.get(url, {"sort": "x"}).status_code == 400


@pytest.mark.parametrize("page, status", [("4", 400), ("²", 400), ("0", 400)])
def test_a_page_the_thread_does_not_have_says_so(client, long_thread, page, status):
    response = client.get(long_thread.get_absolute_url(), {"page": page})
    assert response.status_code == status
    assert "Read the thread from the start" in response.content.decode()


def test_the_queries_do_not_grow_with_the_replies(client, long_thread, django_assert_num_queries):
    short = make_thread("Short", "Short one.", ["Just one reply."])
    with django_assert_num_queries(8) as short_queries:  # 7, and the red flags it mentions
        client.get(short.get_absolute_url())
    Reply.objects.bulk_create(
        Reply(thread=long_thread, position=REPLIES + n, body=f"More {n}") for n in range(1, 500)
    )
    with django_assert_num_queries(len(short_queries.captured_queries)):
        response = client.get(long_thread.get_absolute_url(), {"page": 5})
    assert len(anchors(response.content.decode())) == REPLIES_PER_PAGE
