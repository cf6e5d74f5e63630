"""Reads for the public site and the API: taxonomy, support counts, facets, paging.

Every helper here runs a fixed number of queries whatever the amount of data, so each
public page stays inside its query budget (see tests/test_views_budgets.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from kbapp.citations import thaw
from kbapp.models import (
    AdviceEntry,
    Evidence,
    PainLocation,
    RedFlag,
    Remedy,
    Reply,
    TagStatus,
    Thread,
    ThreadLocation,
    ThreadRemedy,
)

AdviceLocation = AdviceEntry.locations.through
AdviceRemedy = AdviceEntry.remedies.through
AdviceSource = AdviceEntry.sources.through


class Taxonomy:
    """The location tree and the remedies, each loaded once (one small query) when first used."""

    @cached_property
    def locations(self) -> list[PainLocation]:
        """Every location in tree order, each with a ``depth`` (0 for top level)."""
        rows = list(PainLocation.objects.all())
        children: dict[int | None, list[PainLocation]] = defaultdict(list)
        for row in rows:
            children[row.parent_id].append(row)
        ordered: list[PainLocation] = []

        def walk(parent_id: int | None, depth: int) -> None:
            for row in children.get(parent_id, []):
                row.depth = depth
                ordered.append(row)
                walk(row.pk, depth + 1)

        walk(None, 0)
        return ordered

    @cached_property
    def remedies(self) -> list[Remedy]:
        return list(Remedy.objects.all())

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
        return [row for row in self.locations if row.parent_id is None]

    def children(self, location: PainLocation) -> list[PainLocation]:
        return [row for row in self.locations if row.parent_id == location.pk]

    def descendant_ids(self, location: PainLocation) -> list[int]:
        """The location and everything under it, like PainLocation.descendant_ids(), no query."""
        found, stack = [], [location.pk]
        while stack:
            pk = stack.pop()
            found.append(pk)
            stack.extend(row.pk for row in self.locations if row.parent_id == pk)
        return found

    def ancestors(self, location: PainLocation) -> list[PainLocation]:
        """The location's parents, nearest first, without the location itself."""
        found, parent_id = [], location.parent_id
        while parent_id is not None:
            parent = self._location_by_id[parent_id]
            found.append(parent)
            parent_id = parent.parent_id
        return found

    def location_choices(self) -> list[tuple[str, str]]:
        return [(row.slug, row.name) for row in self.locations]

    def remedy_choices(self) -> list[tuple[str, str]]:
        return [(row.slug, row.name) for row in self.remedies]


# --- Support: who recommended what ------------------------------------------------------------

# Replies without an author name are counted one runner each rather than one runner in all.
RUNNER = Case(
    When(reply__author="", then=Concat(Value("#"), Cast("reply_id", CharField()))),
    default=F("reply__author"),
    output_field=CharField(),
)
HELPED = Q(stance=Evidence.Stance.HELPED)
DID_NOT_HELP = Q(stance=Evidence.Stance.DID_NOT_HELP)
POSITIVE = ~DID_NOT_HELP


@dataclass
class RemedySupport:
    """One remedy's row in the location × remedy view: the counts shown beside it.

    Runners and threads count those who recommended it or said it helped; those it did
    not help are counted apart, never as support.
    """

    remedy: Remedy
    runners: int
    threads: int
    replies: int
    helped: int
    did_not_help: int
    by_location: list[tuple[PainLocation, int]] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)


