"""The knowledge base: threads and replies, the taxonomy, evidence and advice.

Words follow DESIGN.md. Reads live on the querysets; every write goes through
kbapp.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone


def split_terms(text: str) -> list[str]:
    """Synonym fields hold comma-separated terms, easy to edit in the admin."""
    return [term.strip() for term in text.split(",") if term.strip()]


class TagStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"


class Stage(models.IntegerChoices):
    """The Couch to 5K week a thread is about; graduates are past week 9."""

    WEEK_1 = 1, "Week 1"
    WEEK_2 = 2, "Week 2"
    WEEK_3 = 3, "Week 3"
    WEEK_4 = 4, "Week 4"
    WEEK_5 = 5, "Week 5"
    WEEK_6 = 6, "Week 6"
    WEEK_7 = 7, "Week 7"
    WEEK_8 = 8, "Week 8"
    WEEK_9 = 9, "Week 9"
    GRADUATE = 10, "Graduate"


class PainLocationQuerySet(models.QuerySet):
    def top_level(self) -> PainLocationQuerySet:
        return self.filter(parent__isnull=True)


class PainLocation(models.Model):
    """A body region in a small tree: back → upper back → between the shoulder blades."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    synonyms = models.TextField(
        blank=True, help_text="Comma-separated lay and anatomical words for this region."
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order among siblings.")
    # Bumped on every save through the services; a stale version means a lost update.
    version = models.PositiveIntegerField(default=1)

    objects = PainLocationQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("symptom_detail", kwargs={"slug": self.slug})

    @property
    def terms(self) -> list[str]:
        return [self.name, *split_terms(self.synonyms)]

    def descendant_ids(self) -> list[int]:
        """This location and everything under it (kbapp.taxonomy walks the tree): one query."""
        from kbapp.taxonomy import Taxonomy  # it reads this module's models

        return Taxonomy().descendant_ids(self)


class Remedy(models.Model):
    """What runners did about it, in a category."""

    class Category(models.TextChoices):
        TECHNIQUE = "technique", "Technique"
        STRENGTH = "strength", "Strength"
        MOBILITY = "mobility", "Mobility"
        GEAR = "gear", "Gear"
        REST = "rest", "Rest"
        PROFESSIONAL = "professional", "Professional care"

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    synonyms = models.TextField(blank=True, help_text="Comma-separated other words for it.")
    description = models.TextField(blank=True)
    # Bumped on every save through the services; a stale version means a lost update.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "remedies"

    def __str__(self) -> str:
        return self.name

    @property
    def terms(self) -> list[str]:
        return [self.name, *split_terms(self.synonyms)]


