"""What a runner reads is whole: a long query fits the desktop search box, and a check
question over two lines is never crossed by its box's border."""

from __future__ import annotations

from tests.public_support import BROWSER_MARKS, taxonomy  # noqa: F401 (fixtures)
from tests.test_browser_check import demo  # noqa: F401 (fixture)

pytestmark = BROWSER_MARKS


def test_the_desktop_search_box_shows_the_whole_query(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/search/?q=chest+pain+when+running+after+a+long+hill")
    box = page.locator("#f-q")
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth")


def test_a_question_sits_inside_its_box_on_a_phone(page, demo):  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/check/?location=upper-back&stage=5")
    for fieldset in page.locator("fieldset.check-question").all():
        outer = fieldset.bounding_box()
        legend = fieldset.locator("legend").bounding_box()
        assert legend["y"] > outer["y"] + 1, fieldset.inner_text()
        assert legend["y"] + legend["height"] < outer["y"] + outer["height"]