def remedy_support(evidence: QuerySet[Evidence], taxonomy: Taxonomy) -> list[RemedySupport]:
    """Evidence grouped by remedy, best supported first, each split by location: two queries."""
    totals = (
        evidence.order_by()
        .values("remedy_id")
        .annotate(
            runners=Count(RUNNER, filter=POSITIVE, distinct=True),
            threads=Count("reply__thread_id", filter=POSITIVE, distinct=True),
            replies=Count("reply_id", distinct=True),
            helped=Count("reply_id", filter=HELPED, distinct=True),
            did_not_help=Count("reply_id", filter=DID_NOT_HELP, distinct=True),
        )
    )
    rows = {
        row["remedy_id"]: RemedySupport(remedy=taxonomy.remedy_by_id(row.pop("remedy_id")), **row)
        for row in totals
    }
    if not rows:
        return []
    pairs = (
        evidence.order_by()
        .values("remedy_id", "location_id")
        .annotate(replies=Count("reply_id", distinct=True))
    )
    for pair in pairs:
        location = taxonomy.location_by_id(pair["location_id"])
        rows[pair["remedy_id"]].by_location.append((location, pair["replies"]))
    for row in rows.values():
        row.by_location.sort(key=lambda item: (-item[1], item[0].name))
    return sorted(rows.values(), key=lambda r: (-r.runners, -r.helped, -r.threads, r.remedy.name))


# --- Advice -----------------------------------------------------------------------------------


def advice_support() -> Subquery:
    """How many replies an entry cites on visible threads: its support, as a subquery.

    A subquery rather than a Count() over the join, so filters on the same relation
    (stage via sources) cannot change the figure.
    """
    cited = (
        AdviceSource.objects.filter(adviceentry_id=OuterRef("pk"), reply__thread__is_hidden=False)
        .order_by()
        .values("adviceentry_id")
        .annotate(n=Count("reply_id"))
        .values("n")
    )
    return Coalesce(Subquery(cited, output_field=IntegerField()), 0)


def advice_queryset() -> QuerySet[AdviceEntry]:
    """Published entries with their support, best supported first."""
    return (
        AdviceEntry.objects.published()
        .annotate(support=advice_support())
        .order_by("-support", F("published_at").desc(nulls_last=True), "-pk")
    )


def attach_tags(entries: Iterable[AdviceEntry], taxonomy: Taxonomy) -> list[AdviceEntry]:
    """Give each entry ``places`` and ``remedy_tags`` from the taxonomy: one query in all.

    Both link tables are read in a single UNION and named from the taxonomy already in
    memory, which saves the two prefetch queries a list page would otherwise run.
    """
    entries = list(entries)
    ids = [entry.pk for entry in entries]
    places = AdviceLocation.objects.filter(adviceentry_id__in=ids).values_list(
        "adviceentry_id", "painlocation_id", Value("location", output_field=CharField())
    )
    remedies = AdviceRemedy.objects.filter(adviceentry_id__in=ids).values_list(
        "adviceentry_id", "remedy_id", Value("remedy", output_field=CharField())
    )
    tags: dict[int, dict[str, list]] = defaultdict(lambda: {"location": [], "remedy": []})
    for entry_id, pk, kind in places.union(remedies, all=True) if ids else []:
        find = taxonomy.location_by_id if kind == "location" else taxonomy.remedy_by_id
        tags[entry_id][kind].append(find(pk))
    order = {row.pk: n for n, row in enumerate(taxonomy.locations)}
    for entry in entries:
        entry.places = sorted(tags[entry.pk]["location"], key=lambda row: order[row.pk])
        entry.remedy_tags = sorted(tags[entry.pk]["remedy"], key=lambda row: row.name)
    return entries


def related_advice(entry: AdviceEntry, location_ids: list[int], limit: int = 5) -> list:
    """Other published entries about the same places, best supported first."""
    sharing = AdviceLocation.objects.filter(painlocation_id__in=location_ids)
    return list(
        advice_queryset()
        .filter(pk__in=sharing.values("adviceentry_id"))
        .exclude(pk=entry.pk)[:limit]
    )


def cited_replies(entry: AdviceEntry) -> list[Reply]:
    """What an entry quotes: as published (frozen), else its replies on visible threads."""
    if entry.status == AdviceEntry.Status.PUBLISHED and entry.cited_snapshot is not None:
        return thaw(entry.cited_snapshot)
    return list(
        entry.sources.filter(thread__is_hidden=False)
        .select_related("thread")
        .order_by("thread_id", "position")
    )


# --- Facets -----------------------------------------------------------------------------------


