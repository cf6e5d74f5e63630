"""The locations and remedies a search needs: synonyms, the location tree, tag names."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from kbapp.models import PainLocation, Remedy
from kbapp.search.query import Thesaurus


@lru_cache(maxsize=4)
def thesaurus_of(named_terms: tuple[tuple[str, tuple[str, ...]], ...]) -> Thesaurus:
    """Built once per process for each version of the taxonomy, not once per search."""
    return Thesaurus.from_terms(named_terms)


@dataclass
class SearchTaxonomy:
    locations: list[PainLocation]
    remedies: list[Remedy]
    _children: dict[int | None, list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls) -> SearchTaxonomy:
        """Two small queries; a view that already holds the lists passes them instead."""
        return cls(list(PainLocation.objects.all()), list(Remedy.objects.all()))

    def __post_init__(self) -> None:
        for location in self.locations:
            self._children.setdefault(location.parent_id, []).append(location.pk)

    @cached_property
    def thesaurus(self) -> Thesaurus:
        named = [(loc.name, tuple(loc.terms)) for loc in self.locations]
        named += [(rem.name, tuple(rem.terms)) for rem in self.remedies]
        return thesaurus_of(tuple(named))

    @cached_property
    def location_by_id(self) -> dict[int, PainLocation]:
        return {loc.pk: loc for loc in self.locations}

    @cached_property
    def remedy_by_id(self) -> dict[int, Remedy]:
        return {rem.pk: rem for rem in self.remedies}

    def descendant_ids(self, location: PainLocation) -> list[int]:
        found, stack = [], [location.pk]
        while stack:
            pk = stack.pop()
            found.append(pk)
            stack.extend(self._children.get(pk, []))
        return found
