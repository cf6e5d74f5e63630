"""A phone's first screen: at 390×844 the first result of each list starts on it.

Measured in a real Chromium on the demo data; screenshots of each first screen go to
artifacts/ (phone-<page>.png).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kbapp.models import PainLocation
from tests.public_support import taxonomy  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("taxonomy"),
    pytest.mark.django_db(transaction=True),
]

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
