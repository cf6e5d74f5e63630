"""The editors' dashboard on the admin index: what needs doing, in a handful of queries."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Sum
from django.db.models.functions import Lower

from kbapp.citations import LiveSource, drift
from kbapp.models import AdviceEntry, Evidence, SearchQuery, Thread, ThreadLocation, ThreadRemedy

LIST_LENGTH = 10


def untagged_threads():
    tagged = Exists(ThreadLocation.objects.filter(thread=OuterRef("pk"))) | Exists(
        ThreadRemedy.objects.filter(thread=OuterRef("pk"))
    )
    return Thread.objects.visible().exclude(tagged)


def red_flag_threads():
    flagged = Thread.red_flags.through.objects.filter(thread=OuterRef("pk"))
    return Thread.objects.visible().filter(Exists(flagged))


def unanswered_searches() -> list[dict]:
    """The most frequent searches that found nothing, case folded: what to write next."""
    return list(
        SearchQuery.objects.filter(results=0)
        .annotate(text=Lower("query"))
        .values("text")
        .annotate(times=Sum("count"))
        .order_by("-times", "text")[:LIST_LENGTH]
    )


def evidence_matrix() -> dict:
    """Confirmed evidence per location × remedy: where the knowledge base is thin or rich."""
    cells = (
        Evidence.objects.confirmed()
        .values("location__name", "remedy__name")
        .annotate(n=Count("pk"))
        .order_by("location__name", "remedy__name")
    )
    remedies = sorted({c["remedy__name"] for c in cells})
    rows: dict[str, dict[str, int]] = {}
    for cell in cells:
        rows.setdefault(cell["location__name"], {})[cell["remedy__name"]] = cell["n"]
    return {
        "remedies": remedies,
        "rows": [(name, [counts.get(r, 0) for r in remedies]) for name, counts in rows.items()],
    }


def changed_sources(entries) -> dict[int, list[str]]:
    """Published entries whose cited replies changed since publishing, with what changed.

    Compared, not flagged at write time, so every path that changes a reply (the admin,
    merge and split, a re-import) is caught alike. Two queries.
    """
    frozen = {e.pk: e.cited_snapshot for e in entries if e.cited_snapshot is not None}
    rows = AdviceEntry.sources.through.objects.filter(adviceentry_id__in=list(frozen))
    live: dict[int, list[LiveSource]] = {pk: [] for pk in frozen}
    for entry_id, *fields in rows.values_list(
        "adviceentry_id",
        "reply_id",
        "reply__body",
        "reply__position",
        "reply__thread__title",
        "reply__thread__is_hidden",
    ):
        live[entry_id].append(LiveSource(*fields))
    found = {pk: drift(snapshot, live[pk]) for pk, snapshot in frozen.items()}
    return {pk: changes for pk, changes in found.items() if changes}


def needing_review() -> list[tuple[AdviceEntry, list[str]]]:
    published = list(AdviceEntry.objects.published().only("pk", "title", "cited_snapshot"))
    changes = changed_sources(published)
    return [(entry, changes[entry.pk]) for entry in published if entry.pk in changes]


def dashboard() -> dict:
    untagged, flagged = untagged_threads(), red_flag_threads()
    overdue = AdviceEntry.objects.review_overdue().order_by("review_due")
    return {
        "untagged_count": untagged.count(),
        "untagged": list(untagged.only("pk", "title")[:LIST_LENGTH]),
        "flagged_count": flagged.count(),
        "flagged": list(flagged.only("pk", "title")[:LIST_LENGTH]),
        "overdue": list(overdue.only("pk", "title", "review_due")[:LIST_LENGTH]),
        "sources_changed": needing_review(),
        "unanswered": unanswered_searches(),
        "matrix": evidence_matrix(),
    }
