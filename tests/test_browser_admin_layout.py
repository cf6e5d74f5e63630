"""No admin page scrolls sideways on a 1,280 px screen, whatever the data's lengths."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kbapp.models import (
    AdviceEntry,
    Evidence,
    PainLocation,
    Remedy,
    SearchQuery,
    TagStatus,
    Thread,
)
from tests.admin_support import PASSWORD, curated_thread, ensure_roles, ensure_taxonomy
from tests.factories import make_advice, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280
LONG_WORD = "shoulderblade" * 40  # one unbreakable word of 520 characters
LONG_QUERY = ("pain between my shoulder blades " * 10)[:200]
# The innermost elements that reach past the screen's right edge: what to fix.
OVERFLOWING = """(width) => [...document.querySelectorAll("body *")]
  .filter(el => el.getBoundingClientRect().right > width + 1)
  .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > width + 1))
  .slice(0, 4)
  .map(el => [el.getBoundingClientRect(), el.outerHTML.slice(0, 80)])
  .map(([box, html]) => `${Math.round(box.left)}-${Math.round(box.right)} ${html}`)"""


def long_content():
    """The widest things editors meet: a 3,000-character search, long titles, a full matrix."""
    # The log keeps 200 characters (SQLite alone would store more); the widest it holds.
    SearchQuery.objects.create(query=LONG_QUERY, results=0)
    SearchQuery.objects.create(query=LONG_WORD[:200], results=0)
    thread = curated_thread()
    Thread.objects.filter(pk=thread.pk).update(
        title=("W5R3 - " + "ache between my shoulder blades " * 9)[:300]
    )
    wordy = make_thread(
        "Another " + LONG_WORD[:250],
        replies=[("Runner" * 15, f"It hurt {LONG_WORD} then eased. " * 20)],
    )
    reply = wordy.replies.get()
    remedies = list(Remedy.objects.order_by("name")[:20])
    for n, remedy in enumerate(remedies):
        for place in PainLocation.objects.all()[: 1 + n % 4]:
            Evidence.objects.create(
                reply=reply,
                remedy=remedy,
                location=place,
                quote="It hurt",
                status=TagStatus.CONFIRMED,
            )
    entry = make_advice(
        "Relax your shoulders " + LONG_WORD[:150],
        status=AdviceEntry.Status.DRAFT,
        sources=[thread.replies.get(position=2), reply],
    )
    return thread, reply, entry


def admin_pages(thread, reply, entry) -> list[str]:
    names = ["thread", "reply", "evidence", "adviceentry", "painlocation", "remedy", "redflag"]
    evidence = reply.evidence.first()
    return [
        reverse("admin:index"),
        *[reverse(f"admin:kbapp_{name}_changelist") for name in names],
        reverse("admin:kbapp_thread_change", args=[thread.pk]),
        reverse("admin:kbapp_reply_change", args=[reply.pk]),
        reverse("admin:kbapp_reply_change", args=[thread.replies.get(position=2).pk]),
        reverse("admin:kbapp_reply_split", args=[thread.replies.get(position=2).pk]),
        reverse("admin:kbapp_reply_merge", args=[thread.replies.get(position=3).pk]),
        reverse("admin:kbapp_evidence_change", args=[evidence.pk]),
        reverse("admin:kbapp_adviceentry_add"),
        reverse("admin:kbapp_adviceentry_change", args=[entry.pk]),
        reverse("admin:kbapp_adviceentry_history", args=[entry.pk]),
        reverse("admin:kbapp_adviceentry_preview", args=[entry.pk]),
        reverse("admin:kbapp_painlocation_change", args=[PainLocation.objects.first().pk]),
        reverse("admin:kbapp_thread_import"),
    ]


def test_no_admin_page_is_wider_than_a_1280_px_screen(page, django_user_model, artifacts_dir):
    ensure_taxonomy()
    ensure_roles()
    django_user_model.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    pages = admin_pages(*long_content())
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector(".kb-dashboard")

    too_wide = {}
    for url in pages:
        response = page.goto(url)
        assert response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            too_wide[url] = (width, page.evaluate(OVERFLOWING, WIDTH))
            page.screenshot(path=str(artifacts_dir / f"too-wide-{len(too_wide)}.png"))
    assert not too_wide, "\n".join(f"{url}: {found}" for url, found in too_wide.items())

    # The long query is cut on the page, and whole on hover.
    page.goto(reverse("admin:index"))
    page.screenshot(path=str(artifacts_dir / "admin-layout-dashboard.png"), full_page=True)
    shown = page.locator("#kb-unanswered li .kb-query").all()
    assert LONG_QUERY.strip() in [query.get_attribute("title") for query in shown]
    assert max(len(query.inner_text()) for query in shown) < 130
    # Matrix headers read whole (turned on their side), never a letter a line.
    header = page.locator("#kb-matrix thead th").nth(1)
    box = header.bounding_box()
    assert box["height"] > box["width"]
    first_remedy = Remedy.objects.order_by("name").first().name
    assert header.inner_text().strip().casefold() == first_remedy.casefold()
    assert "\n" not in header.inner_text().strip()  # one line, turned, not a letter a line
