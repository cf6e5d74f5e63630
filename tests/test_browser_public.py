"""A runner's journey in a real browser: body map → symptom → filter → advice → thread."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kbapp.models import AdviceEntry
from tests.public_support import BROWSER_MARKS, SIZES, sized_shots, taxonomy  # noqa: F401 (fixtures)

pytestmark = BROWSER_MARKS


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    assert AdviceEntry.objects.published().filter(locations__slug="upper-back").exists()


def journey(page, shot) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where does it hurt?")
    shot("1-home")

    page.locator('a[data-slug="upper-back"] text').click()
    expect(page).to_have_url(re.compile(r"/symptoms/upper-back/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Upper back")
    expect(page.get_by_role("heading", name="See a professional if…")).to_be_visible()
    urgent = page.locator(".red-flag--urgent", has_text="Chest pain, dizziness or fainting")
    expect(urgent).to_be_visible()  # never folded, on any screen
    shot("2-symptom")

    if page.locator(".filters__toggle").is_visible():  # phones: the filters are folded
        expect(page.locator(".filters__toggle")).to_have_text("Filter")
        page.locator(".filters__toggle").click()
    page.get_by_label("What they tried").select_option("relax-shoulders")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]remedy=relax-shoulders"))
    answers = page.locator('section[aria-labelledby="answers-heading"] h3')
    expect(answers).to_have_count(1)
    expect(answers).to_contain_text("Relax the shoulders")
    if page.locator(".filters__toggle").is_visible():
        expect(page.locator(".filters__toggle")).to_contain_text("Filter (1)")
    shot("3-filtered")

    entry = page.locator('section[aria-labelledby="advice-heading"] .card__title a').first
    title = entry.inner_text()
    entry.click()
    expect(page).to_have_url(re.compile(r"/advice/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("heading", name="See a professional if")).to_be_visible()
    shot("4-advice")

    source = page.locator(".sources figcaption a").first
    href = source.get_attribute("href")
    assert re.fullmatch(r"/threads/[\w-]+/#reply-\d+", href)
    source.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    target = page.locator(f"#{href.split('#')[1]}")
    expect(target).to_be_in_viewport()
    shot("5-thread")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_runner_journey(page, demo, artifacts_dir, size):
    journey(page, sized_shots(page, artifacts_dir, "journey", size))


def test_the_journey_works_without_javascript(no_javascript_page, demo):
    journey(no_javascript_page, lambda step: None)


def test_body_map_regions_show_keyboard_focus(page):
    page.goto("/")
    link = page.locator('a[data-slug="upper-back"]')
    shape = link.locator(".region-shape")
    resting = shape.evaluate("el => getComputedStyle(el).fill")
    # Tab through the page until the region has focus, as a keyboard user would.
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the upper-back region is not reachable with the keyboard")
    focused = shape.evaluate("el => getComputedStyle(el).fill")
    assert focused != resting
    assert link.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
