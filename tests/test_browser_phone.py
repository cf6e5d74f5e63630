"""A phone's first screen: at 390×844 the first result of each list starts on it.

Measured in a real Chromium on the demo data; screenshots of each first screen go to
artifacts/ (phone-<page>.png).
"""

from __future__ import annotations

from django.core.management import call_command

from kbapp.models import PainLocation
from tests.public_support import BROWSER_MARKS, taxonomy  # noqa: F401 (fixtures)

pytestmark = BROWSER_MARKS

PHONE = {"width": 390, "height": 844}
# A result "starts" on the screen when its first line can be read there.
FIRST_LINE = 40
# A result: an advice card, a thread, an answer, a remedy's support, or "nothing yet".
RESULTS = "[data-result], .support-list > li, .thread-list > li"
LISTS = ["/search/?q=hurts+when+I+sneeze", "/search/?q=shoulder+blade", "/advice/", "/answers/"]


def first_result_top(page, url: str) -> float:
    page.goto(url)
    box = page.locator(RESULTS).first.bounding_box()
    assert box is not None, f"no result on {url}"
    return box["y"]


def shot_name(url: str) -> str:
    return "phone" + url.replace("/", "-").replace("?q=", "-").replace("+", "-").rstrip("-")


def test_the_first_result_is_on_a_phones_first_screen(page, artifacts_dir):
    call_command("load_demo", verbosity=0)
    page.set_viewport_size(PHONE)
    places = [loc.get_absolute_url() for loc in PainLocation.objects.order_by("pk")]
    tops = {}
    for url in LISTS + places:
        tops[url] = first_result_top(page, url)
        page.screenshot(path=artifacts_dir / f"{shot_name(url)}.png")
    late = {url: top for url, top in tops.items() if top + FIRST_LINE > PHONE["height"]}
    assert not late, late


MIN_TARGET = 24  # CSS px, WCAG 2.2 target size (minimum)


def small_targets(page, selector: str) -> list[tuple[str, dict]]:
    found = []
    for link in page.locator(selector).all():
        if link.is_visible():
            box = link.bounding_box()
            if box["width"] < MIN_TARGET or box["height"] < MIN_TARGET:
                found.append((link.get_attribute("data-slug") or link.inner_text(), box))
    return found


def test_the_body_map_on_a_phone(page, artifacts_dir):
    call_command("load_demo", verbosity=0)
    page.set_viewport_size(PHONE)
    page.goto("/")
    back, front = page.locator(".body-map--back"), page.locator(".body-map--front")
    assert back.is_visible() and not front.is_visible()  # one side at a time
    spot = page.locator('a[data-slug="between-the-shoulder-blades"]')
    assert spot.is_visible()
    assert not page.locator('a.region--empty[data-slug="upper-back"]').count()
    assert page.locator('a.region--empty[data-slug="hamstrings"]').count()
    targets = ".region, .site-nav a, .place-list a, .body-map-toggle label"
    assert not small_targets(page, targets)
    page.screenshot(path=artifacts_dir / "phone-home.png")
    page.locator('label[for="body-view-front"]').click()
    assert front.is_visible() and not back.is_visible()
    assert not small_targets(page, ".region")
    page.screenshot(path=artifacts_dir / "phone-home-front.png")
    page.locator('label[for="body-view-back"]').click()
    spot.click()
    assert page.url.endswith("/symptoms/between-the-shoulder-blades/")


def test_both_sides_show_on_a_wide_screen(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    assert page.locator(".body-map--back").is_visible()
    assert page.locator(".body-map--front").is_visible()
    assert not page.locator(".body-map-toggle").is_visible()


# Searches of the demo with both curated advice and past threads to show.
SEARCHES = [
    "/search/?q=upper+back+ache",
    "/search/?q=shoulder+blade",
    "/search/?q=hurts+when+I+sneeze",
    "/search/?q=W5R3+upper+back+ache",
    "/search/?q=relax+shoulders",
]


def test_a_phone_search_shows_advice_and_a_thread_on_the_first_screen(page, artifacts_dir):
    call_command("load_demo", verbosity=0)
    page.set_viewport_size(PHONE)
    late = {}
    for url in SEARCHES:
        page.goto(url)
        advice = page.locator(".search-advice__item").first.bounding_box()
        thread = page.locator(".search-results > li").first.bounding_box()
        assert advice is not None and thread is not None, url
        page.screenshot(path=artifacts_dir / f"{shot_name(url)}.png")
        if max(advice["y"], thread["y"]) + FIRST_LINE > PHONE["height"]:
            late[url] = (advice["y"], thread["y"])
    assert not late, late