def _without(filterset, *names: str):
    """The same FilterSet minus some of its filters: the base of a disjunctive facet."""
    data = filterset.data.copy()
    for name in names:
        data.pop(name, None)
    other = type(filterset)(data, queryset=filterset.queryset, taxonomy=filterset.taxonomy)
    return other.qs.order_by().values("pk")


def advice_facets(filterset) -> dict[str, dict[str, int]]:
    """Entries per option of each filter, counted under all the *other* filters: three queries.

    A location counts the entries tagged with it or anything under it.
    """
    taxonomy: Taxonomy = filterset.taxonomy
    chosen = filterset.form.cleaned_data
    by_location: dict[str, set[int]] = defaultdict(set)
    pairs = AdviceLocation.objects.filter(adviceentry_id__in=_without(filterset, "location"))
    for entry_id, location_id in pairs.values_list("adviceentry_id", "painlocation_id"):
        location = taxonomy.location_by_id(location_id)
        for place in (location, *taxonomy.ancestors(location)):
            by_location[place.slug].add(entry_id)

    remedies: dict[int, set[Remedy]] = defaultdict(set)
    pairs = AdviceRemedy.objects.filter(
        adviceentry_id__in=_without(filterset, "remedy", "category")
    )
    for entry_id, remedy_id in pairs.values_list("adviceentry_id", "remedy_id"):
        remedies[entry_id].add(taxonomy.remedy_by_id(remedy_id))

    stages = (
        AdviceSource.objects.filter(
            adviceentry_id__in=_without(filterset, "stage"),
            reply__thread__is_hidden=False,
            reply__thread__stage__isnull=False,
        )
        .values("reply__thread__stage")
        .annotate(n=Count("adviceentry_id", distinct=True))
        .values_list("reply__thread__stage", "n")
    )
    return {
        "location": {slug: len(ids) for slug, ids in by_location.items()},
        **_remedy_facets(remedies.values(), chosen.get("remedy"), chosen.get("category")),
        "stage": {str(stage): n for stage, n in stages},
    }


def _remedy_facets(
    entries: Iterable[set[Remedy]], remedy: str | None, category: str | None
) -> dict[str, dict[str, int]]:
    """Remedy counts under the chosen category and category counts under the chosen remedy."""
    by_remedy: dict[str, int] = defaultdict(int)
    by_category: dict[str, int] = defaultdict(int)
    for tagged in entries:
        categories = {r.category for r in tagged}
        if not category or category in categories:
            for r in tagged:
                by_remedy[r.slug] += 1
        if not remedy or remedy in {r.slug for r in tagged}:
            for c in categories:
                by_category[c] += 1
    return {"remedy": dict(by_remedy), "category": dict(by_category)}


# --- Symptom pages ----------------------------------------------------------------------------


def red_flags_for(location: PainLocation, taxonomy: Taxonomy) -> list[RedFlag]:
    """Red flags for a place, its parents, or everywhere (a flag with no locations)."""
    places = [location.pk, *(a.pk for a in taxonomy.ancestors(location))]
    tagged = RedFlag.locations.through.objects.filter(painlocation_id__in=places)
    return list(
        RedFlag.objects.filter(
            Q(pk__in=tagged.values("redflag_id")) | Q(locations__isnull=True)
        ).distinct()
    )


