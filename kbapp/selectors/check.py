"""Should I keep running?: what a runner answered, and what the knowledge base says to do.

The answers are a place, a programme week (or none) and the red flags answered yes, read
from a query string by ``read_answers`` for both the page and /api/check. ``check_result``
picks one of three outcomes: an emergency flag means urgent care and nothing else, whatever
else is still unanswered; any other flag means see a GP or physiotherapist, with the
community's advice for meanwhile; no flag means the advice, remedies and threads for that
place and week. Advice about a warning sign the runner was asked about and did not answer
yes to is left out: it would repeat what they just said no to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.datastructures import MultiValueDict

from kbapp.filters import ThreadFilter
from kbapp.models import AdviceEntry, Evidence, PainLocation, RedFlag, Stage, Thread
from kbapp.paging import ascii_digits
from kbapp.selectors.advice import AdviceLocation, advice_queryset
from kbapp.selectors.support import RemedySupport, remedy_support
from kbapp.selectors.symptoms import advice_about, red_flags_for, threads_with_counts
from kbapp.taxonomy import Taxonomy

NO_STAGE = "none"
NEAR_WEEKS = 1
MAX_ADVICE = 6
MAX_REMEDIES = 8
MAX_THREADS = 8
URGENT, SEE_SOMEONE, SELF_CARE = "urgent", "see_a_professional", "self_care"


class BadAnswers(ValueError):
    """A query string the check cannot use; ``messages`` say why in plain words."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass
class Answers:
    """What the runner told the check; ``None`` where a step is still to come."""

    location: PainLocation | None = None
    stage: int | None = None
    stage_given: bool = False
    flags: list[RedFlag] | None = None

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label if self.stage else "Not on a programme"

    @property
    def stage_value(self) -> str:
        return str(self.stage) if self.stage else NO_STAGE

    def query(self) -> dict[str, str]:
        """The canonical query string of these answers, for links and the API."""
        found = {}
        if self.location:
            found["location"] = self.location.slug
        if self.stage_given:
            found["stage"] = self.stage_value
        if self.flags is not None:
            found["flags"] = ",".join(flag.slug for flag in self.flags)
        return found


@dataclass
class CheckResult:
    answers: Answers
    outcome: str
    urgent: list[RedFlag] = field(default_factory=list)
    see_someone: list[RedFlag] = field(default_factory=list)
    advice: list[AdviceEntry] = field(default_factory=list)
    remedies: list[RemedySupport] = field(default_factory=list)
    # False when nobody near the runner's week said anything, so every week is counted.
    remedies_near_stage: bool = True
    threads: list[Thread] = field(default_factory=list)


def read_answers(query: Mapping, taxonomy: Taxonomy) -> Answers:
    """The answers in a query string so far; BadAnswers naming every value it cannot use."""
    answers, errors = Answers(), []
    slug = query.get("location", "").strip()
    if slug:
        answers.location = taxonomy.location(slug)
        if answers.location is None:
            errors.append(f"“{slug[:40]}” is not a place on the body map.")
    if "stage" in query:
        answers.stage_given = True
        try:
            answers.stage = read_stage(query.get("stage", ""))
        except ValueError as bad:
            errors.append(str(bad))
    if "flags" in query:
        try:
            answers.flags = read_flags(query, taxonomy)
        except ValueError as bad:
            errors.append(str(bad))
    if errors:
        raise BadAnswers(errors)
    return answers


def read_stage(raw: str) -> int | None:
    """A Couch to 5K week (1-9, 10 for graduates) or ``none``; ValueError otherwise."""
    raw = raw.strip()
    if raw.lower() == NO_STAGE:
        return None
    if ascii_digits(raw) and int(raw) in Stage.values:
        return int(raw)
    shown = raw[:20] or "(empty)"
    raise ValueError(f"“{shown}” is not a programme week: use 1 to 9, 10 for a graduate, or none.")


