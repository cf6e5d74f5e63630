"""The editors' dashboard on the admin index."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kbapp.models import AdviceEntry, RedFlag, SearchQuery
from tests.admin_support import client_for, make_user
from tests.factories import make_advice, make_evidence, make_thread

pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")


def fill() -> None:
    make_thread("Untagged one")
    flagged = make_thread("Pins and needles", locations=["neck"])
    flagged.red_flags.add(RedFlag.objects.first())
    tagged = make_thread("Tagged", replies=["yoga helps my knees", "rest"], locations=["knees"])
    make_evidence(tagged.replies.get(position=1), "yoga", "knees")
    make_evidence(tagged.replies.get(position=2), "rest", "knees")
    make_advice("Overdue", review_due=date(2020, 1, 1), status=AdviceEntry.Status.DRAFT)
    make_advice("Fresh", review_due=date(2099, 1, 1))
    for query, results in [("scapula", 0), ("Scapula", 0), ("hip pops", 0), ("knee", 4)]:
        SearchQuery.objects.create(query=query, results=results)


def test_dashboard_shows_what_needs_doing(django_assert_max_num_queries):
    fill()
    editor = client_for(make_user("editor"))
    with django_assert_max_num_queries(20):
        page = editor.get(INDEX)
    html = page.content.decode()
    context = page.context
    assert [t.title for t in context["untagged"]] == ["Untagged one"]
    assert [t.title for t in context["flagged"]] == ["Pins and needles"]
    assert [e.title for e in context["overdue"]] == ["Overdue"]
    assert context["unanswered"] == [
        {"text": "scapula", "times": 2},
        {"text": "hip pops", "times": 1},
    ]
    assert context["matrix"] == {"remedies": ["Rest", "Yoga"], "rows": [("Knees", [1, 1])]}
    assert "Import threads…" in html and "“scapula”" in html


def test_dashboard_queries_are_bounded(django_assert_max_num_queries):
    for i in range(30):
        fill_thread = make_thread(f"T{i}", replies=["yoga"], locations=["knees"] if i % 2 else [])
        make_evidence(fill_thread.replies.get(), "yoga", "knees")
        SearchQuery.objects.create(query=f"q{i}", results=0)
    editor = client_for(make_user("editor"))
    with django_assert_max_num_queries(20):
        editor.get(INDEX)


def test_superuser_sees_it_too_and_anonymous_is_sent_to_log_in():
    assert "kb-dashboard" in client_for(make_user("superuser")).get(INDEX).content.decode()
    assert client_for(None).get(INDEX).status_code == 302