class RedFlag(models.Model):
    """A sign that needs a professional, with the phrases that reveal it in a thread."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    advice = models.TextField(help_text='Shown under "See a professional if…".')
    phrases = models.TextField(
        help_text="Comma-separated phrases that reveal it; a trailing * matches any word "
        "ending (sneez* finds sneezed and sneezing)."
    )
    locations = models.ManyToManyField(
        PainLocation,
        blank=True,
        related_name="red_flags",
        help_text="Where it applies; none means everywhere.",
    )
    emergency = models.BooleanField(
        default=False,
        help_text="Needs urgent care today (chest pain, bladder or bowel control): shown as "
        "urgent and never folded away.",
    )
    question = models.CharField(
        max_length=200,
        blank=True,
        help_text='Asked in "Should I keep running?" as a plain yes/no question; empty: '
        "the name is asked.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Bumped on every save through the services; a stale version means a lost update.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        # Emergencies first wherever flags are listed.
        ordering = ["-emergency", "position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def phrase_list(self) -> list[str]:
        return split_terms(self.phrases)

    @property
    def ask(self) -> str:
        return self.question or f"{self.name}?"


class ThreadQuerySet(models.QuerySet):
    def visible(self) -> ThreadQuerySet:
        return self.filter(is_hidden=False)

    def for_location(self, location: PainLocation) -> ThreadQuerySet:
        return self.filter(location_tags__location__in=location.descendant_ids()).distinct()

    def with_reply_count(self) -> ThreadQuerySet:
        """Counted per thread through the thread_id index, not by grouping a join of all
        replies, so other annotations and filters on the threads stay cheap."""
        replies = (
            Reply.objects.filter(thread=OuterRef("pk"))
            .order_by()
            .values("thread")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(reply_count=Coalesce(Subquery(replies), 0))

    def red_flagged(self) -> ThreadQuerySet:
        return self.filter(red_flags__isnull=False).distinct()


class Thread(models.Model):
    """A forum question with its replies, as imported; editors tag it."""

    # The demo's threads written for it, not taken from a forum: labelled wherever they show.
    SAMPLE_COMMUNITY = "Sample threads (written for the demo)"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    body = models.TextField(blank=True)
    community = models.CharField(max_length=120, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_file = models.CharField(max_length=255, blank=True)
    # What identifies the thread across re-imports: an id or URL from the dump, else the file.
    source_key = models.CharField(max_length=600, unique=True)
    author = models.CharField(max_length=120, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    stage = models.PositiveSmallIntegerField(choices=Stage.choices, null=True, blank=True)
    stage_run = models.PositiveSmallIntegerField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    is_hidden = models.BooleanField(default=False)
    locations = models.ManyToManyField(
        PainLocation, through="ThreadLocation", related_name="threads", blank=True
    )
    remedies = models.ManyToManyField(
        Remedy, through="ThreadRemedy", related_name="threads", blank=True
    )
    red_flags = models.ManyToManyField(RedFlag, related_name="threads", blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped on every save through the services; a stale version means a lost update.
    version = models.PositiveIntegerField(default=1)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-imported_at", "-pk"]
        indexes = [models.Index(fields=["stage"]), models.Index(fields=["community"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("thread_detail", kwargs={"slug": self.slug})

    @property
    def is_sample(self) -> bool:
        return self.community == self.SAMPLE_COMMUNITY

    @property
    def stage_label(self) -> str:
        if self.stage is None:
            return ""
        label = Stage(self.stage).label
        return f"{label}, run {self.stage_run}" if self.stage_run else label


# Thread pages show their replies in pages of this many; a 99,999-reply dump stays usable.
REPLIES_PER_PAGE = 50


class Reply(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    position = models.PositiveIntegerField(help_text="Order in the thread, from 1.")
    author = models.CharField(max_length=120, blank=True)
    in_reply_to = models.CharField(max_length=120, blank=True)
    body = models.TextField()
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["thread", "position"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "position"], name="reply_unique_position")
        ]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"{self.thread.title} #{self.position}"

    def get_absolute_url(self) -> str:
        """The reply's anchor on its page of the thread: positions run 1, 2, 3… (the
        curation services keep them so), so the page follows without a query."""
        page = (self.position - 1) // REPLIES_PER_PAGE + 1
        query = f"?page={page}" if page > 1 else ""
        return f"{self.thread.get_absolute_url()}{query}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"reply-{self.pk}"


class ThreadLocation(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="location_tags")
    location = models.ForeignKey(PainLocation, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=TagStatus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "location"], name="thread_location_once")
        ]

    def __str__(self) -> str:
        return f"{self.location} ({self.get_status_display()})"


# The same shape as ThreadLocation on purpose: a link table per tag kind keeps each foreign
# key real and each uniqueness constraint its own.
class ThreadRemedy(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="remedy_tags")
    remedy = models.ForeignKey(Remedy, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=TagStatus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "remedy"], name="thread_remedy_once")
        ]
        verbose_name_plural = "thread remedies"

    def __str__(self) -> str:
        return f"{self.remedy} ({self.get_status_display()})"


class EvidenceQuerySet(models.QuerySet):
    def confirmed(self) -> EvidenceQuerySet:
        return self.filter(status=TagStatus.CONFIRMED)

    def public(self) -> EvidenceQuerySet:
        """Confirmed claims outside hidden threads. Written as "not a reply of a hidden
        thread" (few, found through a partial index) rather than a join through every
        claim's reply to its thread: at 100,000 threads the join read a reply row for each
        claim, 67 ms for 5,000 claims against 8."""
        hidden = Reply.objects.filter(thread__in=Thread.objects.filter(is_hidden=True))
        return self.confirmed().exclude(reply__in=hidden.values("pk"))

    def support_counts(self) -> dict:
        """Runners, threads and "it helped" counts, the figures shown beside a remedy."""
        return self.aggregate(
            runners=Count("reply__author", distinct=True),
            threads=Count("reply__thread", distinct=True),
            replies=Count("reply", distinct=True),
            helped=Count("reply", filter=Q(stance=Evidence.Stance.HELPED), distinct=True),
        )


class Evidence(models.Model):
    """One reply's claim about one remedy for one location."""

    class Stance(models.TextChoices):
        RECOMMENDS = "recommends", "Recommends"
        HELPED = "helped", "Tried it and it helped"
        DID_NOT_HELP = "did_not_help", "Tried it and it did not help"

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="evidence")
    remedy = models.ForeignKey(Remedy, on_delete=models.CASCADE, related_name="evidence")
    location = models.ForeignKey(PainLocation, on_delete=models.CASCADE, related_name="evidence")
    stance = models.CharField(max_length=15, choices=Stance.choices, default=Stance.RECOMMENDS)
    quote = models.TextField(blank=True, help_text="The words of the reply that say so.")
    status = models.CharField(max_length=10, choices=TagStatus.choices, default=TagStatus.SUGGESTED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped on every save through the services; a stale version means a lost update.
    version = models.PositiveIntegerField(default=1)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["reply", "remedy", "location"], name="evidence_once_per_claim"
            )
        ]
        indexes = [models.Index(fields=["status", "location", "remedy"])]

    def __str__(self) -> str:
        return f"{self.remedy} for {self.location}: {self.get_stance_display()}"


