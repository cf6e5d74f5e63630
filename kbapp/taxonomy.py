"""The taxonomy, in one place: the pain-location tree, the remedies, and what is built from them.

Every reader (the public pages and filters, search, the importer's suggestions, the corpus
generator) takes its locations and remedies from a ``Taxonomy``. The rows are read lazily,
one small query each, once per request or import run; what is costly to build from them (the
search thesaurus, the importer's compiled phrase matchers) is cached per process for each
version of the taxonomy, the version being the terms themselves, so an editor's change to a
synonym takes effect on the next request in every process without any invalidation.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property, lru_cache

from kbapp.importing.matching import PhraseMatcher, most_specific
from kbapp.models import PainLocation, RedFlag, Remedy
from kbapp.search.query import Thesaurus

Terms = tuple[tuple[object, tuple[str, ...]], ...]


@lru_cache(maxsize=8)
def thesaurus_of(named_terms: Terms) -> Thesaurus:
    return Thesaurus.from_terms(named_terms)


@lru_cache(maxsize=16)
def matcher_of(terms_by_key: Terms, inflect: bool = False) -> PhraseMatcher:
    return PhraseMatcher(dict(terms_by_key), inflect=inflect)


class Taxonomy:
    """The location tree and the remedies, each loaded once (one small query) when first used.

    A caller that already holds the rows passes them in and the taxonomy runs no query.
    """

    def __init__(
        self, locations: list[PainLocation] | None = None, remedies: list[Remedy] | None = None
    ) -> None:
        if locations is not None:
            self.__dict__["_rows"] = list(locations)
        if remedies is not None:
            self.__dict__["remedies"] = list(remedies)

    @cached_property
    def _rows(self) -> list[PainLocation]:
        return list(PainLocation.objects.all())

    @cached_property
    def remedies(self) -> list[Remedy]:
        return list(Remedy.objects.all())

    @cached_property
    def red_flags(self) -> list[RedFlag]:
        return list(RedFlag.objects.all())

    # --- The location tree -------------------------------------------------------------------

    @cached_property
    def _children(self) -> dict[int | None, list[PainLocation]]:
        children: dict[int | None, list[PainLocation]] = defaultdict(list)
        for row in self._rows:
            children[row.parent_id].append(row)
        return children

    @cached_property
    def locations(self) -> list[PainLocation]:
        """Every location in tree order, each with a ``depth`` (0 for top level)."""
        ordered: list[PainLocation] = []

        def walk(parent_id: int | None, depth: int) -> None:
            for row in self._children.get(parent_id, []):
                row.depth = depth
                ordered.append(row)
                walk(row.pk, depth + 1)

        walk(None, 0)
        return ordered

    @cached_property
    def _location_by_id(self) -> dict[int, PainLocation]:
        return {row.pk: row for row in self.locations}

    @cached_property
    def _remedy_by_id(self) -> dict[int, Remedy]:
        return {row.pk: row for row in self.remedies}

    def location(self, slug: str) -> PainLocation | None:
        return next((row for row in self.locations if row.slug == slug), None)

    def location_by_id(self, pk: int) -> PainLocation:
        return self._location_by_id[pk]

    def remedy(self, slug: str) -> Remedy | None:
        return next((row for row in self.remedies if row.slug == slug), None)

    def remedy_by_id(self, pk: int) -> Remedy:
        return self._remedy_by_id[pk]

    def top_level(self) -> list[PainLocation]:
        return self._children.get(None, [])

    def children(self, location: PainLocation) -> list[PainLocation]:
        return self._children.get(location.pk, [])

    def descendant_ids(self, location: PainLocation) -> list[int]:
        """The location and everything under it, the location first."""
        found, stack = [], [location.pk]
        while stack:
            pk = stack.pop()
            found.append(pk)
            stack.extend(row.pk for row in self._children.get(pk, []))
        return found

    def ancestors(self, location: PainLocation) -> list[PainLocation]:
        """The location's parents, nearest first, without the location itself."""
        found, parent_id = [], location.parent_id
        while parent_id is not None:
            parent = self._location_by_id[parent_id]
            found.append(parent)
            parent_id = parent.parent_id
        return found

    def grouped(self) -> list[tuple[PainLocation, list[PainLocation]]]:
        """Each top-level place with every place under it, in tree order: the place lists."""
        return [
            (top, [row for row in self.locations if self.ancestors(row)[-1:] == [top]])
            for top in self.top_level()
        ]

    @cached_property
    def _parents(self) -> dict[int, int | None]:
        return {row.pk: row.parent_id for row in self._rows}

    def location_choices(self) -> list[tuple[str, str]]:
        return [(row.slug, row.name) for row in self.locations]

    def remedy_choices(self) -> list[tuple[str, str]]:
        return [(row.slug, row.name) for row in self.remedies]

    # --- Built from the terms, cached per version --------------------------------------------

    @cached_property
    def thesaurus(self) -> Thesaurus:
        """Search's synonyms: typing any term of a place or remedy finds all its terms."""
        named = [(row.name, tuple(row.terms)) for row in [*self._rows, *self.remedies]]
        return thesaurus_of(tuple(named))

    # The importer's suggestions: places as written, remedies and red flags in any verb form
    # ("relaxing my shoulders", "iced it").

    @cached_property
    def location_matcher(self) -> PhraseMatcher:
        return matcher_of(tuple((row.pk, tuple(row.terms)) for row in self._rows))

    @cached_property
    def remedy_matcher(self) -> PhraseMatcher:
        terms = tuple((row.pk, tuple(row.terms)) for row in self.remedies)
        return matcher_of(terms, inflect=True)

    @cached_property
    def red_flag_matcher(self) -> PhraseMatcher:
        terms = tuple((row.pk, tuple(row.phrase_list)) for row in self.red_flags)
        return matcher_of(terms, inflect=True)

    def locations_in(self, text: str) -> set[int]:
        """The most specific places a text names (upper back, not also back)."""
        return most_specific(self.location_matcher.find(text), self._parents)
