"""What a search takes and gives back: the same shapes whichever backend ran it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.utils.safestring import SafeString

from kbapp.models import PainLocation, Remedy, Thread
from kbapp.paging import CountedPaginator

DEFAULT_PER_PAGE = 20
# Matches counted exactly, and ranked all together, up to this many; beyond it the count is
# an estimate ("about N") and only a window of this many candidates is ranked and paged.
WINDOW = 300


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions on confirmed tags and stage; a location already includes its descendants."""

    location_ids: tuple[int, ...] = ()
    remedy_id: int | None = None
    category: str | None = None
    stage: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.location_ids or self.remedy_id or self.category or self.stage)

    def without(self, name: str) -> SearchFilters:
        """The same filters minus one: the base of that filter's facet counts."""
        empty = {"location": {"location_ids": ()}, "remedy": {"remedy_id": None, "category": None}}
        changes = empty.get(name, {name: None})
        return SearchFilters(**{**self.__dict__, **changes})


@dataclass(frozen=True)
class SearchHit:
    thread: Thread
    score: float
    snippet: SafeString
    url: str
    reply_id: int | None
    locations: list[PainLocation]
    remedies: list[Remedy]

    @property
    def title(self) -> str:
        return self.thread.title

    @property
    def reply_count(self) -> int:
        return self.thread.reply_count


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    count: int = 0
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    suggestion: str | None = None
    # No thread had every word, so these are threads with some of them.
    relaxed: bool = False
    # Nothing to search for: an empty query, or only -exclusions.
    searched: bool = True
    facets: dict[str, dict[str, int]] | None = None
    # Published advice entries matching the words, best first, as (id, score): on page 1
    # only, before any filter (the caller filters them as it filters advice elsewhere).
    advice_ids: list[tuple[int, float]] = field(default_factory=list)
    # False when count is an estimate: more than `window` matches, of which only the
    # window's candidates were ranked, paged and counted in the facets.
    count_exact: bool = True
    window: int = WINDOW

    @property
    def more_than_window(self) -> bool:
        """Beyond the window with no estimate above it: all that is known is "more than"."""
        return not self.count_exact and self.count <= self.window + 1

    @property
    def paged_count(self) -> int:
        """The results that can be paged through: all of them, or the window."""
        return self.count if self.count_exact else min(self.count, self.window)

    @property
    def paginator(self) -> CountedPaginator:
        return CountedPaginator(self.hits, self.per_page, self.paged_count)

    @property
    def page_obj(self) -> Page:
        """This page as Django's Page, for the site's one pagination template."""
        return Page(self.hits, self.page, self.paginator)

    @property
    def num_pages(self) -> int:
        return self.paginator.num_pages

    @property
    def out_of_range(self) -> bool:
        return self.page > self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.hits) - 1 if self.hits else 0
