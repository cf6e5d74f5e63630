"""The editor's whole journey at 1,280 px, in one browser, counting page loads.

Import a one-thread dump (a question and three replies about sore hips in week 6), check
what was suggested, record evidence, draft an advice entry from the thread, publish it and
find it on the public site: under 20 page loads from logging in to reading it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from kbapp.models import AdviceEntry, Evidence, TagStatus, Thread
from tests.admin_support import ensure_taxonomy, make_user
from tests.factories import make_advice
from tests.test_browser_admin import log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_LOADS = 20
DUMP = """Sore hips in week 6

I'm on week 6 of C25K and both hips are sore after every run, worse the next morning.
Has anyone had this? What helped you?


3 Replies

HipHopMentor in reply to Asker

Stretching my hips after every run helped me a lot, within a week it eased.

RunnerJo in reply to HipHop

On my rest days I walk the dog. I had sore hips in week 6 too and glute bridges sorted them out.

SlowAndSteadyGraduate in reply to Asker

Try some pilates, it builds your core and takes the load off your hips.
"""


def test_import_tag_evidence_draft_publish_and_find_it(page, tmp_path, artifacts_dir):
    ensure_taxonomy()
    make_user("publisher", "sam")
    make_advice("An older entry")  # the new one must come before it
    loads = []
    page.on("load", lambda p: loads.append(p.url))
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "sam")

    # Import: the report links to the new thread, with all three replies and their authors.
    page.goto(reverse("admin:kbapp_thread_import"))
    (tmp_path / "sore-hips.txt").write_text(DUMP)
    page.set_input_files("#id_files", str(tmp_path / "sore-hips.txt"))
    page.click("#import-form [type=submit], form [type=submit] >> nth=-1")
    page.wait_for_selector("#import-report")
    page.click("#import-report .imported-threads a")
    page.wait_for_selector("#confirm-panel")
    thread = Thread.objects.get()
    replies = list(thread.replies.order_by("position").values_list("author", flat=True))
    assert replies == ["HipHop", "RunnerJo", "SlowAndSteady"]
    shot(page, artifacts_dir, "journey-01-imported")

    # Tag: "on my rest days" was no evidence; the editor unticks the wrong place (glutes:
    # the reply is about hips) and pilates, which they want to read first, then confirms.
    assert "Remedy: Rest" not in page.inner_text("#confirm-panel")
    doubtful = list(
        Evidence.objects.filter(location__slug="glutes")
        | Evidence.objects.filter(remedy__slug="pilates")
    )
    assert doubtful
    for evidence in doubtful:
        page.uncheck(f"#pick-evidence-{evidence.pk}")
    page.click("#confirm-suggestions")
    page.wait_for_selector(".messagelist .success")
    assert {e.status for e in Evidence.objects.filter(pk__in=[e.pk for e in doubtful])} == {
        TagStatus.SUGGESTED
    }
    assert Evidence.objects.get(remedy__slug="stretching").status == TagStatus.CONFIRMED

    # Evidence: on reply 3 the editor reads the pilates suggestion, makes it "recommends" and
    # confirms it.
    pilates = Evidence.objects.get(remedy__slug="pilates")
    page.goto(reverse("admin:kbapp_reply_change", args=[pilates.reply_id]))
    row = page.get_attribute(f"#evidence-group input[name$='-id'][value='{pilates.pk}']", "name")
    prefix = row.rsplit("-", 1)[0]
    page.select_option(f"#id_{prefix}-stance", "recommends")
    page.select_option(f"#id_{prefix}-status", "confirmed")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    pilates.refresh_from_db()
    assert (pilates.stance, pilates.status) == ("recommends", TagStatus.CONFIRMED)

    # Draft from the thread: confirmed evidence only, no unconfirmed place, a proposed title.
    page.goto(reverse("admin:kbapp_thread_change", args=[thread.pk]))
    page.click("text=Create advice entry from this thread")
    page.wait_for_selector("#adviceentry_form")
    assert page.input_value("#id_title").startswith("Hips: ")
    assert "Glutes" not in page.inner_text(".field-locations")
    assert "Hips" in page.inner_text(".field-locations")
    assert "SlowAndSteady, reply #3" in page.inner_text(".field-sources")
    page.fill(
        "#id_summary", "Runners with sore hips in week 6 found stretching and glute work helped."
    )
    page.fill("#id_body", "Stretch your hips after each run, and add **glute bridges**.")
    shot(page, artifacts_dir, "journey-02-draft")
    page.click("input[name=_publish] >> nth=-1")
    page.wait_for_selector(".messagelist .success")
    entry = AdviceEntry.objects.get(status=AdviceEntry.Status.PUBLISHED, title__startswith="Hips")
    assert "?" not in page.url

    # Find it: first on /advice/, and on the home page.
    page.goto(reverse("advice_list"))
    first = page.locator("[data-result] h3 a").first
    assert first.inner_text() == entry.title
    first.click()
    page.wait_for_selector("h1")
    assert entry.title in page.inner_text("h1")
    page.goto("/")
    assert entry.title in page.inner_text(".latest-advice")
    shot(page, artifacts_dir, "journey-03-home")
    print(f"\nthe journey took {len(loads)} page loads")
    assert len(loads) < PAGE_LOADS, loads
