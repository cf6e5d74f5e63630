"""Search in a real browser: from the header box to the reply where someone had it too."""

from __future__ import annotations

import re

from django.core.management import call_command
from playwright.sync_api import expect

from kbapp.models import Reply
from tests.public_support import BROWSER_MARKS, taxonomy  # noqa: F401 (fixtures)

pytestmark = BROWSER_MARKS


def test_a_runner_searches_in_their_own_words_and_lands_on_the_reply(page, artifacts_dir):
    call_command("load_demo", verbosity=0)
    reply = Reply.objects.get(body__contains="when I sneezed")
    page.goto("/")
    page.get_by_label("Search past threads").fill("pain when I snezed")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page).to_have_url(re.compile(r"/search/\?q=pain\+when\+I\+snezed$"))
    expect(page.get_by_role("status").first).to_contain_text("1 past thread")
    expect(page.locator(".search-suggestion")).to_contain_text("Did you mean pain when I sneezed?")
    expect(page.locator(".search-result mark", has_text="sneezed")).to_be_visible()
    flag = page.locator("[data-red-flags]")
    expect(flag).to_contain_text("Pain when breathing, coughing or sneezing")
    advice = page.locator(".search-advice__item").first
    expect(advice).to_contain_text("get it checked")
    flag_box, advice_box = flag.bounding_box(), advice.bounding_box()
    first_thread = page.locator(".search-result").first.bounding_box()
    assert flag_box["y"] < advice_box["y"] < first_thread["y"]
    page.screenshot(path=artifacts_dir / "search-results.png", full_page=True)

    page.locator(".search-result__snippet a").click()
    expect(page).to_have_url(re.compile(rf"/threads/[\w-]+/#reply-{reply.pk}$"))
    expect(page.locator(f"#reply-{reply.pk}")).to_contain_text("when I sneezed")


def test_filters_narrow_the_results_and_show_their_counts(page):
    call_command("load_demo", verbosity=0)
    page.goto("/search/?q=shoulder+blade")
    expect(page.locator(".search-result")).to_have_count(3)
    page.get_by_label("Programme stage").select_option("7")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"stage=7"))
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator(".search-result h2")).to_contain_text("W7R1")
