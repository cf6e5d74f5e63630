"""Forms of the editors' admin: versioned change forms, action pages, evidence."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.urls import reverse
from django.utils.text import Truncator, slugify

from kbapp.models import AdviceEntry, Evidence, PainLocation, Remedy, Reply, TagStatus, Thread
from kbapp.services import curation


def reply_label(reply: Reply) -> str:
    """Author, position and first words first: replies in one thread differ there, and a
    narrow picker cuts the end of the label, so the thread title comes last."""
    excerpt = Truncator(" ".join(reply.body.split())).words(12)
    author = reply.author or "A runner"
    return f"{author}, reply #{reply.position}: “{excerpt}” in {reply.thread.title}"


class VersionedForm(forms.ModelForm):
    """Carries the version the editor started from; a stale one is refused on clean.

    The service claims the version again at save time (UPDATE ... WHERE version = n),
    which catches the race between this check and the save.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].widget = forms.HiddenInput()
            self.fields["version"].required = self.instance.pk is not None

    def clean(self):
        cleaned = super().clean()
        versioned = "version" in self.fields  # absent from inline rows: their parent claims
        if (
            versioned
            and self.instance.pk is not None
            and cleaned.get("version") != self.instance.version
        ):
            raise forms.ValidationError(
                curation.concurrent_edit_message(self.instance), code="stale"
            )
        return cleaned


class ThreadForm(VersionedForm):
    source_url = forms.URLField(max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Thread
        fields = [
            "title",
            "slug",
            "body",
            "community",
            "stage",
            "stage_run",
            "is_hidden",
            "author",
            "posted_at",
            "source_url",
            "source_file",
            "version",
        ]


class TagForm(forms.ModelForm):
    """A tag an editor adds by hand is their decision: confirmed unless they say otherwise."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["status"].initial = TagStatus.CONFIRMED


class ReplySourcesWidget(AutocompleteSelectMultiple):
    """Autocomplete for cited replies, labelled with thread title and an excerpt."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:kbapp_reply_source_autocomplete")


class AdviceEntryForm(VersionedForm):
    class Meta:
        model = AdviceEntry
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "see_a_professional_if",
            "locations",
            "remedies",
            "sources",
            "review_due",
            "version",
        ]
        help_texts = {
            "body": "Markdown: **bold**, *italic*, lists with -, links as [text](https://…). "
            "Rendered to sanitized HTML; anything else is removed.",
            "sources": "The replies this advice comes from; search by thread title or words.",
        }

    # Set by the admin when the editor asked to publish: the publishing rules apply.
    publishing = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._let_drafts_wait()
        if sources := self.fields.get("sources"):  # absent from a read-only form
            sources.queryset = Reply.objects.select_related("thread")
            sources.label_from_instance = reply_label
        if (review_due := self.fields.get("review_due")) and self.instance.pk is None:
            review_due.initial = curation.default_review_due()
            review_due.help_text = "Proposed a year ahead; the entry is listed for review then."

    def _let_drafts_wait(self) -> None:
        """Summary and body may wait for a later save; publishing checks them."""
        for name in ("summary", "body"):
            if field := self.fields.get(name):
                field.required = False
        if slug := self.fields.get("slug"):
            # Left empty, it comes from the title: the admin's script fills it only as the
            # editor types a title, never from a title proposed in the pre-filled form.
            slug.required = False
            slug.help_text = "Left empty, it is made from the title."

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title", ""))[:200]
        if not slug:
            raise forms.ValidationError("Enter a slug: the title gives none.")
        return slug

    def clean(self):
        cleaned = super().clean()
        if self.publishing or self.instance.status == AdviceEntry.Status.PUBLISHED:
            self._check_publishing_rules(cleaned)
        return cleaned

    def _check_publishing_rules(self, cleaned: dict) -> None:
        """The service's rules, shown beside their fields before anything is saved."""
        if any(name in self.errors for name in ("sources", "review_due")):
            return
        problems = curation.publishing_problems(
            reply_ids=[reply.pk for reply in cleaned.get("sources", [])],
            review_due=cleaned.get("review_due"),
            see_a_professional_if=cleaned.get("see_a_professional_if", ""),
            summary=cleaned.get("summary", ""),
            body=cleaned.get("body", ""),
        )
        for problem in problems:
            self.add_error(problem.field, problem.message)


class ReplyForm(forms.ModelForm):
    """A reply belongs to a versioned thread: editing it claims the thread's version."""

    thread_version = forms.IntegerField(widget=forms.HiddenInput())

    class Meta:
        model = Reply
        fields = ["author", "in_reply_to", "posted_at", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["thread_version"].initial = self.instance.thread.version
        else:
            self.fields["thread_version"].required = False

    def clean(self):
        cleaned = super().clean()
        thread = self.instance.thread if self.instance.pk is not None else None
        if thread is not None and cleaned.get("thread_version") != thread.version:
            raise forms.ValidationError(curation.concurrent_edit_message(thread), code="stale")
        return cleaned


class EvidenceForm(VersionedForm):
    """Evidence quotes its reply: the quote must be words the reply contains."""

    class Meta:
        model = Evidence
        fields = ["reply", "remedy", "location", "stance", "quote", "status", "version"]
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 2, "cols": 24, "class": "evidence-quote"})
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # An editor recording evidence is confirming it; only the importer suggests.
            self.fields["status"].initial = TagStatus.CONFIRMED

    def clean(self):
        cleaned = super().clean()
        reply = cleaned.get("reply") or getattr(self.instance, "reply", None)
        quote = cleaned.get("quote", "")
        if reply is not None and quote and not curation.quote_in_text(quote, reply.body):
            self.add_error("quote", "Quote words from the reply itself (select them above).")
        if cleaned.get("status") == TagStatus.CONFIRMED and not quote.strip():
            self.add_error("quote", "Confirmed evidence quotes the words of the reply that say so.")
        return cleaned


class LocationChoiceForm(forms.Form):
    location = forms.ModelChoiceField(PainLocation.objects.all(), label="Pain location")


class RemedyChoiceForm(forms.Form):
    remedy = forms.ModelChoiceField(Remedy.objects.all(), label="Remedy")


class SplitForm(forms.Form):
    at_paragraph = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect, label="Start the new reply at"
    )

    def __init__(self, *args, paragraphs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at_paragraph"].choices = [
            (n, f"paragraph {n + 1}: {Truncator(text).chars(120)}")
            for n, text in enumerate(paragraphs)
            if n > 0
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


IMPORT_HELP = (
    "One or more forum dumps: text (.txt, .text), saved pages (.html, .htm) or JSON Lines "
    "(.jsonl, .ndjson, .json)."
)


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="Dump files",
        help_text=IMPORT_HELP,
    )
    dry_run = forms.BooleanField(
        required=False, label="Dry run", help_text="Show the report without saving anything."
    )
    hidden = forms.BooleanField(
        required=False,
        label="Import hidden",
        help_text="New threads stay off the public site until an editor shows them.",
    )