def read_flags(query: Mapping, taxonomy: Taxonomy) -> list[RedFlag]:
    """The flags answered yes: ``flags=a,b`` or ``flags=a&flags=b``; empty means none."""
    values = query.getlist("flags") if isinstance(query, MultiValueDict) else [query["flags"]]
    slugs = dict.fromkeys(s.strip() for v in values for s in v.split(",") if s.strip())
    known = {flag.slug for flag in taxonomy.red_flags}
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise ValueError(f"“{unknown[0][:40]}” is not one of the questions we ask.")
    return [flag for flag in taxonomy.red_flags if flag.slug in slugs]  # emergencies first


def first_questions() -> list[RedFlag]:
    """The emergency questions asked before anything else: those about every place."""
    return list(RedFlag.objects.filter(emergency=True, locations__isnull=True))


def questions_for(location: PainLocation | None, taxonomy: Taxonomy) -> list[RedFlag]:
    """The warning signs to ask about a place, emergencies first; with no place yet, the
    emergency questions."""
    return red_flags_for(location, taxonomy) if location else first_questions()


def check_result(answers: Answers, taxonomy: Taxonomy) -> CheckResult:
    """What to do: urgent care for any emergency answered yes, whatever else is blank;
    otherwise the place's outcome, reading only what it needs."""
    flags = answers.flags or []
    urgent = [flag for flag in flags if flag.emergency]
    if urgent:
        return CheckResult(answers, URGENT, urgent=urgent)
    result = CheckResult(answers, SEE_SOMEONE if flags else SELF_CARE, see_someone=flags)
    if answers.location is None:
        return result
    places = place_ids(answers.location, taxonomy)
    result.advice = advice_for(places, said_no(answers, taxonomy), taxonomy)
    result.remedies = remedies_for(places, answers.stage, taxonomy)
    if answers.stage and not result.remedies:
        result.remedies, result.remedies_near_stage = remedies_for(places, None, taxonomy), False
    if not flags:
        result.threads = threads_for(answers, taxonomy)
    return result


def said_no(answers: Answers, taxonomy: Taxonomy) -> set[int]:
    """The warning signs asked about the place and not answered yes."""
    yes = {flag.pk for flag in answers.flags or []}
    return {f.pk for f in red_flags_for(answers.location, taxonomy) if f.pk not in yes}


def place_ids(location: PainLocation, taxonomy: Taxonomy) -> list[int]:
    """The place, everything under it, and its parent."""
    below = taxonomy.descendant_ids(location)
    return below + ([location.parent_id] if location.parent_id else [])


def advice_for(places: list[int], said_no: set[int], taxonomy: Taxonomy) -> list[AdviceEntry]:
    """Published entries about those places, best supported by runners' replies first,
    without those about a warning sign the runner said no to ("pain when you sneeze: get
    it checked" after "no" to the sneezing question)."""
    tagged = AdviceLocation.objects.filter(painlocation_id__in=places)
    entries = advice_queryset().filter(pk__in=tagged.values("adviceentry_id"))
    kept = [e for e in entries[: MAX_ADVICE * 2] if not advice_about(e, said_no, taxonomy)]
    return kept[:MAX_ADVICE]


def remedies_for(places: list[int], stage: int | None, taxonomy: Taxonomy) -> list[RemedySupport]:
    """What runners at that week or the weeks either side said about those places."""
    evidence = Evidence.objects.public().filter(location_id__in=places)
    if stage:
        near = (stage - NEAR_WEEKS, stage + NEAR_WEEKS)
        evidence = evidence.filter(reply__thread__stage__range=near)
    return remedy_support(evidence, taxonomy)[:MAX_REMEDIES]


def threads_for(answers: Answers, taxonomy: Taxonomy) -> list[Thread]:
    """Threads about the place (and under it) from runners at the same week, newest first."""
    data = {"location": answers.location.slug}
    if answers.stage:
        data["stage"] = str(answers.stage)
    threads = ThreadFilter(data, queryset=Thread.objects.visible(), taxonomy=taxonomy).qs
    return list(threads_with_counts(threads)[:MAX_THREADS])
