"""Hostile and malformed files: each is refused with its name, reason and line; the run goes on."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kbapp.models import Reply, Thread
from tests.admin_support import client_for, make_user

pytestmark = pytest.mark.django_db

GOOD = {"id": "ok-1", "title": "Shin splints in week 3", "body": "Both shins hurt."}


def jsonl(**fields) -> bytes:
    return json.dumps({**GOOD, **fields}).encode()


HOSTILE = {
    "deep.jsonl": b'{"title": ' + b"[" * 1000 + b"]" * 1000 + b"}",
    "surrogate.jsonl": b'{"id": "s", "title": "Knees", "body": "bad \\ud800 char"}',
    "long-id.jsonl": b'{"id": ' + b"9" * 5000 + b', "title": "Knees", "body": "b"}',
    "huge-id.jsonl": jsonl(id=2**70),
    "bool-id.jsonl": jsonl(id=True),
    "nul-id.jsonl": b'{"id": "a\\u0000b", "title": "Knees", "body": "b"}',
    "year.jsonl": jsonl(posted_at="99999-01-01T00:00:00"),
    "edge-date.jsonl": jsonl(posted_at="9999-12-31T23:59:59-05:00"),
    "late-nul.txt": b"Knee pain\n\n" + b"My knee hurts. " * 700 + b"\nstill\x00here\n",
    "markup.txt": b"<html><head><title>Knee pain week 2 - Community</title>\n\nMy knee.",
}
REASONS = {
    "deep.jsonl": "line 1: not valid JSON (nested too deeply)",
    "surrogate.jsonl": "line 1: 'body': contains a lone surrogate (U+D800)",
    "long-id.jsonl": "line 1: not valid JSON (a number is too long)",
    "huge-id.jsonl": "line 1: 'id' is too large",
    "bool-id.jsonl": "line 1: 'id' must be a string or an integer",
    "nul-id.jsonl": "line 1: 'id': contains a NUL character",
    "year.jsonl": "line 1: 'posted_at' is not an ISO 8601 date",
    "edge-date.jsonl": "line 1: 'posted_at' is not an ISO 8601 date",
    "late-nul.txt": "line 4: contains a NUL character",
    "markup.txt": "the title looks like markup ('<html>')",
}


def write_all(folder) -> None:
    for name, data in HOSTILE.items():
        (folder / name).write_bytes(data)
    (folder / "zz-good.jsonl").write_bytes(jsonl())


def test_every_hostile_file_is_refused_by_name_and_the_run_goes_on(tmp_path, capsys):
    write_all(tmp_path)
    with pytest.raises(CommandError) as raised:
        call_command("import_threads", str(tmp_path))
    assert raised.value.returncode == 1
    out, err = capsys.readouterr()
    for name, reason in REASONS.items():
        assert f"failed     {tmp_path / name}: {reason}" in err, name
    assert "created 1 / updated 0 / unchanged 0 / failed 10" in out
    assert list(Thread.objects.values_list("source_key", flat=True)) == ["id:ok-1"]


def test_the_admin_page_shows_the_same_report(tmp_path):
    editor = client_for(make_user("editor"))
    files = [SimpleUploadedFile(n, d) for n, d in HOSTILE.items()]
    files.append(SimpleUploadedFile("zz-good.jsonl", jsonl()))
    response = editor.post(reverse("admin:kbapp_thread_import"), {"files": files})
    assert response.status_code == 400
    errors = {f.name: f.error for f in response.context["report"].files}
    for name, reason in REASONS.items():
        assert errors[name].startswith(reason), (name, errors[name])
    assert errors["zz-good.jsonl"] is None
    assert "created 1 / updated 0 / unchanged 0 / failed 10" in response.content.decode()
    assert Thread.objects.count() == 1


def test_a_device_without_a_size_is_cut_off_at_the_limit(settings, capsys):
    settings.KB_IMPORT_MAX_BYTES = 1000
    with pytest.raises(CommandError):
        call_command("import_threads", "/dev/zero")
    assert "/dev/zero: larger than the import limit of 1,000 bytes" in capsys.readouterr().err


def test_control_characters_are_dropped_and_ids_may_be_integers(tmp_path):
    dump = tmp_path / "knees.txt"
    question = b"My knees\x07 ache after every run, on the flat and on the hills."
    dump.write_bytes(b"Sore \x02knees\x03 in week 4\n\n" + question + b"\n\n\nRest\x1b helped.")
    (tmp_path / "ids.jsonl").write_bytes(jsonl(id=12, body="Tab\there, bell\x07 gone"))
    call_command("import_threads", str(tmp_path))
    thread = Thread.objects.get(source_file="knees.txt")
    assert (thread.title, thread.body[:14]) == ("Sore knees in week 4", "My knees ache ")
    assert Reply.objects.get(thread=thread).body == "Rest helped."
    by_id = Thread.objects.get(source_key="id:12")
    assert by_id.body == "Tab\there, bell gone"
