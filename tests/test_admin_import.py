"""Import from the admin: several dumps or a JSON Lines file, the same per-file report."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kbapp.models import Thread
from tests.admin_support import client_for, make_user
from tests.dumps import SEEDS_DIR

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:kbapp_thread_import")


def seed(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SEEDS_DIR / name).read_bytes(), content_type="text/plain")


def jsonl(*threads: dict) -> SimpleUploadedFile:
    lines = "\n".join(json.dumps(t) for t in threads).encode()
    return SimpleUploadedFile("threads.jsonl", lines, content_type="application/jsonl")


@pytest.fixture
def editor():
    return client_for(make_user("editor"))


def report(response) -> dict[str, tuple]:
    files = response.context["report"].files
    return {f.name: (f.created, f.updated, f.unchanged, f.error) for f in files}


def test_several_dumps_then_the_same_again(editor):
    names = ["w7r1-upper-back-pain.txt", "help-mid-to-upper-back-pain.txt"]
    first = editor.post(IMPORT, {"files": [seed(n) for n in names]})
    assert first.status_code == 200
    assert report(first) == dict.fromkeys(names, (1, 0, 0, None))
    assert "created 2 / updated 0 / unchanged 0 / failed 0" in first.content.decode()
    assert Thread.objects.count() == 2
    again = editor.post(IMPORT, {"files": [seed(n) for n in names]})
    assert report(again) == dict.fromkeys(names, (0, 0, 1, None))


def test_a_jsonl_file_and_a_broken_file_side_by_side(editor):
    good = jsonl(
        {"id": "a1", "title": "Shin splints in week 3", "body": "My shins hurt.", "replies": []},
        {"id": "a2", "title": "Knee pain", "body": "Knees ache after runs.", "replies": []},
    )
    broken = SimpleUploadedFile("broken.jsonl", b'{"title": ', content_type="application/jsonl")
    response = editor.post(IMPORT, {"files": [good, broken]})
    assert response.status_code == 400
    rows = report(response)
    assert rows["threads.jsonl"][:3] == (2, 0, 0)
    assert rows["broken.jsonl"][3]
    assert "failed: " in response.content.decode()
    assert Thread.objects.count() == 2


def test_dry_run_writes_nothing(editor):
    response = editor.post(IMPORT, {"files": [seed("w7r1-upper-back-pain.txt")], "dry_run": "on"})
    assert "Dry run, nothing written: created 1" in response.content.decode()
    assert not Thread.objects.exists()


def test_an_upload_over_the_limit_is_refused(editor, settings):
    settings.KB_IMPORT_MAX_BYTES = 100
    response = editor.post(IMPORT, {"files": [seed("w7r1-upper-back-pain.txt")]})
    assert response.status_code == 400
    assert "larger than the import limit of 100 bytes" in response.content.decode()
    assert not Thread.objects.exists()


def test_no_file_is_a_form_error(editor):
    response = editor.post(IMPORT, {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_the_report_links_each_new_or_updated_thread(editor):
    first = editor.post(IMPORT, {"files": [seed("w7r1-upper-back-pain.txt")]})
    thread = Thread.objects.get()
    link = f'<a href="{reverse("admin:kbapp_thread_change", args=[thread.pk])}">{thread.title}</a>'
    assert link in first.content.decode()
    again = editor.post(IMPORT, {"files": [seed("w7r1-upper-back-pain.txt")]})
    assert link not in again.content.decode()  # unchanged: nothing new to look at
