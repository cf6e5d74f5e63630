"""No lost updates: two editors save the same object from the same starting version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kbapp.models import AdviceEntry, PainLocation, RedFlag, Remedy, Thread
from kbapp.services import curation
from tests.admin_support import (
    client_for,
    curated_thread,
    form_data,
    make_user,
)
from tests.factories import make_advice

pytestmark = pytest.mark.django_db


def two_editors(role: str = "editor"):
    return client_for(make_user(role, "alice")), client_for(make_user(role, "bob"))


def test_second_save_of_an_advice_entry_is_refused_naming_who_and_nothing_is_lost():
    entry = make_advice("Relax your shoulders", status=AdviceEntry.Status.DRAFT)
    url = reverse("admin:kbapp_adviceentry_change", args=[entry.pk])
    alice, bob = two_editors()
    alice_form, bob_form = form_data(alice.get(url)), form_data(bob.get(url))
    assert alice_form["version"] == bob_form["version"] == "1"

    alice_form["body"] = "Alice: drop your shoulders every mile."
    assert alice.post(url, alice_form).status_code == 302
    bob_form["summary"] = "Bob's summary"
    refused = bob.post(url, bob_form)

    assert refused.status_code == 200
    assert "alice changed this advice entry at" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.body == "Alice: drop your shoulders every mile."
    assert entry.summary != "Bob's summary"
    assert entry.version == 2


# Told again for threads on purpose: each test shows the whole lost-update race for its form.
def test_second_save_of_a_thread_is_refused_with_its_inlines_and_the_first_kept():
    thread = curated_thread()
    url = reverse("admin:kbapp_thread_change", args=[thread.pk])
    alice, bob = two_editors()
    alice_form, bob_form = form_data(alice.get(url)), form_data(bob.get(url))

    alice_form["title"] = "Upper back pain on long runs"
    assert alice.post(url, alice_form).status_code == 302
    bob_form["title"] = "Bob's title"
    bob_form["replies-0-body"] = "Bob rewrote the first reply."
    refused = bob.post(url, bob_form)

    assert refused.status_code == 200
    assert "alice changed this thread at" in refused.content.decode()
    thread.refresh_from_db()
    assert thread.title == "Upper back pain on long runs"
    assert thread.replies.get(position=1).body.startswith("My upper back hurts")
    assert thread.version == 2


def test_a_bulk_action_between_load_and_save_also_refuses_the_stale_form():
    thread = curated_thread()
    url = reverse("admin:kbapp_thread_change", args=[thread.pk])
    alice, bob = two_editors()
    bob_form = form_data(bob.get(url))
    alice.post(reverse("admin:kbapp_thread_confirm", args=[thread.pk]))
    bob_form["title"] = "Bob's title"
    # Bob's inline rows still say "suggested": saving them would undo Alice's confirmation.
    assert bob.post(url, bob_form).status_code == 200
    thread.refresh_from_db()
    assert thread.title != "Bob's title"
    assert not thread.location_tags.filter(status="suggested").exists()


def test_the_service_claims_the_version_atomically():
    entry = make_advice(status=AdviceEntry.Status.DRAFT)
    editor = make_user("editor")
    first = AdviceEntry.objects.get(pk=entry.pk)
    first.body = "first"
    curation.save_advice(
        entry=first, user=editor, locations=[], remedies=[], sources=[], expected_version=1
    )
    second = AdviceEntry.objects.get(pk=entry.pk)
    second.body = "second"
    with pytest.raises(curation.ConcurrentEdit):
        curation.save_advice(
            entry=second, user=editor, locations=[], remedies=[], sources=[], expected_version=1
        )
    entry.refresh_from_db()
    assert (entry.body, entry.version) == ("first", 2)


def test_a_thread_save_from_a_stale_version_is_refused_by_the_service():
    thread = curated_thread()
    Thread.objects.filter(pk=thread.pk).update(version=5)
    thread.title = "stale"
    with pytest.raises(curation.ConcurrentEdit):
        curation.save_thread(thread=thread, expected_version=4, user=make_user("editor"))
    assert Thread.objects.get(pk=thread.pk).title != "stale"


def evidence_on_a_thread():
    reply = curated_thread().replies.get(position=2)
    return reply.evidence.get()


@pytest.mark.parametrize(
    ("model_name", "make", "field", "alice_value", "bob_value"),
    # Red flags are kept by superusers only (the Editors group may not change them).
    [
        ("evidence", evidence_on_a_thread, "stance", "helped", "did_not_help"),
        (
            "painlocation",
            lambda: PainLocation.objects.get(slug="upper-back"),
            "synonyms",
            "thoracic",
            "scapula",
        ),
        ("remedy", lambda: Remedy.objects.get(slug="yoga"), "synonyms", "asana", "hatha"),
        ("redflag", lambda: RedFlag.objects.get(slug="numbness"), "phrases", "numb", "tingly"),
    ],
)
def test_every_change_form_refuses_a_stale_second_save(
    model_name, make, field, alice_value, bob_value
):
    obj = make()
    url = reverse(f"admin:kbapp_{model_name}_change", args=[obj.pk])
    alice, bob = two_editors("superuser" if model_name == "redflag" else "editor")
    alice_form, bob_form = form_data(alice.get(url)), form_data(bob.get(url))
    assert alice_form["version"] == bob_form["version"] == str(obj.version)

    assert alice.post(url, {**alice_form, field: alice_value}).status_code == 302
    refused = bob.post(url, {**bob_form, field: bob_value})

    assert refused.status_code == 200
    assert f"alice changed this {obj._meta.verbose_name} at" in refused.content.decode()
    saved = type(obj).objects.get(pk=obj.pk)
    assert (getattr(saved, field), saved.version) == (alice_value, obj.version + 1)