def threads_with_counts(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Newest first (undated last on every database), with their reply counts."""
    return threads.with_reply_count().order_by(
        F("posted_at").desc(nulls_last=True), "-imported_at", "-pk"
    )


# --- Threads ----------------------------------------------------------------------------------


@dataclass
class ThreadPage:
    thread: Thread
    replies: list[Reply]
    locations: list[PainLocation]
    remedies: list[Remedy]
    advice: list[AdviceEntry]


def thread_page(thread: Thread) -> ThreadPage:
    """A visible thread with its replies and claims, confirmed tags and citing advice."""
    confirmed = Evidence.objects.confirmed().select_related("remedy", "location")
    replies = thread.replies.order_by("position").prefetch_related(
        Prefetch("evidence", queryset=confirmed, to_attr="claims")
    )
    location_tags = ThreadLocation.objects.filter(thread=thread, status=TagStatus.CONFIRMED)
    remedy_tags = ThreadRemedy.objects.filter(thread=thread, status=TagStatus.CONFIRMED)
    citing = AdviceSource.objects.filter(reply__thread=thread).values("adviceentry_id")
    return ThreadPage(
        thread=thread,
        replies=list(replies),
        locations=[t.location for t in location_tags.select_related("location")],
        remedies=[t.remedy for t in remedy_tags.select_related("remedy")],
        advice=list(advice_queryset().filter(pk__in=citing)),
    )


# --- Answers ----------------------------------------------------------------------------------


def answer_replies(evidence: QuerySet[Evidence]) -> QuerySet[Reply]:
    """The replies behind some evidence, newest threads first, in thread order."""
    return (
        Reply.objects.filter(pk__in=evidence.order_by().values("reply_id"))
        .select_related("thread")
        .order_by(F("thread__posted_at").desc(nulls_last=True), "-thread_id", "position")
    )


def attach_claims(replies: list[Reply], taxonomy: Taxonomy) -> None:
    """Give each reply its public claims as ``reply.claims``: one query for the whole page."""
    claims: dict[int, list[Evidence]] = defaultdict(list)
    rows = Evidence.objects.public().filter(reply_id__in=[r.pk for r in replies])
    for claim in rows.order_by("pk"):
        claim.remedy = taxonomy.remedy_by_id(claim.remedy_id)
        claim.location = taxonomy.location_by_id(claim.location_id)
        claims[claim.reply_id].append(claim)
    for reply in replies:
        reply.claims = claims[reply.pk]


# --- Paging -----------------------------------------------------------------------------------


class BadPage(ValueError):
    """A page number that is not one; the message says so in plain words."""


def paginate(items: QuerySet, raw: str | None, per_page: int) -> Page:
    """The requested page, or BadPage for anything but a whole number within range."""
    raw = (raw or "1").strip()
    if raw.startswith("-") and raw[1:].isdigit():
        raise BadPage("Page numbers start at 1.")
    if not raw.isdigit() or len(raw) > 9:
        raise BadPage(f"“{raw[:20]}” is not a page number.")
    number = int(raw)
    paginator = Paginator(items, per_page)
    if number < 1:
        raise BadPage("Page numbers start at 1.")
    if number > paginator.num_pages:
        pages = "1 page" if paginator.num_pages == 1 else f"{paginator.num_pages} pages"
        raise BadPage(f"There is no page {number}: these results fit on {pages}.")
    return paginator.page(number)


# --- Drafting advice ----------------------------------------------------------------------


def advice_prefill(*, reply_ids: Iterable[int]) -> dict:
    """What a new advice entry citing these replies starts with; the editor reviews it.

    Evidence on the replies (suggested or confirmed) says most precisely what they are
    about; replies without any fall back on their threads' tags. A remedy whose only
    evidence in these replies is "did not help" is left out. The red flags their threads
    mention fill "see a professional if", one per line.
    """
    replies = list(Reply.objects.filter(pk__in=list(reply_ids)).order_by("thread", "position"))
    threads = {reply.thread_id for reply in replies}
    evidence = Evidence.objects.filter(reply__in=replies)
    claims = list(evidence.values_list("location", "remedy", "stance", "reply__thread"))
    helped = {remedy for _, remedy, stance, _ in claims if stance != Evidence.Stance.DID_NOT_HELP}
    only_unhelpful = {remedy for _, remedy, _, _ in claims} - helped
    bare = threads - {thread for *_, thread in claims}
    locations = {location for location, *_ in claims} | set(
        ThreadLocation.objects.filter(thread__in=bare).values_list("location", flat=True)
    )
    tagged = ThreadRemedy.objects.filter(thread__in=bare).values_list("remedy", flat=True)
    flags = RedFlag.objects.filter(threads__in=threads).distinct().order_by("position", "name")
    return {
        "sources": [reply.pk for reply in replies],
        "locations": sorted(locations),
        "remedies": sorted((helped | set(tagged)) - only_unhelpful),
        "see_a_professional_if": "\n".join(flag.name for flag in flags),
    }
