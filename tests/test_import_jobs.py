"""Large admin uploads run as a background job: queued, run by the worker, reported."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from kbapp.jobs import ImportJob, ImportJobFile
from kbapp.models import Thread
from tests.admin_support import client_for, make_user
from tests.dumps import SEEDS_DIR

# The worker closes its database connection after each task, as a long-lived worker should,
# so these tests run outside the usual per-test transaction.
pytestmark = pytest.mark.django_db(transaction=True)
IMPORT = reverse("admin:kbapp_thread_import")


def big_jsonl(threads: int, replies: int) -> SimpleUploadedFile:
    lines = [
        json.dumps(
            {
                "id": f"big-{t}",
                "title": f"Sore knees, part {t}",
                "body": "My knees ache after every run.",
                "replies": [
                    {"body": f"Reply {r}: rest helped, foam rolling did not."}
                    for r in range(replies)
                ],
            }
        )
        for t in range(threads)
    ]
    return SimpleUploadedFile("big.jsonl", "\n".join(lines).encode())


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def editor():
    return client_for(make_user("editor"))


def test_a_large_upload_is_queued_then_run_by_the_worker(editor, settings):
    settings.KB_IMPORT_INLINE_MAX_BYTES = 10_000
    seed = SimpleUploadedFile("w7.txt", (SEEDS_DIR / "w7r1-upper-back-pain.txt").read_bytes())
    broken = SimpleUploadedFile("broken.jsonl", b'{"title": ')
    response = editor.post(IMPORT, {"files": [big_jsonl(3, 200), seed, broken], "hidden": "on"})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:kbapp_thread_import_job", args=[job.pk])
    assert not Thread.objects.exists()

    queued = editor.get(response["Location"]).content.decode()
    assert "Queued: 0 of 3 files" in queued
    assert '<meta http-equiv="refresh"' in queued

    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    assert not ImportJobFile.objects.exists()  # the bytes are not kept once read
    assert Thread.objects.filter(is_hidden=True).count() == 4
    page = editor.get(response["Location"]).content.decode()
    assert "Done: 3 of 3 files, imported hidden" in page
    assert "created 4 / updated 0 / unchanged 0 / failed 1" in page
    assert "failed: line 1: not valid JSON" in page
    assert '<meta http-equiv="refresh"' not in page


def test_a_file_over_the_limit_is_refused_before_queueing(editor, settings):
    settings.KB_IMPORT_INLINE_MAX_BYTES = 100
    settings.KB_IMPORT_MAX_BYTES = 5_000
    response = editor.post(IMPORT, {"files": [big_jsonl(1, 10), big_jsonl(1, 200)]})
    job = ImportJob.objects.get()
    assert ImportJobFile.objects.filter(job=job).count() == 1
    run_worker()
    page = editor.get(response["Location"]).content.decode()
    assert "larger than the import limit of 5,000 bytes" in page
    assert "created 1 / updated 0 / unchanged 0 / failed 1" in page


def test_the_job_page_needs_the_add_permission_and_a_real_job(
    editor, django_assert_max_num_queries
):
    job = ImportJob.objects.create(total=1)
    url = reverse("admin:kbapp_thread_import_job", args=[job.pk])
    with django_assert_max_num_queries(8):
        assert editor.get(url).status_code == 200
    missing = reverse("admin:kbapp_thread_import_job", args=[job.pk + 1])
    assert editor.get(missing).status_code == 404
    staff = User.objects.create_user("staff", password="x", is_staff=True)
    assert client_for(staff).get(url).status_code == 403


def test_a_2_mb_upload_never_waits_in_the_request(editor):
    upload = big_jsonl(40, 1_000)
    assert upload.size > 2_100_000
    response = editor.post(IMPORT, {"files": [upload]})
    assert response.status_code == 302
    assert (ImportJob.objects.get().status, Thread.objects.count()) == ("queued", 0)
