"""Publishing rules, drafting from a thread, and published advice frozen against later edits."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kbapp.models import AdviceEntry, Evidence, RedFlag
from kbapp.selectors import advice_prefill
from kbapp.services import curation
from tests.admin_support import (
    client_for,
    confirmed_thread,
    curated_thread,
    form_data,
    make_user,
)
from tests.factories import location, make_advice, make_evidence, remedy
from tests.public_support import page_text

pytestmark = pytest.mark.django_db
Status = AdviceEntry.Status


@pytest.fixture
def publisher():
    return make_user("publisher")


def flagged_thread():
    thread = confirmed_thread()
    thread.red_flags.add(RedFlag.objects.get(slug="numbness"))
    return thread


# The rules, in the service ---------------------------------------------------------------


def test_publish_is_refused_without_a_source_a_review_date_or_red_flags_and_says_why(publisher):
    entry = make_advice(status=Status.IN_REVIEW, review_due=None, see_a_professional_if="")
    with pytest.raises(curation.NotPublishable) as refused:
        curation.publish(entry_id=entry.pk, user=publisher)
    assert [p.field for p in refused.value.problems] == ["sources", "review_due"]
    assert "Cite at least one reply from a visible thread" in str(refused.value)
    assert AdviceEntry.objects.get(pk=entry.pk).status == Status.IN_REVIEW

    entry.sources.set([flagged_thread().replies.get(position=2)])
    AdviceEntry.objects.filter(pk=entry.pk).update(review_due=timezone.localdate())
    with pytest.raises(curation.NotPublishable, match="a cited thread mentions numbness"):
        curation.publish(entry_id=entry.pk, user=publisher)

    AdviceEntry.objects.filter(pk=entry.pk).update(see_a_professional_if="Numbness")
    assert curation.publish(entry_id=entry.pk, user=publisher).status == Status.PUBLISHED


def test_sources_on_hidden_threads_only_do_not_count(publisher):
    thread = curated_thread(is_hidden=True)
    entry = make_advice(status=Status.DRAFT, sources=[thread.replies.get(position=2)])
    with pytest.raises(curation.NotPublishable, match="visible thread"):
        curation.publish(entry_id=entry.pk, user=publisher)


def test_a_published_entry_cannot_be_saved_into_breaking_the_rules(publisher):
    reply = curated_thread().replies.get(position=2)
    entry = make_advice(status=Status.DRAFT, sources=[reply])
    curation.publish(entry_id=entry.pk, user=publisher)
    entry.refresh_from_db()
    with pytest.raises(curation.NotPublishable):
        curation.save_advice(
            entry=entry, user=publisher, locations=[location("upper-back")], remedies=[], sources=[]
        )
    assert list(AdviceEntry.objects.get(pk=entry.pk).sources.all()) == [reply]


# The rules, in the admin ----------------------------------------------------------------


def test_admin_publish_without_a_source_shows_the_reason_beside_the_field_and_keeps_the_edits(
    publisher,
):
    client = client_for(publisher)
    entry = make_advice(status=Status.IN_REVIEW, sources=[])
    url = reverse("admin:kbapp_adviceentry_change", args=[entry.pk])
    data = {**form_data(client.get(url)), "body": "An edit worth keeping.", "_publish": "1"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert errors["sources"] == ["Cite at least one reply from a visible thread as its source."]
    assert "An edit worth keeping." in refused.content.decode()
    assert AdviceEntry.objects.get(pk=entry.pk).status == Status.IN_REVIEW

    data["sources"] = [str(curated_thread().replies.get(position=2).pk)]
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.body) == (Status.PUBLISHED, "An edit worth keeping.")


def test_the_add_form_proposes_a_review_date_a_year_ahead():
    client = client_for(make_user("editor"))
    form = client.get(reverse("admin:kbapp_adviceentry_add")).context["adminform"].form
    assert form["review_due"].value() == timezone.localdate() + timedelta(days=365)


# Drafting from a thread -------------------------------------------------------------------


def test_drafting_from_a_red_flagged_thread_prefills_see_a_professional_and_skips_unhelpful():
    thread = flagged_thread()
    second, third = thread.replies.get(position=2), thread.replies.get(position=3)
    make_evidence(third, "foam-rolling", "upper-back", stance=Evidence.Stance.DID_NOT_HELP)
    make_evidence(third, "pilates", "upper-back", stance=Evidence.Stance.HELPED)
    make_evidence(second, "yoga", "upper-back", stance=Evidence.Stance.DID_NOT_HELP)
    make_evidence(third, "yoga", "lower-back", stance=Evidence.Stance.HELPED)
    client = client_for(make_user("editor"))

    drafted = client.get(reverse("admin:kbapp_thread_advice", args=[thread.pk]))
    form = client.get(drafted["Location"]).context["adminform"].form
    assert form["see_a_professional_if"].value() == "Numbness, tingling or pins and needles"
    # Foam rolling's only evidence says it did not help; yoga helped someone, so it stays.
    wanted = {"relax-shoulders", "pilates", "yoga"}
    assert set(form["remedies"].value()) == {str(remedy(slug).pk) for slug in wanted}
    assert set(advice_prefill(reply_ids=[second.pk, third.pk])["remedies"]) == {
        remedy(slug).pk for slug in wanted
    }


# The call test_curation_services.py also makes, spelled out: here the subject is what a
# new draft starts with, not the call.
def test_create_advice_from_replies_starts_with_red_flags_and_a_review_date():
    thread = flagged_thread()
    entry = curation.create_advice_from_replies(
        reply_ids=[thread.replies.get(position=2).pk],
        user=make_user("editor"),
        title="Relax",
        slug="relax",
        summary="s",
        body="b",
    )
    assert entry.red_flag_lines == ["Numbness, tingling or pins and needles"]
    assert entry.review_due == timezone.localdate() + timedelta(days=365)


# Published advice is frozen ----------------------------------------------------------------


def published_entry(publisher) -> tuple[AdviceEntry, object]:
    thread = curated_thread()
    reply = thread.replies.get(position=2)
    entry = make_advice("Frozen advice", status=Status.DRAFT, sources=[reply])
    curation.publish(entry_id=entry.pk, user=publisher)
    return AdviceEntry.objects.get(pk=entry.pk), reply


def dashboard_changes(client) -> dict:
    context = client.get(reverse("admin:index")).context
    return {entry.title: changes for entry, changes in context["sources_changed"]}


def test_editing_a_cited_reply_leaves_the_public_page_and_flags_the_entry(client, publisher):
    entry, reply = published_entry(publisher)
    editor = client_for(make_user("editor"))
    url = reverse("admin:kbapp_reply_change", args=[reply.pk])
    # The evidence's quote must stay in the reply, so the edit adds to it.
    body = "Relax your shoulders and drop them every few minutes.\n\nRewritten by an editor later."
    data = {**form_data(editor.get(url)), "body": body}
    assert editor.post(url, data).status_code == 302

    page = page_text(client.get(entry.get_absolute_url()))
    assert "Core strength helped me too" in page
    assert "Rewritten by an editor later." not in page
    api = client.get(reverse("api_advice_detail", args=[entry.slug])).json()
    assert "Core strength helped me too" in api["sources"][0]["body"]
    changes = dashboard_changes(client_for(publisher))
    assert changes == {
        "Frozen advice": ["reply 2 in “Pain between my shoulder blades after W7R1” was edited"]
    }

    # The publisher reviews it and saves: the new words are published, the flag clears.
    publisher_client = client_for(publisher)
    change = reverse("admin:kbapp_adviceentry_change", args=[entry.pk])
    response = publisher_client.get(change)
    assert "The public page still shows the text as published" in response.content.decode()
    assert publisher_client.post(change, form_data(response)).status_code == 302
    assert "Rewritten by an editor later." in page_text(client.get(entry.get_absolute_url()))
    assert dashboard_changes(publisher_client) == {}


def test_hiding_a_cited_thread_keeps_the_quote_and_flags_the_entry(client, publisher):
    entry, reply = published_entry(publisher)
    curation.set_hidden(thread_ids=[reply.thread_id], hidden=True, user=make_user("editor"))
    page = client.get(entry.get_absolute_url())
    assert page.status_code == 200
    assert "Relax your shoulders and drop them every few minutes." in page_text(page)
    assert list(dashboard_changes(client_for(publisher))["Frozen advice"]) == [
        "the thread of reply 2 in “Pain between my shoulder blades after W7R1” was hidden"
    ]


def test_merging_a_cited_reply_away_is_flagged(publisher):
    entry, reply = published_entry(publisher)
    thread = reply.thread
    curation.merge_into_previous(reply_id=reply.pk, user=publisher)
    changes = dashboard_changes(client_for(publisher))["Frozen advice"]
    assert changes[0].endswith("was removed or merged")
    assert "reply 1 in" in changes[1] and thread.title in changes[1]


def test_a_reimport_that_changes_a_cited_reply_is_flagged_and_the_page_stays(client, publisher):
    from kbapp.models import Reply
    from kbapp.services.importing import ImportSource, import_files

    line = {
        "id": "c25k-frozen",
        "title": "Shin splints in week 3",
        "body": "Both shins hurt after the second run.",
        "replies": [{"author": "Jo", "body": "Rest for a week, then ease back in."}],
    }
    import_files([ImportSource("shins.jsonl", json.dumps(line).encode())])
    reply = Reply.objects.get(thread__source_key__contains="c25k-frozen")
    entry = make_advice("Rest your shins", status=Status.DRAFT, sources=[reply])
    curation.publish(entry_id=entry.pk, user=publisher)

    line["replies"][0]["body"] = "Rest for two weeks, then ease back in."
    import_files([ImportSource("shins.jsonl", json.dumps(line).encode())])
    assert Reply.objects.get(pk=reply.pk).body.startswith("Rest for two weeks")
    assert "Rest for a week" in page_text(client.get(entry.get_absolute_url()))
    assert dashboard_changes(client_for(publisher)) == {
        "Rest your shins": ["reply 1 in “Shin splints in week 3” was edited"]
    }
