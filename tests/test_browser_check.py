"""Should I keep running? in a real browser, at phone and laptop sizes, with and without
JavaScript, then "Was this helpful?" on an advice entry; axe-core over every check page."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

from kbapp.models import AdviceEntry, RedFlag
from tests.public_support import BROWSER_MARKS, SIZES, sized_shots, taxonomy  # noqa: F401 (fixtures)
from tests.test_accessibility import axe_path, violations  # noqa: F401 (fixture)

pytestmark = BROWSER_MARKS


@pytest.fixture
def demo():
    """The demo, with the red flags as the migrations leave them (a flush removed them)."""
    importlib.import_module("kbapp.migrations.0009_answers_first").mark_emergencies(apps, None)
    importlib.import_module("kbapp.migrations.0010_check_and_feedback").ask_questions(apps, None)
    call_command("load_demo", verbosity=0)
    assert AdviceEntry.objects.published().filter(locations__slug="upper-back").exists()
    assert RedFlag.objects.filter(emergency=True).count() == 3


def answer_all(page, yes: set[str] = frozenset()) -> None:
    for fieldset in page.locator("fieldset.check-question").all():
        name = fieldset.locator("input").first.get_attribute("name").removeprefix("q-")
        fieldset.get_by_label("Yes" if name in yes else "No", exact=True).check()


def journey(page, shot) -> None:
    page.goto("/")
    page.get_by_role("link", name="Take the three-step check").click()
    expect(page).to_have_url(re.compile(r"/check/$"))
    expect(page.get_by_role("heading", level=2).first).to_have_text("First: is it an emergency?")
    expect(page.locator("#step-heading")).to_contain_text("Where does it hurt?")
    shot("1-where")

    page.locator('a[data-slug="upper-back"] text').click()
    expect(page).to_have_url(re.compile(r"/check/\?location=upper-back$"))
    shot("2-week")

    page.get_by_role("link", name="Week 5").click()
    expect(page).to_have_url(re.compile(r"location=upper-back&stage=5$"))
    expect(
        page.get_by_role("group", name=re.compile("breathe in, cough or sneeze"))
    ).to_be_visible()
    shot("3-questions")

    answer_all(page)
    page.get_by_role("button", name="See what to do").click()
    expect(page).to_have_url(re.compile(r"/check/\?location=upper-back&stage=5&flags=$"))
    expect(
        page.get_by_role("heading", name=re.compile("None of the warning signs"))
    ).to_be_visible()
    entry = page.locator("#check-advice-heading + .cards .card__title a").first
    expect(entry).to_be_visible()
    shot("4-result")

    title = entry.inner_text()
    entry.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_label("What was missing?").fill("How long to rest before running again.")
    page.get_by_role("button", name="Yes, it helped").click()
    expect(page).to_have_url(re.compile(r"\?vote=thanks#helpful$"))
    expect(page.get_by_role("status")).to_contain_text("your answer is counted")
    shot("5-voted")

    # Back to the check: a sign to see someone, then an emergency.
    page.goto("/check/?location=upper-back&stage=5")
    answer_all(page, yes={"breathing"})
    page.get_by_role("button", name="See what to do").click()
    expect(page).to_have_url(re.compile(r"flags=breathing$"))
    expect(
        page.get_by_role("heading", name=re.compile("See a GP or physiotherapist"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Meanwhile, until you are seen")).to_be_visible()
    shot("6-see-someone")

    page.go_back()
    answer_all(page, yes={"chest-pain", "breathing"})
    page.get_by_role("button", name="See what to do").click()
    expect(page).to_have_url(re.compile(r"flags=chest-pain%2Cbreathing$"))
    urgent = page.get_by_role("heading", name="Get urgent medical help now")
    expect(urgent).to_be_in_viewport()
    expect(page.get_by_text("Meanwhile")).to_have_count(0)
    shot("7-urgent")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_check_journey(page, demo, artifacts_dir, size):
    journey(page, sized_shots(page, artifacts_dir, "check", size))


def test_the_check_works_without_javascript(no_javascript_page, demo):
    journey(no_javascript_page, lambda step: None)


@pytest.mark.parametrize("width, height", SIZES)
def test_every_check_page_passes_axe(page, demo, axe_path, width, height):  # noqa: F811
    page.set_viewport_size({"width": width, "height": height})
    entry = AdviceEntry.objects.published().first()
    urls = {
        "step 1": "/check/",
        "step 2": "/check/?location=knees",
        "step 3": "/check/?location=upper-back&stage=5",
        "self care": "/check/?location=upper-back&stage=5&flags=",
        "see someone": "/check/?location=upper-back&stage=5&flags=breathing",
        "urgent": "/check/?location=upper-back&stage=5&flags=chest-pain",
        "bad answer": "/check/?location=upper-back&stage=12",
        "unanswered": "/check/?location=knees&stage=3&answered=1",
        "advice with vote": entry.get_absolute_url(),
        "after the vote": entry.get_absolute_url() + "?vote=thanks",
    }
    found = {}
    for name, url in urls.items():
        page.goto(url)
        found[name] = violations(page, axe_path)
    page.goto(entry.get_absolute_url())
    page.get_by_label("What was missing?").fill("x" * 10)
    page.evaluate("document.querySelector('#helpful-missing').removeAttribute('maxlength')")
    page.get_by_label("What was missing?").fill("x" * 501)
    page.get_by_role("button", name="No, it did not").click()
    expect(page.get_by_text("Please keep it to 500 characters.")).to_be_visible()
    found["vote refused"] = violations(page, axe_path)
    assert found == {name: [] for name in found}
