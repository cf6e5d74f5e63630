"""The editors' journey in a real browser: from suggested tags to a published advice page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kbapp.models import AdviceEntry, Evidence, TagStatus
from tests.admin_support import (
    PASSWORD,
    curated_thread,
    ensure_taxonomy,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELECT_PHRASE = """(phrase) => {
  const text = document.getElementById("kb-reply-text");
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(phrase);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + phrase.length);
      document.getSelection().removeAllRanges();
      document.getSelection().addRange(range);
      return true;
    }
  }
  return false;
}"""


def log_in(page, username: str) -> None:
    page.goto(reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector(".kb-dashboard")


def autocomplete(page, select_id: str, term: str, choice: str) -> None:
    """Pick from a Select2 autocomplete the way an editor does: open, type, click."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", term)
    page.click(f".select2-results__option:has-text('{choice}')")


CONTRAST = """(selector) => {
  const el = document.querySelector(selector);
  let back = el;
  while (getComputedStyle(back).backgroundColor === "rgba(0, 0, 0, 0)") back = back.parentElement;
  return [getComputedStyle(el).color, getComputedStyle(back).backgroundColor];
}"""


def contrast(page, selector: str) -> float:
    """WCAG contrast ratio of an element's text against the background it sits on."""
    colours = page.evaluate(CONTRAST, selector)
    lum = [luminance(colour) for colour in colours]
    return (max(lum) + 0.05) / (min(lum) + 0.05)


def luminance(css: str) -> float:
    channels = [int(part) / 255 for part in css[css.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def shot(page, artifacts_dir, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / f"admin-{name}.png"), full_page=True)


def test_editor_curates_and_publisher_publishes(page, chromium, live_server, artifacts_dir):
    ensure_taxonomy()  # an earlier transactional test may have flushed it
    thread = curated_thread()
    reply = thread.replies.get(position=2)
    make_user("editor")
    make_user("publisher")

    log_in(page, "editor")
    shot(page, artifacts_dir, "01-dashboard")

    # Confirm the importer's suggestions on the thread, in one click.
    page.goto(reverse("admin:kbapp_thread_change", args=[thread.pk]))
    page.click("#confirm-suggestions")
    page.wait_for_selector(".messagelist .success")
    shot(page, artifacts_dir, "02-suggestions-confirmed")
    assert not thread.location_tags.filter(status=TagStatus.SUGGESTED).exists()
    assert Evidence.objects.get().status == TagStatus.CONFIRMED

    # Record evidence on a reply, quoting its words by selecting them.
    page.goto(reverse("admin:kbapp_reply_change", args=[reply.pk]))
    assert page.evaluate(SELECT_PHRASE, "Core strength helped me too")
    page.click("#kb-quote-selection")
    assert page.input_value("#id_evidence-1-quote") == "Core strength helped me too"
    autocomplete(page, "id_evidence-1-remedy", "core", "Core strength")
    autocomplete(page, "id_evidence-1-location", "upper", "Upper back")
    page.select_option("#id_evidence-1-stance", "helped")
    shot(page, artifacts_dir, "03-evidence-recorded")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    recorded = Evidence.objects.get(remedy__slug="core-strength")
    assert (recorded.reply_id, recorded.stance, recorded.status) == (
        reply.pk,
        "helped",
        "confirmed",
    )

    # Create an advice entry from the replies, then submit it for review.
    page.goto(reverse("admin:kbapp_reply_changelist") + f"?q={thread.title[:20]}")
    page.check(f"input[name=_selected_action][value='{reply.pk}']")
    page.select_option("select[name=action]", "create_advice")
    page.click("button[name=index]")
    page.wait_for_selector("#adviceentry_form")
    assert "Core strength" in page.inner_text(".field-remedies")
    assert "Bluebird, reply #2: “Relax your shoulders" in page.inner_text(".field-sources")
    # The review date is proposed a year ahead; the editor picks another.
    assert page.input_value("#id_review_due")
    page.fill("#id_title", "Relax your shoulders and build your core")
    page.fill(
        "#id_summary", "Runners with upper back pain found relaxed shoulders and core work helped."
    )
    page.fill("#id_body", "Drop your shoulders **every few minutes**, and add planks.")
    page.fill("#id_review_due", "2027-06-01")
    shot(page, artifacts_dir, "04-advice-from-replies")
    page.click("input[name=_submit_review] >> nth=-1")
    page.wait_for_selector(".messagelist .success")
    entry = AdviceEntry.objects.get(title="Relax your shoulders and build your core")
    # The slug is prepopulated from the title by the admin's own script.
    assert entry.slug == "relax-your-shoulders-and-build-your-core"
    assert entry.status == AdviceEntry.Status.IN_REVIEW
    assert list(entry.sources.all()) == [reply]
    assert page.locator("input[name=_publish]").count() == 0

    # A publisher publishes it.
    publisher = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 800}
    )
    publisher_page = publisher.new_page()
    log_in(publisher_page, "publisher")
    publisher_page.goto(reverse("admin:kbapp_adviceentry_change", args=[entry.pk]))

    # The preview is the public page under a readable staff banner.
    with publisher.expect_page() as opened:
        publisher_page.click("#preview-link")
    preview = opened.value
    preview.wait_for_selector(".preview-banner")
    assert "this entry is in review and not public" in preview.inner_text(".preview-banner")
    assert preview.locator("article.advice .sources .quote").count() == 1
    for selector in [".preview-banner", ".preview-banner a"]:
        assert contrast(preview, selector) >= 4.5, selector
    preview.close()

    # Publishing without a source is refused, with the reason beside the field.
    publisher_page.click(".field-sources .select2-selection__choice__remove")
    publisher_page.click("input[name=_publish] >> nth=-1")
    publisher_page.wait_for_selector(".field-sources .errorlist")
    assert "Cite at least one reply" in publisher_page.inner_text(".field-sources .errorlist")
    shot(publisher_page, artifacts_dir, "05-publish-refused")
    entry.refresh_from_db()
    assert entry.status == AdviceEntry.Status.IN_REVIEW

    # With the source back, it publishes.
    autocomplete(publisher_page, "id_sources", "Bluebird", "Bluebird, reply #2")
    publisher_page.click("input[name=_publish] >> nth=-1")
    publisher_page.wait_for_selector(".messagelist .success")
    shot(publisher_page, artifacts_dir, "06-published")
    entry.refresh_from_db()
    assert entry.status == AdviceEntry.Status.PUBLISHED

    # The public page shows it to anyone.
    visitor = chromium.new_context(base_url=live_server.url).new_page()
    response = visitor.goto(reverse("advice_detail", args=[entry.slug]))
    assert response.status == 200
    assert "Relax your shoulders and build your core" in visitor.inner_text("h1")
    assert "every few minutes" in visitor.inner_text("main")
    assert "Relax your shoulders and drop them" in visitor.inner_text(".sources")
    shot(visitor, artifacts_dir, "07-public-page")
    publisher.close()
