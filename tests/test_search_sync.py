"""The index follows every write: imports, edits, admin saves, merges, splits, hides, deletes.

Each test changes threads the way the site does, then checks two things: search finds
what is there now and nothing that is gone, and the index is exactly what a rebuild
from scratch would make (on SQLite, FTS5's own integrity check agrees with it too).
"""

from __future__ import annotations

import io
import json
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from kbapp.models import Reply, Thread
from kbapp.search import get_backend
from kbapp.search.deferral import deferred_index
from kbapp.services.curation.structure import merge_into_previous, split_reply
from kbapp.services.curation.threads import save_thread, set_hidden
from kbapp.services.importing import ImportSource, import_files
from tests.admin_support import client_for, form_data, make_user
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

FTS_TABLES = ("kbapp_search_fts_thread", "kbapp_search_fts_part", "kbapp_search_fts_word")


def found(text: str) -> list[int]:
    return [hit.thread.pk for hit in get_backend().search(text).hits]


def anchors(text: str) -> list[str]:
    return [hit.url for hit in get_backend().search(text).hits]


def rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall())


def index_state() -> dict[str, list[tuple]]:
    """Everything the index stores, in a comparable form."""
    if connection.vendor == "postgresql":
        return {
            "threads": rows("SELECT thread_id, document::text, hidden FROM kbapp_search_thread"),
            "parts": rows("SELECT part_id, thread_id, document::text FROM kbapp_search_part"),
            "words": rows("SELECT word, ndoc FROM kbapp_search_word WHERE ndoc > 0"),
        }
    for table in FTS_TABLES:
        rows(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
    return {
        "threads": rows("SELECT * FROM kbapp_search_document"),
        "parts": rows("SELECT * FROM kbapp_search_part"),
        "words": rows("SELECT term, doc FROM kbapp_search_vocabulary"),
        "meta": rows("SELECT * FROM kbapp_search_meta"),
    }


def assert_index_matches_a_rebuild() -> None:
    kept = index_state()
    get_backend().rebuild(batch_size=2, progress=lambda done, total: None)
    assert kept == index_state()


def import_jsonl(*threads: dict) -> None:
    data = "".join(json.dumps(t) + "\n" for t in threads).encode()
    report = import_files([ImportSource("forum.jsonl", data)])
    assert not report.failed, report.summary_line()


class TestImport:
    def test_imported_threads_and_replies_are_found(self):
        import_jsonl(
            {"id": "a", "title": "Verruca trouble", "body": "A verruca under my toe.",
             "replies": [{"body": "Duct tape worked for me."}]},
        )  # fmt: skip
        thread = Thread.objects.get(source_key="id:a")
        assert found("verruca") == [thread.pk]
        reply = thread.replies.get()
        assert anchors("duct tape") == [reply.get_absolute_url()]
        assert found("verruca tape") == [thread.pk]  # title and a reply: one document
        assert_index_matches_a_rebuild()

    def test_a_changed_reimport_replaces_the_old_words(self):
        replies = [{"body": "Duct tape."}, {"body": "Salicylic acid gel."}]
        original = {"id": "a", "title": "Verruca", "body": "Sore toe.", "replies": replies}
        import_jsonl(original)
        changed = {**original, "body": "Sore heel.", "replies": [{"body": "Cryotherapy."}]}
        import_jsonl(changed)
        thread = Thread.objects.get(source_key="id:a")
        assert found("toe") == found("duct") == found("salicylic") == []
        assert found("heel") == found("cryotherapy") == [thread.pk]
        assert_index_matches_a_rebuild()

    def test_the_demo_import_is_indexed(self):
        call_command("load_demo", stdout=io.StringIO())
        assert len(found("shoulder blade")) == 3
        assert_index_matches_a_rebuild()


class TestEdits:
    def test_orm_saves_of_threads_and_replies(self):
        thread = make_thread("Old title", "Old question.", ["Old reply."])
        thread.title, thread.body = "Metatarsal ache", "Ball of the foot."
        thread.save()
        reply = thread.replies.get()
        reply.body = "Wider shoes."
        reply.save()
        assert found("old") == []
        assert found("metatarsal") == found("ball foot") == found("wider") == [thread.pk]
        assert_index_matches_a_rebuild()

    def test_saving_without_changing_the_text_keeps_the_text_index(self):
        thread = make_thread("Patella", "Kneecap pain.", ["Quad stretches."])
        before = index_state()
        thread.stage = 4
        thread.save()
        thread.replies.update(author="Someone")
        after = index_state()
        assert after.pop("meta", None) in (None, [(thread.pk, 0, 4)])
        before.pop("meta", None)
        assert after == before
        assert_index_matches_a_rebuild()

    def test_queryset_update_and_bulk_update(self):
        thread = make_thread("Bunion", "Bunion pain.", ["One.", "Two."])
        Reply.objects.filter(thread=thread, position=1).update(body="Toe spacers.")
        second = thread.replies.get(position=2)
        second.body = "Wide toe box."
        Reply.objects.bulk_update([second], ["body"])
        Thread.objects.filter(pk=thread.pk).update(title="Hallux valgus")
        assert found("spacers") == found("box") == found("hallux") == [thread.pk]
        assert found("bunion pain") == [thread.pk]  # still in the question body
        assert found("bunion -pain") == []
        assert_index_matches_a_rebuild()

    def test_the_thread_editing_service(self):
        thread = make_thread("Before", "Question.")
        thread.title = "Sesamoiditis after a race"
        save_thread(thread=thread, expected_version=1, user=None)
        assert found("sesamoiditis") == [thread.pk]
        assert found("before") == []

    def test_an_admin_edit_of_a_thread_and_its_replies(self):
        thread = make_thread("Old title", "Question.", ["First reply.", "Second reply."])
        editor = client_for(make_user("editor"))
        url = reverse("admin:kbapp_thread_change", args=[thread.pk])
        data = form_data(editor.get(url))
        data["title"] = "Tibialis posterior pain"
        data["replies-0-body"] = "Arch supports helped."
        assert editor.post(url, data).status_code == 302
        thread.refresh_from_db()
        assert thread.title == "Tibialis posterior pain", thread.title
        assert found("tibialis") == found("arch supports") == [thread.pk]
        assert found("old") == found("first") == []
        assert_index_matches_a_rebuild()

    def test_a_reply_moved_to_another_thread(self):
        source = make_thread("Source", "Question.", ["Plantar plate tear."])
        target = make_thread("Target", "Question.")
        Reply.objects.filter(thread=source).update(thread=target, position=1)
        assert found("plate tear") == [target.pk]
        assert_index_matches_a_rebuild()


class TestMergeAndSplit:
    def test_merge_moves_the_words_to_the_previous_reply(self):
        thread = make_thread("Merge", "Question.", ["Start of a reply.", "Neuroma rest."])
        first, second = thread.replies.order_by("position")
        merge_into_previous(reply_id=second.pk, user=None)
        assert anchors("neuroma") == [first.get_absolute_url()]
        assert not Reply.objects.filter(pk=second.pk).exists()
        assert_index_matches_a_rebuild()

    def test_split_gives_the_rest_its_own_reply(self):
        thread = make_thread("Split", "Question.", ["Ice it.\n\nThen see a podiatrist.", "Ok."])
        reply = thread.replies.get(position=1)
        part = split_reply(reply_id=reply.pk, at_paragraph=1, user=None)
        assert anchors("podiatrist") == [part.get_absolute_url()]
        assert anchors("ice") == [reply.get_absolute_url()]
        assert_index_matches_a_rebuild()


class TestHideAndDelete:
    def test_hiding_and_showing_a_thread(self):
        thread = make_thread("Capsulitis", "Toe capsulitis.")
        set_hidden(thread_ids=[thread.pk], hidden=True, user=None)
        assert found("capsulitis") == []
        assert_index_matches_a_rebuild()
        set_hidden(thread_ids=[thread.pk], hidden=False, user=None)
        assert found("capsulitis") == [thread.pk]

    def test_deleting_threads_and_replies(self):
        gone = make_thread("Sever's disease", "Heel growth plate.", ["Rest."])
        kept = make_thread("Kept", "Question.", ["Morton's neuroma.", "Sever's too."])
        gone.delete()
        assert found("growth plate") == []
        kept.replies.filter(position=2).delete()
        assert found("sever") == []
        assert found("neuroma") == [kept.pk]
        Thread.objects.filter(pk=kept.pk).delete()
        assert found("neuroma") == []
        assert_index_matches_a_rebuild()

    def test_bulk_create_of_threads_and_replies(self):
        threads = Thread.objects.bulk_create(
            Thread(title=f"Bulk {n}", slug=f"bulk-{n}", body="Chilblains.", source_key=f"b{n}")
            for n in range(30)
        )
        Reply.objects.bulk_create(
            Reply(thread=t, position=p, body=f"Reply {p} about raynaud")
            for t in threads
            for p in (1, 2, 3)
        )
        assert get_backend().search("chilblains raynaud").count == 30
        assert_index_matches_a_rebuild()


class TestRebuildCommand:
    def test_the_triggers_are_installed(self):
        assert get_backend().missing_triggers() == []

    def test_rebuild_restores_a_damaged_index_with_a_progress_bar(self):
        thread = make_thread("Fibula", "Fibula stress.", ["Rest six weeks."])
        damage = {
            "postgresql": ["TRUNCATE kbapp_search_thread, kbapp_search_part, kbapp_search_word"],
            "sqlite": [f"INSERT INTO {t}({t}) VALUES ('delete-all')" for t in FTS_TABLES],
        }[connection.vendor]
        with connection.cursor() as cursor:
            for sql in damage:
                cursor.execute(sql)
        assert found("fibula") == []
        out = io.StringIO()
        call_command("rebuild_search_index", "--batch-size", "1", stdout=out)
        assert "100%" in out.getvalue() and "[##############################]" in out.getvalue()
        assert "Indexed 1 threads" in out.getvalue()
        assert found("fibula") == [thread.pk]
        assert_index_matches_a_rebuild()

    def test_rebuild_refuses_a_bad_batch_size(self):
        with pytest.raises(CommandError, match="batch-size"):
            call_command("rebuild_search_index", "--batch-size", "0")

    @pytest.mark.sqlite
    def test_rebuild_refuses_to_run_without_the_triggers(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER kbapp_search_reply_inserted")
        with pytest.raises(CommandError, match="triggers are missing.*reply_inserted"):
            call_command("rebuild_search_index", stdout=io.StringIO())

    @pytest.mark.postgres
    def test_truncate_empties_the_index(self):
        make_thread("Truncated", "Gone.", ["Also gone."])
        with connection.cursor() as cursor:
            # Django's foreign keys are deferred; TRUNCATE wants their checks done first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE kbapp_thread CASCADE")
        assert rows("SELECT count(*) FROM kbapp_search_thread") == [(0,)]
        assert rows("SELECT count(*) FROM kbapp_search_part") == [(0,)]


class TestDeferredIndex:
    """Bulk writers index each thread once per transaction (SQLite's reply triggers)."""

    def test_a_deferred_bulk_write_ends_with_the_index_a_rebuild_makes(self):
        threads = [make_thread(f"Deferred {n}", f"Question {n}.") for n in range(3)]
        with deferred_index():
            Reply.objects.bulk_create(
                Reply(thread=t, position=p, body=f"Reply {p} about the popliteus {t.pk}")
                for t in threads
                for p in range(1, 41)
            )
            Reply.objects.filter(thread=threads[0], position=1).update(body="Plantaris now.")
            Reply.objects.filter(thread=threads[1], position=2).delete()
        assert found("plantaris") == [threads[0].pk]
        assert sorted(found("popliteus")) == sorted(t.pk for t in threads)
        assert_index_matches_a_rebuild()

    def test_nested_deferral_flushes_once_at_the_outermost(self):
        thread = make_thread("Nested", "Nested question.")
        with deferred_index():
            with deferred_index():
                Reply.objects.create(thread=thread, position=1, body="Sartorius strain.")
            Reply.objects.create(thread=thread, position=2, body="Gracilis too.")
        assert found("sartorius gracilis") == [thread.pk]
        assert_index_matches_a_rebuild()

    def test_an_error_inside_rolls_back_the_writes_and_the_deferral(self):
        thread = make_thread("Rolled back", "Question.")
        with pytest.raises(RuntimeError), deferred_index():
            Reply.objects.create(thread=thread, position=1, body="Soleus strain.")
            raise RuntimeError("a file that fails half way")
        assert found("soleus") == []
        Reply.objects.create(thread=thread, position=1, body="Tibialis after all.")
        assert found("tibialis") == [thread.pk]
        assert_index_matches_a_rebuild()

    def test_twenty_thousand_replies_index_in_seconds(self):
        """Without deferral SQLite re-tokenized the whole thread per reply: n² work."""
        thread = make_thread("Very long thread", "Who else has sore calves?")
        started = time.monotonic()
        with deferred_index():
            Reply.objects.bulk_create(
                Reply(thread=thread, position=p, body=f"Reply {p}: my calves ache, week {p % 9}.")
                for p in range(1, 20_001)
            )
        assert time.monotonic() - started < 30
        assert found("calves") == [thread.pk]
