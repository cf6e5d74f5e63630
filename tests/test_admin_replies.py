"""Replies in the admin: evidence against the reply's words, merge, split, advice from replies."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from kbapp.models import Evidence, TagStatus, Thread
from tests.admin_support import (
    client_for,
    confirmed_thread,
    curated_thread,
    form_data,
    make_user,
)
from tests.factories import location, make_thread, remedy

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return client_for(make_user("editor"))


def change_url(reply) -> str:
    return reverse("admin:kbapp_reply_change", args=[reply.pk])


def with_new_evidence(data: dict, **row) -> dict:
    n = int(data["evidence-TOTAL_FORMS"])
    data = {**data, "evidence-TOTAL_FORMS": str(n)}
    for name, value in row.items():
        data[f"evidence-{n - 1}-{name}"] = value
    return data


def test_suggested_evidence_is_prefilled_and_marked(editor):
    reply = curated_thread().replies.get(position=2)
    page = editor.get(change_url(reply))
    html = page.content.decode()
    assert 'class="kb-badge kb-suggested">Suggested' in html
    assert "Relax your shoulders and drop them every few minutes." in html
    assert 'id="kb-quote-selection"' in html


def test_recording_evidence_quotes_the_reply_and_is_confirmed_by_the_editor(editor):
    thread = curated_thread()
    reply = thread.replies.get(position=2)
    data = with_new_evidence(
        form_data(editor.get(change_url(reply))),
        remedy=remedy("core-strength").pk,
        location=location("upper-back").pk,
        stance=Evidence.Stance.HELPED,
        quote="Core strength helped me too",
        status=TagStatus.CONFIRMED,
    )
    response = editor.post(change_url(reply), data)
    assert response.status_code == 302
    evidence = Evidence.objects.get(remedy__slug="core-strength")
    assert (evidence.reply, evidence.stance, evidence.status) == (reply, "helped", "confirmed")
    assert evidence.confirmed_by.username == "editor"
    assert Thread.objects.get(pk=thread.pk).version == thread.version + 1


# The same form as the test above, written out: each test reads as what the editor posts.
def test_a_quote_that_is_not_in_the_reply_is_refused(editor):
    reply = curated_thread().replies.get(position=2)
    data = with_new_evidence(
        form_data(editor.get(change_url(reply))),
        remedy=remedy("yoga").pk,
        location=location("upper-back").pk,
        stance=Evidence.Stance.HELPED,
        quote="Yoga cured everything",
        status=TagStatus.CONFIRMED,
    )
    response = editor.post(change_url(reply), data)
    assert response.status_code == 200
    assert "Quote words from the reply itself" in response.content.decode()
    assert not Evidence.objects.filter(remedy__slug="yoga").exists()


def test_merge_page_then_merge(editor):
    thread = curated_thread()
    third = thread.replies.get(position=3)
    url = reverse("admin:kbapp_reply_merge", args=[third.pk])
    page = editor.get(url).content.decode()
    assert "different authors" in page
    response = editor.post(url)
    second = thread.replies.get(position=2)
    assert response["Location"] == change_url(second)
    assert second.body.endswith("Try pilates, it made my back feel so much better.")
    assert thread.replies.count() == 2


def test_merging_the_first_reply_explains_why_not(editor):
    first = curated_thread().replies.get(position=1)
    url = reverse("admin:kbapp_reply_merge", args=[first.pk])
    assert "no previous reply" in editor.get(url).content.decode()
    response = editor.post(url, follow=True)
    assert "no previous reply to merge into" in response.content.decode()
    assert first.thread.replies.count() == 3


def test_split_page_offers_the_paragraph_breaks_then_splits(editor):
    thread = curated_thread()
    second = thread.replies.get(position=2)
    url = reverse("admin:kbapp_reply_split", args=[second.pk])
    page = editor.get(url).content.decode()
    assert page.count('name="at_paragraph"') == 1
    assert editor.post(url, {"at_paragraph": "9"}).status_code == 400
    assert editor.post(url, {}).status_code == 400
    response = editor.post(url, {"at_paragraph": "1"})
    assert response.status_code == 302
    assert [r.body[:10] for r in thread.replies.order_by("position")] == [
        "My upper b",
        "Relax your",
        "Core stren",
        "Try pilate",
    ]
    assert thread.replies.get(position=2).evidence.count() == 1


def test_reply_source_autocomplete_shows_thread_title_and_an_excerpt(editor):
    curated_thread()
    url = reverse("admin:kbapp_reply_source_autocomplete")
    params = "app_label=kbapp&model_name=adviceentry&field_name=sources"
    results = editor.get(f"{url}?term=pilates&{params}").json()["results"]
    assert [r["text"] for r in results] == [
        "Jo, reply #3: “Try pilates, it made my back feel so much better.” "
        "in Pain between my shoulder blades after W7R1"
    ]
    assert editor.get(f"{url}?term=pilates").status_code == 403


def test_create_advice_from_selected_replies_prefills_the_add_form(editor):
    thread = confirmed_thread()
    other = make_thread("Shins", replies=["Rest a week."], locations=["shins"], remedies=["rest"])
    chosen = [thread.replies.get(position=2).pk, other.replies.get().pk]
    response = editor.post(
        reverse("admin:kbapp_reply_changelist"),
        {"action": "create_advice", "_selected_action": chosen},
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert set(query["sources"][0].split(",")) == {str(pk) for pk in chosen}
    assert set(query["locations"][0].split(",")) == {
        str(location("between-the-shoulder-blades").pk),
        str(location("shins").pk),
    }
    form = editor.get(response["Location"]).content.decode()
    assert "Bluebird, reply #2: “Relax your shoulders and drop them every few minutes." in form


def test_reply_changelist_query_budget(editor, django_assert_max_num_queries):
    for i in range(30):
        curated_thread(slug=f"t-{i}", source_key=f"k-{i}")
    with django_assert_max_num_queries(12):
        assert editor.get(reverse("admin:kbapp_reply_changelist")).status_code == 200


def test_source_labels_tell_replies_of_one_thread_apart_before_the_title():
    from kbapp.admin.forms import reply_label

    thread = make_thread(
        "W5R3 - ache between my shoulder blades after the long run",
        replies=[("Jo", "Relax your shoulders every mile."), ("Jo", "Swimming helped me.")],
    )
    labels = [reply_label(r) for r in thread.replies.order_by("position")]
    assert labels[0].startswith("Jo, reply #1: “Relax your shoulders every mile.”")
    assert labels[1].startswith("Jo, reply #2: “Swimming helped me.”")
    # A picker that cuts labels at 30 characters still shows two different ones.
    assert labels[0][:30] != labels[1][:30]
