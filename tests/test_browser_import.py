"""An editor imports in a real browser: a saved page, hidden; then a large upload as a job."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from kbapp.models import Thread
from tests.admin_support import ensure_taxonomy, make_user
from tests.test_browser_admin import log_in, shot
from tests.test_import_html import PAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_imports_a_page_hidden_then_a_large_file_in_the_background(
    page, chromium, live_server, artifacts_dir, tmp_path, settings
):
    ensure_taxonomy()
    make_user("editor")
    log_in(page, "editor")
    (tmp_path / "knee.html").write_text(PAGE, encoding="utf-8")
    page.goto(reverse("admin:kbapp_thread_import"))
    page.set_input_files("#id_files", str(tmp_path / "knee.html"))
    page.check("#id_hidden")
    page.click("input[type=submit][value=Import]")
    page.wait_for_selector("#import-report")
    assert "created 1 / updated 0 / unchanged 0 / failed 0" in page.inner_text("#import-report")
    shot(page, artifacts_dir, "import-html")
    thread = Thread.objects.get()
    assert (thread.title, thread.is_hidden) == ("Knee pain week 2", True)

    settings.KB_IMPORT_INLINE_MAX_BYTES = 1000
    replies = [{"body": f"Reply {i}: rest helped."} for i in range(100)]
    line = json.dumps({"id": "big", "title": "Shins", "body": "Sore shins.", "replies": replies})
    (tmp_path / "big.jsonl").write_text(line, encoding="utf-8")
    page.goto(reverse("admin:kbapp_thread_import"))
    page.set_input_files("#id_files", str(tmp_path / "big.jsonl"))
    page.click("input[type=submit][value=Import]")
    page.wait_for_selector("#import-progress")
    assert "Queued: 0 of 1 file" in page.inner_text("#import-progress")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    # The page refreshes itself until the job is done.
    page.wait_for_selector("#import-report", timeout=20_000)
    assert "Done: 1 of 1 file" in page.inner_text("#import-progress")
    assert "created 1 / updated 0" in page.inner_text("#import-report")
    shot(page, artifacts_dir, "import-job")
