"""FilterSets shared by the HTML pages and the JSON API, so both read a query string alike.

Locations and remedies are chosen by slug from a Taxonomy loaded once per request, so
validating a choice costs no query. A location always includes everything under it.
Many-valued relations are filtered with ``pk__in`` subqueries: no duplicate rows, no
DISTINCT, and annotations on the base queryset stay what they were.
"""

from __future__ import annotations

import django_filters
from django.db.models import F, Q, QuerySet

from kbapp.models import AdviceEntry, Evidence, Remedy, Stage, TagStatus, Thread, ThreadLocation
from kbapp.models import ThreadRemedy as ThreadRemedyTag
from kbapp.search.types import SearchFilters
from kbapp.selectors import AdviceLocation, AdviceRemedy, AdviceSource
from kbapp.taxonomy import Taxonomy

STAGE_CHOICES = [(str(value), label) for value, label in Stage.choices]
NEWEST_FIRST = (F("published_at").desc(nulls_last=True), "-pk")
SORT_CHOICES = [("recent", "Most recent"), ("support", "Most support")]
MAX_TEXT_WORDS = 8


def _choice(label: str, empty: str | None, unknown: str, **kwargs) -> django_filters.ChoiceFilter:
    """A choice filter whose error names the value and what it should have been."""
    return django_filters.ChoiceFilter(
        label=label,
        empty_label=empty,
        error_messages={"invalid_choice": f"“%(value)s” is not {unknown}."},
        **kwargs,
    )


class TaxonomyFilterSet(django_filters.FilterSet):
    """Base for the site's filters: the location and remedy choices come from a Taxonomy."""

    location = _choice("Where it hurts", "Anywhere", "a body region we know", method="by_place")
    remedy = _choice("What they tried", "Any remedy", "a remedy we know", method="by_remedy")
    category = _choice(
        "Kind of remedy",
        "Any kind",
        "a kind of remedy",
        choices=Remedy.Category.choices,
        method="by_category",
    )
    stage = _choice(
        "Programme stage",
        "Any stage",
        "a Couch to 5K week",
        choices=STAGE_CHOICES,
        method="by_stage",
    )

    def __init__(self, data=None, queryset=None, *, taxonomy: Taxonomy, **kwargs):
        self.taxonomy = taxonomy
        super().__init__(data, queryset, **kwargs)
        for name, choices in (
            ("location", taxonomy.location_choices),
            ("remedy", taxonomy.remedy_choices),
        ):
            if name in self.filters:
                self.filters[name].extra["choices"] = choices()

    def place_ids(self, slug: str) -> list[int]:
        return self.taxonomy.descendant_ids(self.taxonomy.location(slug))

    def remedy_id(self, slug: str) -> int:
        return self.taxonomy.remedy(slug).pk

    @property
    def active(self) -> dict[str, str]:
        """The filters in force, by name, for "remove this filter" links and the API."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def error_messages(self) -> list[str]:
        """Plain sentences for a query string that could not be used."""
        return [
            f"{self.filters[name].label}: {message}" if name in self.filters else message
            for name, messages in self.errors.items()
            for message in messages
        ]


class AdviceFilter(TaxonomyFilterSet):
    """Published advice entries: /advice/, the symptom pages and /api/advice."""

    q = django_filters.CharFilter(label="Words", method="by_text", max_length=200)
    sort = _choice("Sort by", None, "a way to sort", choices=SORT_CHOICES, method="sort_by")

    class Meta:
        model = AdviceEntry
        fields: list[str] = []

    def by_place(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        tagged = AdviceLocation.objects.filter(painlocation_id__in=self.place_ids(value))
        return qs.filter(pk__in=tagged.values("adviceentry_id"))

    def by_remedy(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        tagged = AdviceRemedy.objects.filter(remedy_id=self.remedy_id(value))
        return qs.filter(pk__in=tagged.values("adviceentry_id"))

    def by_category(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        tagged = AdviceRemedy.objects.filter(remedy__category=value)
        return qs.filter(pk__in=tagged.values("adviceentry_id"))

    def by_stage(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """Entries citing a reply in a visible thread at that stage."""
        cited = AdviceSource.objects.filter(
            reply__thread__stage=int(value), reply__thread__is_hidden=False
        )
        return qs.filter(pk__in=cited.values("adviceentry_id"))

    def by_text(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """Every word somewhere in the title, summary or body (advice is a small table)."""
        for word in value.split()[:MAX_TEXT_WORDS]:
            qs = qs.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
            )
        return qs

    def sort_by(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """Either order, whatever the base queryset's own (support, or newest on /advice/)."""
        if value == "recent":
            return qs.order_by(*NEWEST_FIRST)
        return qs.order_by("-support", *NEWEST_FIRST)


class AnswerFilter(TaxonomyFilterSet):
    """The community's answers: public evidence, by place, remedy, stance and stage."""

    stance = _choice(
        "What they said",
        "Any",
        "a stance we know",
        choices=Evidence.Stance.choices,
        method="by_stance",
    )

    class Meta:
        model = Evidence
        fields: list[str] = []

    def by_place(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(location_id__in=self.place_ids(value))

    def by_remedy(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(remedy_id=self.remedy_id(value))

    def by_category(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(remedy__category=value)

    def by_stage(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(reply__thread__stage=int(value))

    def by_stance(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(stance=value)


class ThreadFilter(TaxonomyFilterSet):
    """Threads by their confirmed tags and stage."""

    class Meta:
        model = Thread
        fields: list[str] = []

    def by_place(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        tagged = ThreadLocation.objects.filter(
            status=TagStatus.CONFIRMED, location_id__in=self.place_ids(value)
        )
        return qs.filter(pk__in=tagged.values("thread_id"))

    def by_remedy(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        tagged = ThreadRemedyTag.objects.filter(
            status=TagStatus.CONFIRMED, remedy_id=self.remedy_id(value)
        )
        return qs.filter(pk__in=tagged.values("thread_id"))

    def by_category(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        tagged = ThreadRemedyTag.objects.filter(status=TagStatus.CONFIRMED, remedy__category=value)
        return qs.filter(pk__in=tagged.values("thread_id"))

    def by_stage(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(stage=int(value))

    def search_filters(self) -> SearchFilters:
        """The same choices for the search SQL (kbapp/search/sql.py), which must mean what
        the methods above mean: tests/test_filter_parity.py runs both over every filter."""
        data = self.form.cleaned_data
        location = self.taxonomy.location(data["location"]) if data.get("location") else None
        remedy = self.taxonomy.remedy(data["remedy"]) if data.get("remedy") else None
        return SearchFilters(
            location_ids=tuple(self.taxonomy.descendant_ids(location)) if location else (),
            remedy_id=remedy.pk if remedy else None,
            category=data.get("category") or None,
            stage=int(data["stage"]) if data.get("stage") else None,
        )


class SymptomFilter(ThreadFilter):
    """What a symptom page accepts in its query string; the place comes from its URL."""

    location = None
