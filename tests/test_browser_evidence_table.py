"""The evidence table reads at 1,280 px: stance, status and quote whole, nothing overlapping.

Measured in Chromium on the reply change page (the evidence table itself) and the thread
change page (its evidence badges and the review list of suggestions): no two controls or
badges in one row overlap, the stance and status menus show their whole longest choice,
a badge stays on one line, and a quote box is wide enough to read (at least 240 px).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from kbapp.models import Evidence
from tests.admin_support import PASSWORD, curated_thread, ensure_roles, ensure_taxonomy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280
MIN_QUOTE_WIDTH = 240
# Pairs of boxes in one table row that overlap by more than a pixel, and what they are.
OVERLAPS = """(selector) => {
  const found = [];
  for (const row of document.querySelectorAll(selector)) {
    const items = [...row.querySelectorAll(
      "select, textarea, input:not([type=hidden]), .kb-badge, .related-widget-wrapper-link,"
      + " .select2-container, a")].filter(el => el.getClientRects().length);
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i], b = items[j];
        if (a.contains(b) || b.contains(a)) continue;
        const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
        const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (x > 1 && y > 1) found.push(a.outerHTML.slice(0, 60) + " / " + b.outerHTML.slice(0, 60));
      }
    }
  }
  return found;
}"""
# A select too narrow for its chosen text, or a badge broken over two lines.
CUT_SELECTS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(el => el.getClientRects().length)
  .filter(el => {
    const probe = document.createElement("span");
    probe.style.font = getComputedStyle(el).font;
    probe.style.whiteSpace = "nowrap";
    probe.textContent = el.options[el.selectedIndex].text;
    document.body.appendChild(probe);
    const need = probe.getBoundingClientRect().width;
    probe.remove();
    return el.clientWidth < need + 24;  // the arrow and padding take about 24 px
  })
  .map(el => el.name + ": " + el.options[el.selectedIndex].text)"""
BROKEN_BADGES = """() => [...document.querySelectorAll(".kb-badge")]
  .filter(el => el.getClientRects().length > 1
    || el.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(el).fontSize) + 4)
  .map(el => el.textContent)"""


def log_in(page, django_user_model) -> None:
    ensure_taxonomy()
    ensure_roles()
    django_user_model.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector(".kb-dashboard")


def test_evidence_reads_at_1280_px_on_the_reply_and_thread_pages(
    page, django_user_model, artifacts_dir
):
    log_in(page, django_user_model)
    thread = curated_thread()
    evidence = Evidence.objects.select_related("reply").get()
    Evidence.objects.filter(pk=evidence.pk).update(stance=Evidence.Stance.DID_NOT_HELP)

    page.goto(reverse("admin:kbapp_reply_change", args=[evidence.reply_id]))
    page.screenshot(path=str(artifacts_dir / "evidence-table-reply.png"), full_page=True)
    assert page.evaluate(OVERLAPS, "#evidence-group tbody tr") == []
    assert page.evaluate(CUT_SELECTS, "#evidence-group select[name$=stance]") == []
    assert page.evaluate(CUT_SELECTS, "#evidence-group select[name$=status]") == []
    assert page.evaluate(BROKEN_BADGES) == []
    quote = page.locator("#evidence-group textarea[name$=quote]").first.bounding_box()
    assert quote["width"] >= MIN_QUOTE_WIDTH, quote

    page.goto(reverse("admin:kbapp_thread_change", args=[thread.pk]))
    page.screenshot(path=str(artifacts_dir / "evidence-table-thread.png"), full_page=True)
    assert page.evaluate(OVERLAPS, "#replies-group tbody tr, #confirm-panel tbody tr") == []
    assert page.evaluate(BROKEN_BADGES) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
