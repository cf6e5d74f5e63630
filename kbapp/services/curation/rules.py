"""The publishing rules: what an advice entry needs before the public may read it.

Checked by the service on every publish and on every save of a published entry, so the
admin, bulk actions and any later API obey them alike; the admin form runs the same check
first, so an editor sees the problems beside the fields without losing their edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from kbapp.models import AdviceEntry, RedFlag, Reply
from kbapp.services.curation.common import CurationError

# How long advice stands before someone re-reads it against newer threads.
REVIEW_PERIOD = timedelta(days=365)


def default_review_due(today: date | None = None) -> date:
    return (today or timezone.localdate()) + REVIEW_PERIOD


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


class NotPublishable(CurationError):
    """An entry that breaks a publishing rule; `problems` says which, field by field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        reasons = " ".join(problem.message for problem in problems)
        super().__init__(f"This entry cannot be published yet. {reasons}")


def publishing_problems(
    *,
    reply_ids: Iterable[int],
    review_due: date | None,
    see_a_professional_if: str,
    summary: str,
    body: str,
) -> list[Problem]:
    """Every rule the content breaks; an empty list means it may be published."""
    cited = Reply.objects.filter(pk__in=list(reply_ids))
    # A draft may be saved half-written; what runners read never is.
    problems = [
        Problem(name, f"Write the {name} before publishing.")
        for name, text in (("summary", summary), ("body", body))
        if not text.strip()
    ]
    if not cited.filter(thread__is_hidden=False).exists():
        problems.append(
            Problem("sources", "Cite at least one reply from a visible thread as its source.")
        )
    if review_due is None:
        problems.append(Problem("review_due", "Set a review date (a year ahead is usual)."))
    if not see_a_professional_if.strip():
        flags = RedFlag.objects.filter(threads__replies__in=cited).distinct()
        names = ", ".join(flag.name.lower() for flag in flags)
        if names:
            problems.append(
                Problem(
                    "see_a_professional_if",
                    f"Fill in “see a professional if”: a cited thread mentions {names}.",
                )
            )
    return problems


def check_publishable(entry: AdviceEntry) -> None:
    """Raise NotPublishable unless the saved entry meets every rule."""
    problems = publishing_problems(
        reply_ids=entry.sources.values_list("pk", flat=True),
        review_due=entry.review_due,
        see_a_professional_if=entry.see_a_professional_if,
        summary=entry.summary,
        body=entry.body,
    )
    if problems:
        raise NotPublishable(problems)
