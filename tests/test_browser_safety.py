"""Urgent help first, in a real browser at a phone's and a desktop's size, with JavaScript
and without: an emergency yes in the check with the other questions blank, the check's
first emergency question, and a search that raises an emergency flag."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.public_support import BROWSER_MARKS, taxonomy  # noqa: F401 (fixtures)
from tests.test_browser_check import demo  # noqa: F401 (fixture)

pytestmark = BROWSER_MARKS

WAYS = [
    pytest.param(((390, 844), True), id="phone-js"),
    pytest.param(((390, 844), False), id="phone-no-js"),
    pytest.param(((1280, 900), True), id="desktop-js"),
    pytest.param(((1280, 900), False), id="desktop-no-js"),
]


@pytest.fixture(params=WAYS)
def browser_page(request, chromium, live_server) -> Iterator:
    (width, height), javascript = request.param
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def expect_urgent_help(page) -> None:
    urgent = page.get_by_role("heading", name="Get urgent medical help now")
    expect(urgent).to_be_in_viewport()
    expect(page.get_by_text("Meanwhile")).to_have_count(0)
    expect(page.locator("#check-advice-heading")).to_have_count(0)


def test_an_emergency_yes_with_the_rest_blank_leads_to_urgent_help(browser_page, demo):  # noqa: F811
    page = browser_page
    page.goto("/check/?location=upper-back&stage=5")
    chest = page.get_by_role("group", name=re.compile("chest pain or tightness"))
    chest.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="See what to do").click()
    expect(page).to_have_url(re.compile(r"flags=chest-pain$"))
    expect_urgent_help(page)


def test_a_single_other_yes_leads_to_its_result(browser_page, demo):  # noqa: F811
    page = browser_page
    page.goto("/check/?location=upper-back&stage=5")
    group = page.get_by_role("group", name=re.compile("breathe in, cough or sneeze"))
    group.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="See what to do").click()
    expect(page).to_have_url(re.compile(r"flags=breathing$"))
    expect(
        page.get_by_role("heading", name=re.compile("See a GP or physiotherapist"))
    ).to_be_visible()


def test_the_first_question_is_the_emergency_and_one_tap_gets_help(browser_page, demo):  # noqa: F811
    page = browser_page
    page.goto("/check/")
    first = page.get_by_role("heading", level=2).first
    expect(first).to_have_text("First: is it an emergency?")
    yes = page.locator(".check-emergency li", has_text="chest pain").get_by_role("link")
    expect(yes).to_have_accessible_name(re.compile(r"^Yes\W+Chest pain"))
    yes.click()
    expect_urgent_help(page)


def test_an_emergency_search_puts_urgent_guidance_first_and_alone(browser_page, demo):  # noqa: F811
    page = browser_page
    page.goto("/search/?q=chest+pain+when+running")
    box = page.locator(".red-flags--urgent")
    expect(box).to_be_in_viewport()
    below = box.bounding_box()["y"] + box.bounding_box()["height"]
    first_thread = page.locator(".search-results > li").first.bounding_box()
    assert first_thread is not None
    # Whatever advice is under the guidance is about the emergency; the rest comes after
    # the threads, under its own heading.
    for card in page.locator(".search-advice:not(.search-advice--later) .card__title").all():
        assert re.search("chest|heart|dizz|faint", card.inner_text(), re.I), card.inner_text()
    later = page.locator(".search-advice--later")
    if later.count():
        assert later.bounding_box()["y"] > first_thread["y"] > below
