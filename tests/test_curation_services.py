"""The curation services: every write editors make, on the real database."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied

from kbapp.models import AdviceEntry, Evidence, Reply, TagStatus, Thread
from kbapp.selectors import advice_prefill
from kbapp.services import curation
from tests.admin_support import confirmed_thread, curated_thread, make_user
from tests.factories import location, make_advice, make_evidence, make_thread, remedy

pytestmark = pytest.mark.django_db
Status = AdviceEntry.Status


def positions(thread: Thread) -> list[int]:
    return list(thread.replies.order_by("position").values_list("position", flat=True))


def words(text: str) -> list[str]:
    return text.split()


# Tags, confirmation, hiding ---------------------------------------------------------


def test_add_tags_confirms_new_and_suggested_tags_and_bumps_versions():
    thread, other = curated_thread(), make_thread("Knee pain")
    count = curation.add_tags(
        thread_ids=[thread.pk, other.pk],
        user=make_user("editor"),
        location_ids=[location("between-the-shoulder-blades").pk, location("knees").pk],
    )
    assert count == 2
    statuses = dict(thread.location_tags.values_list("location__slug", "status"))
    assert statuses == {"between-the-shoulder-blades": "confirmed", "knees": "confirmed"}
    assert other.location_tags.count() == 2
    assert Thread.objects.get(pk=thread.pk).version == thread.version + 1
    assert LogEntry.objects.filter(object_id=str(thread.pk)).exists()


def test_confirm_suggestions_confirms_tags_and_evidence_with_who():
    thread, editor = curated_thread(), make_user("editor")
    done = curation.confirm_suggestions(thread_ids=[thread.pk], user=editor)
    assert (done.threads, done.tags, done.evidence) == (1, 2, 1)
    assert not thread.location_tags.filter(status=TagStatus.SUGGESTED).exists()
    assert Evidence.objects.get().confirmed_by == editor
    assert str(done) == "2 tag(s) and 1 evidence confirmed on 1 thread(s)"


def test_hide_and_show_count_only_threads_that_change():
    thread, editor = curated_thread(), make_user("editor")
    assert curation.set_hidden(thread_ids=[thread.pk], hidden=True, user=editor) == 1
    assert curation.set_hidden(thread_ids=[thread.pk], hidden=True, user=editor) == 0
    assert not Thread.objects.visible().filter(pk=thread.pk).exists()
    assert curation.set_hidden(thread_ids=[thread.pk], hidden=False, user=editor) == 1


# Evidence ---------------------------------------------------------------------------


def test_record_evidence_needs_the_reply_words_and_replaces_a_suggestion():
    thread, editor = curated_thread(), make_user("editor")
    reply = thread.replies.get(position=2)
    with pytest.raises(curation.CurationError, match="words from the reply"):
        curation.record_evidence(
            reply_id=reply.pk,
            remedy_id=remedy("relax-shoulders").pk,
            location_id=location("between-the-shoulder-blades").pk,
            stance=Evidence.Stance.HELPED,
            quote="words nobody wrote",
            user=editor,
        )
    # The refused call again but for its quote: that one difference is what the test shows.
    evidence = curation.record_evidence(
        reply_id=reply.pk,
        remedy_id=remedy("relax-shoulders").pk,
        location_id=location("between-the-shoulder-blades").pk,
        stance=Evidence.Stance.HELPED,
        quote="relax your   shoulders",
        user=editor,
    )
    assert Evidence.objects.count() == 1
    assert (evidence.status, evidence.stance, evidence.confirmed_by) == (
        TagStatus.CONFIRMED,
        Evidence.Stance.HELPED,
        editor,
    )


def test_quote_matching_ignores_case_and_spacing_but_not_words():
    assert curation.quote_in_text("Relax  your\nshoulders", "relax your shoulders, then run")
    assert not curation.quote_in_text("relax your knees", "relax your shoulders")
    assert not curation.quote_in_text("   ", "anything")


def test_confirm_evidence_in_bulk():
    thread = curated_thread()
    assert (
        curation.confirm_evidence(
            evidence_ids=Evidence.objects.values_list("pk", flat=True), user=make_user("editor")
        )
        == 1
    )
    assert Evidence.objects.get().status == TagStatus.CONFIRMED
    assert Thread.objects.get(pk=thread.pk).version == thread.version + 1


# Merge and split --------------------------------------------------------------------


def test_merge_keeps_every_word_moves_evidence_and_citations_and_renumbers():
    thread = make_thread(replies=["one", "two words", "three", "four"])
    second, third = thread.replies.get(position=2), thread.replies.get(position=3)
    make_evidence(second, "yoga", "knees", status=TagStatus.SUGGESTED, quote="two")
    make_evidence(third, "yoga", "knees", status=TagStatus.CONFIRMED, quote="three")
    make_evidence(third, "rest", "knees", quote="three")
    entry = make_advice(sources=[third])
    before = sum((words(r.body) for r in thread.replies.all()), [])

    merged = curation.merge_into_previous(reply_id=third.pk, user=make_user("editor"))

    assert merged.pk == second.pk and merged.body == "two words\n\nthree"
    assert positions(thread) == [1, 2, 3]
    assert sum((words(r.body) for r in thread.replies.all()), []) == before
    claims = {(e.remedy.slug, e.status) for e in merged.evidence.all()}
    # The duplicate yoga/knees claim kept the confirmed one, not the suggestion.
    assert claims == {("yoga", "confirmed"), ("rest", "confirmed")}
    assert list(entry.sources.all()) == [merged]


def test_merging_the_first_reply_is_refused():
    thread = make_thread(replies=["one", "two"])
    with pytest.raises(curation.CurationError, match="first reply"):
        curation.merge_into_previous(
            reply_id=thread.replies.get(position=1).pk, user=make_user("editor")
        )
    assert positions(thread) == [1, 2]


def test_split_keeps_every_word_and_evidence_follows_its_quote():
    body = "First paragraph about shoulders.\n\nSecond about planks.\n  \nThird about yoga."
    thread = make_thread(replies=["before", ("Ann", body), "after"])
    reply = thread.replies.get(position=2)
    make_evidence(reply, "relax-shoulders", "shoulders", quote="about shoulders")
    make_evidence(reply, "yoga", "back", quote="Third about yoga.")
    entry = make_advice(sources=[reply])

    part = curation.split_reply(reply_id=reply.pk, at_paragraph=2, user=make_user("editor"))

    reply.refresh_from_db()
    assert reply.body == "First paragraph about shoulders.\n\nSecond about planks."
    assert (part.body, part.position, part.author) == ("Third about yoga.", 3, "Ann")
    assert positions(thread) == [1, 2, 3, 4]
    assert thread.replies.get(position=4).body == "after"
    assert words(reply.body) + words(part.body) == words(body)
    assert [e.remedy.slug for e in reply.evidence.all()] == ["relax-shoulders"]
    assert [e.remedy.slug for e in part.evidence.all()] == ["yoga"]
    assert set(entry.sources.all()) == {reply, part}


@pytest.mark.parametrize("at", [0, 3, -1])
def test_split_outside_the_paragraphs_is_refused_and_changes_nothing(at):
    thread = make_thread(replies=["a\n\nb\n\nc"])
    reply = thread.replies.get()
    with pytest.raises(curation.CurationError, match="between 1 and 2"):
        curation.split_reply(reply_id=reply.pk, at_paragraph=at, user=make_user("editor"))
    assert Reply.objects.get(pk=reply.pk).body == "a\n\nb\n\nc"


def test_split_then_merge_restores_the_reply():
    thread = make_thread(replies=["x", "para one\n\npara two", "y"])
    reply = thread.replies.get(position=2)
    editor = make_user("editor")
    part = curation.split_reply(reply_id=reply.pk, at_paragraph=1, user=editor)
    merged = curation.merge_into_previous(reply_id=part.pk, user=editor)
    assert merged.body == "para one\n\npara two"
    assert positions(thread) == [1, 2, 3]


# Advice entries ---------------------------------------------------------------------


def new_entry(**fields) -> AdviceEntry:
    fields.setdefault("review_due", date(2027, 6, 1))
    return AdviceEntry(title="Relax", slug="relax", summary="s", body="b", **fields)


def test_save_advice_creates_a_draft_whatever_status_it_was_given_and_records_a_version():
    from reversion.models import Version

    editor = make_user("editor")
    entry = curation.save_advice(
        entry=new_entry(status=Status.PUBLISHED),
        user=editor,
        locations=[location("upper-back")],
        remedies=[],
        sources=[],
    )
    assert entry.status == Status.DRAFT and entry.published_at is None
    version = Version.objects.get_for_object(entry).get()
    assert version.revision.user == editor
    assert version.field_dict["locations"] == [location("upper-back").pk]


def test_workflow_moves_and_refuses_what_is_not_allowed():
    entry = make_advice(status=Status.DRAFT, sources=[curated_thread().replies.get(position=2)])
    editor, publisher = make_user("editor"), make_user("publisher")
    with pytest.raises(PermissionDenied):
        curation.publish(entry_id=entry.pk, user=editor)
    curation.submit_for_review(entry_id=entry.pk, user=editor)
    with pytest.raises(curation.CurationError, match="cannot move to in review"):
        curation.submit_for_review(entry_id=entry.pk, user=editor)
    published = curation.publish(entry_id=entry.pk, user=publisher)
    assert published.status == Status.PUBLISHED and published.published_at is not None
    with pytest.raises(PermissionDenied):
        curation.set_status(entry_id=entry.pk, status=Status.DRAFT, user=editor)
    assert AdviceEntry.objects.get(pk=entry.pk).version == entry.version + 2


def test_an_editor_cannot_change_a_published_entry():
    entry = make_advice(status=Status.PUBLISHED)
    entry.body = "edited"
    with pytest.raises(PermissionDenied):
        curation.save_advice(
            entry=entry, user=make_user("editor"), locations=[], remedies=[], sources=[]
        )
    assert AdviceEntry.objects.get(pk=entry.pk).body != "edited"


def test_revert_restores_content_and_relations_but_not_the_status():
    from reversion.models import Version

    thread = curated_thread()
    editor, publisher = make_user("editor"), make_user("publisher")
    entry = curation.save_advice(
        entry=new_entry(),
        user=editor,
        locations=[location("upper-back")],
        remedies=[remedy("yoga")],
        sources=[thread.replies.get(position=1)],
    )
    entry.body = "A worse body"
    curation.save_advice(
        entry=entry,
        user=editor,
        locations=[location("knees")],
        remedies=[],
        sources=[thread.replies.get(position=2)],
        expected_version=1,
    )
    curation.publish(entry_id=entry.pk, user=publisher)
    first = Version.objects.get_for_object(entry).order_by("pk").first()

    with pytest.raises(PermissionDenied):
        curation.revert_advice(
            entry_id=entry.pk, version_id=first.pk, user=editor, expected_version=3
        )
    with pytest.raises(curation.ConcurrentEdit):
        curation.revert_advice(
            entry_id=entry.pk, version_id=first.pk, user=publisher, expected_version=2
        )
    curation.revert_advice(
        entry_id=entry.pk, version_id=first.pk, user=publisher, expected_version=3
    )

    entry.refresh_from_db()
    assert entry.body == "b"
    assert entry.status == Status.PUBLISHED
    assert [loc.slug for loc in entry.locations.all()] == ["upper-back"]
    assert [r.slug for r in entry.remedies.all()] == ["yoga"]
    assert list(entry.sources.all()) == [thread.replies.get(position=1)]
    assert Version.objects.get_for_object(entry).first().revision.comment.startswith("Reverted")


def test_prefill_prefers_evidence_and_falls_back_on_thread_tags():
    thread = confirmed_thread()
    other = make_thread("Shins", replies=["ice them"], locations=["shins"], remedies=["ice-heat"])
    with_evidence = thread.replies.get(position=2)
    prefill = advice_prefill(reply_ids=[with_evidence.pk, other.replies.get().pk])
    assert set(prefill["sources"]) == {with_evidence.pk, other.replies.get().pk}
    assert set(prefill["locations"]) == {
        location("between-the-shoulder-blades").pk,
        location("shins").pk,
    }
    assert set(prefill["remedies"]) == {remedy("relax-shoulders").pk, remedy("ice-heat").pk}


def test_create_advice_from_replies_makes_a_tagged_draft():
    thread = confirmed_thread()
    entry = curation.create_advice_from_replies(
        reply_ids=[thread.replies.get(position=2).pk],
        user=make_user("editor"),
        title="Relax your shoulders",
        slug="relax-your-shoulders",
        summary="Drop them.",
        body="Every mile.",
    )
    assert entry.status == Status.DRAFT
    assert [r.slug for r in entry.remedies.all()] == ["relax-shoulders"]
    with pytest.raises(curation.CurationError):
        curation.create_advice_from_replies(
            reply_ids=[], user=None, title="t", slug="t", summary="s", body="b"
        )


# Writes the admin used to make itself ---------------------------------------------------


def test_save_evidence_stamps_who_confirmed_bumps_the_thread_and_refuses_a_stale_version():
    thread = curated_thread()
    evidence = Evidence.objects.get(reply__thread=thread)
    editor = make_user("editor")
    evidence.status = TagStatus.CONFIRMED
    curation.save_evidence(evidence=evidence, user=editor, expected_version=1)
    saved = Evidence.objects.get(pk=evidence.pk)
    assert (saved.confirmed_by, saved.version) == (editor, 2)
    assert Thread.objects.get(pk=thread.pk).version == thread.version + 1
    stale = Evidence.objects.get(pk=evidence.pk)
    stale.stance = Evidence.Stance.DID_NOT_HELP
    with pytest.raises(curation.ConcurrentEdit):
        curation.save_evidence(evidence=stale, user=editor, expected_version=1)
    assert Evidence.objects.get(pk=evidence.pk).stance == Evidence.Stance.RECOMMENDS


def test_save_reply_claims_the_thread_and_reply_evidence_is_stamped():
    thread = curated_thread()
    reply = thread.replies.get(position=3)
    editor = make_user("editor")
    reply.body = "Try pilates, it made my back feel so much better. Twice a week."
    curation.save_reply(reply=reply, expected_thread_version=thread.version, user=editor)
    with pytest.raises(curation.ConcurrentEdit):
        curation.save_reply(reply=reply, expected_thread_version=thread.version, user=editor)
    row = Evidence(
        reply=reply,
        remedy=remedy("pilates"),
        location=location("upper-back"),
        quote="Try pilates",
        status=TagStatus.CONFIRMED,
    )
    curation.save_reply_evidence(evidence=[row], deleted=[], user=editor)
    assert Evidence.objects.get(pk=row.pk).confirmed_by == editor