class AdviceEntryQuerySet(models.QuerySet):
    def published(self) -> AdviceEntryQuerySet:
        return self.filter(status=AdviceEntry.Status.PUBLISHED)

    def review_overdue(self) -> AdviceEntryQuerySet:
        return self.filter(review_due__lt=timezone.localdate())


class AdviceEntry(models.Model):
    """An editor's short, sourced answer."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(help_text="One or two sentences, shown in lists.")
    body = models.TextField(help_text="Markdown; rendered to sanitized HTML.")
    see_a_professional_if = models.TextField(
        help_text="Red flags for this advice, one per line.", blank=True
    )
    locations = models.ManyToManyField(PainLocation, related_name="advice_entries")
    remedies = models.ManyToManyField(Remedy, related_name="advice_entries", blank=True)
    sources = models.ManyToManyField(Reply, related_name="cited_by", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_due = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # The cited replies as they read when a publisher published the entry (kbapp.citations):
    # the public page shows this, so later edits to a reply never change published advice.
    cited_snapshot = models.JSONField(null=True, blank=True, editable=False)

    objects = AdviceEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-updated_at"]
        verbose_name_plural = "advice entries"
        indexes = [models.Index(fields=["status", "published_at"])]
        permissions = [("publish_adviceentry", "Can publish advice entries")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("advice_detail", kwargs={"slug": self.slug})

    @property
    def red_flag_lines(self) -> list[str]:
        return [line.strip() for line in self.see_a_professional_if.splitlines() if line.strip()]


class SearchQuery(models.Model):
    """How often a normalised search was run on a day, and what it last found; no user, no IP.

    One row per query and day, not per search: the log stays small under load and is
    pruned after settings.SEARCH_LOG_DAYS (manage.py prune_search_log).
    """

    query = models.CharField(max_length=200)
    day = models.DateField(default=timezone.localdate)
    count = models.PositiveIntegerField(default=1)
    results = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="kbapp_searchquery_query_day")
        ]
        indexes = [models.Index(fields=["results", "day"]), models.Index(fields=["day"])]
        verbose_name_plural = "search queries"

    def __str__(self) -> str:
        return self.query


class AdviceVote(models.Model):
    """One answer to "Was this helpful?" on an advice entry. Nothing about the runner is
    kept (no account, address or cookie value, the day only): the browser remembers its
    own votes in a signed cookie."""

    class Moderation(models.TextChoices):
        NONE = "", "No text"
        PENDING = "pending", "Waiting for an editor"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    entry = models.ForeignKey(AdviceEntry, on_delete=models.CASCADE, related_name="votes")
    helpful = models.BooleanField()
    missing = models.TextField(max_length=500, blank=True, help_text="What was missing?")
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.NONE, blank=True
    )
    created_on = models.DateField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["moderation", "entry"])]

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.entry}"


class AdviceHelpfulness(AdviceEntry):
    """Advice entries as runners rated them: the editors' list of votes per entry."""

    class Meta:
        proxy = True
        verbose_name = "advice entry by helpfulness"
        verbose_name_plural = "advice entries by helpfulness"


# The background import's bookkeeping, kept in its own module (see kbapp/jobs.py).
from kbapp.jobs import ImportJob, ImportJobFile  # noqa: E402, F401
