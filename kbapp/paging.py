"""Page numbers and pages, for every list on the site and in the API: one parser, one path.

A page number is ASCII digits only (``str.isdigit`` also accepts "²", which ``int``
refuses), from 1 up to MAX_PAGE; anything else is a BadPage whose message says why in
plain words, and a page past the end reads the same everywhere.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

MAX_PAGE = 100_000


class BadPage(ValueError):
    """A page number that is not one; the message says so in plain words."""


class PastTheEnd(BadPage):
    """A page number after the last page: no filter is wrong, there are fewer results."""


def ascii_digits(text: str) -> bool:
    """Whether text is a whole number ``int`` will read: "²" and "٣" pass ``isdigit``."""
    return text.isascii() and text.isdigit()


def page_number(raw: str | None) -> int:
    """A whole number from 1, or BadPage saying why not."""
    raw = (raw or "1").strip()
    digits = raw[1:] if raw[:1] in "+-" else raw
    if not ascii_digits(digits):
        raise BadPage(f"“{raw[:20]}” is not a page number.")
    digits = digits.lstrip("0") or "0"
    # Checked by length first: int() refuses strings of more than 4,300 digits.
    if raw.startswith("-") or digits == "0":
        raise BadPage("Page numbers start at 1.")
    if len(digits) > len(str(MAX_PAGE)) or int(digits) > MAX_PAGE:
        raise PastTheEnd(f"Page {raw[:20]} is past the last page.")
    return int(digits)


def past_the_end(number: int, num_pages: int) -> str:
    pages = "1 page" if num_pages == 1 else f"{num_pages:,} pages"
    return f"There is no page {number}: these results fit on {pages}."


class CountedPaginator(Paginator):
    """A Paginator told its count (search counts its matches itself), never counting again."""

    def __init__(self, object_list, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def paginate(items, raw: str | None, per_page: int) -> Page:
    """The requested page of items, or BadPage for anything but a page that exists."""
    number = page_number(raw)
    paginator = Paginator(items, per_page)
    if number > paginator.num_pages:
        raise PastTheEnd(past_the_end(number, paginator.num_pages))
    return paginator.page(number)


def page_url(request: HttpRequest, number: int) -> str:
    """This request's absolute URL with another page number."""
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
