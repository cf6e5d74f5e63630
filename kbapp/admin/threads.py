"""Threads: the editors' main list, tags inline, bulk tagging, one-click confirmation."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    QuerySet,
)
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from kbapp.admin.base import CurationAdmin, status_badge
from kbapp.admin.forms import LocationChoiceForm, RemedyChoiceForm, TagForm, ThreadForm
from kbapp.admin.importing import ImportViewMixin
from kbapp.models import Evidence, Reply, TagStatus, Thread, ThreadLocation, ThreadRemedy
from kbapp.paging import ascii_digits
from kbapp.selectors import advice_prefill
from kbapp.services import curation

UNTAGGED, SUGGESTED, CONFIRMED = "untagged", "suggested", "confirmed"
RED_FLAG_MARK = mark_safe('<span class="kb-flag" title="Mentions a red flag">⚑</span>')


def _tagged(model, **filters) -> Exists:
    return Exists(model.objects.filter(thread=OuterRef("pk"), **filters))


def annotate_tag_state(queryset: QuerySet) -> QuerySet:
    """Reply count, tag state and red flag per row, as subqueries: one query per page."""

    def either(**filters) -> ExpressionWrapper:
        tagged = _tagged(ThreadLocation, **filters) | _tagged(ThreadRemedy, **filters)
        return ExpressionWrapper(tagged, output_field=BooleanField())

    return queryset.with_reply_count().annotate(
        has_tags=either(),
        has_suggested=either(status=SUGGESTED),
        has_red_flag=Exists(Thread.red_flags.through.objects.filter(thread=OuterRef("pk"))),
    )


class TagStateFilter(admin.SimpleListFilter):
    title = "tag state"
    parameter_name = "tags"

    def lookups(self, request, model_admin):
        return [(UNTAGGED, "Untagged"), (SUGGESTED, "Has suggestions"), (CONFIRMED, "Confirmed")]

    def queryset(self, request, queryset):
        if self.value() == UNTAGGED:
            return queryset.filter(has_tags=False)
        if self.value() == SUGGESTED:
            return queryset.filter(has_suggested=True)
        if self.value() == CONFIRMED:
            return queryset.filter(has_tags=True, has_suggested=False)
        return queryset


class RedFlagFilter(admin.SimpleListFilter):
    title = "red flag"
    parameter_name = "red_flag"

    def lookups(self, request, model_admin):
        return [("yes", "Mentions a red flag"), ("no", "No red flag")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(has_red_flag=self.value() == "yes")
        return queryset


# One inline per tag kind, as there is one link table per kind (see ThreadRemedy).
class ThreadLocationInline(admin.TabularInline):
    model = ThreadLocation
    form = TagForm
    extra = 0
    autocomplete_fields = ["location"]
    verbose_name, verbose_name_plural = "pain location", "pain locations"


class ThreadRemedyInline(admin.TabularInline):
    model = ThreadRemedy
    form = TagForm
    extra = 0
    autocomplete_fields = ["remedy"]
    verbose_name, verbose_name_plural = "remedy", "remedies"


class ReplyInline(admin.TabularInline):
    """Replies in order; structure is repaired with merge and split, not here."""

    model = Reply
    extra = 0
    can_delete = False
    fields = ["position", "author", "body", "evidence_summary"]
    readonly_fields = ["position", "author", "evidence_summary"]
    ordering = ["position"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("thread")
            .prefetch_related("evidence__remedy", "evidence__location")
        )

    @admin.display(description="evidence")
    def evidence_summary(self, reply: Reply) -> str:
        badges = format_html_join(
            " ",
            "{}",
            (
                (status_badge(e.status, f"{e.remedy} · {e.location} · {e.get_stance_display()}"),)
                for e in reply.evidence.all()
            ),
        )
        url = reverse("admin:kbapp_reply_change", args=[reply.pk])
        return format_html('{} <a class="kb-record" href="{}">Record evidence…</a>', badges, url)


@admin.register(Thread)
class ThreadAdmin(ImportViewMixin, CurationAdmin):
    form = ThreadForm
    change_form_template = "admin/kbapp/thread/change_form.html"
    list_display = [
        "title",
        "community",
        "stage_display",
        "reply_count",
        "tag_state",
        "red_flag",
        "is_hidden",
    ]
    list_filter = [
        TagStateFilter,
        RedFlagFilter,
        "locations",
        "remedies",
        "community",
        "stage",
        "is_hidden",
    ]
    search_fields = ["title", "body"]
    list_per_page = 50
    readonly_fields = ["red_flag_names", "source_key", "content_hash", "imported_at"]
    inlines = [ThreadLocationInline, ThreadRemedyInline, ReplyInline]
    actions = ["add_location", "add_remedy", "confirm_suggested", "hide", "show"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "body",
                    "community",
                    ("stage", "stage_run"),
                    "red_flag_names",
                    "is_hidden",
                    "version",
                ]
            },
        ),
        (
            "Source",
            {
                "classes": ["collapse"],
                "fields": [
                    "author",
                    "posted_at",
                    "source_url",
                    "source_file",
                    "source_key",
                    "content_hash",
                    "imported_at",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return annotate_tag_state(super().get_queryset(request))

    @admin.display(description="stage", ordering="stage")
    def stage_display(self, thread: Thread) -> str:
        return thread.stage_label or "–"

    @admin.display(description="replies", ordering="reply_count")
    def reply_count(self, thread: Thread) -> int:
        return thread.reply_count

    @admin.display(description="tags")
    def tag_state(self, thread: Thread) -> str:
        if thread.has_suggested:
            return status_badge(SUGGESTED, "suggested")
        return status_badge(CONFIRMED, "confirmed") if thread.has_tags else status_badge(UNTAGGED)

    @admin.display(description="red flag", ordering="has_red_flag")
    def red_flag(self, thread: Thread) -> str:
        return RED_FLAG_MARK if thread.has_red_flag else ""

    @admin.display(description="red flags mentioned")
    def red_flag_names(self, thread: Thread) -> str:
        names = [flag.name for flag in thread.red_flags.all()]
        return ", ".join(names) or "None found"

    def save_model(self, request, obj, form, change):
        if change:
            curation.save_thread(
                thread=obj, expected_version=form.cleaned_data["version"], user=request.user
            )
        else:
            curation.save_versioned(obj=obj, expected_version=None, user=request.user)

    def save_formset(self, request, form, formset, change):
        curation.save_thread_rows(
            rows=formset.save(commit=False), deleted=formset.deleted_objects, user=request.user
        )

    # Bulk actions --------------------------------------------------------------------

    @admin.action(description="Add pain location…", permissions=["change"])
    def add_location(self, request, queryset):
        return self._tag_action(request, queryset, LocationChoiceForm, "add_location")

    @admin.action(description="Add remedy…", permissions=["change"])
    def add_remedy(self, request, queryset):
        return self._tag_action(request, queryset, RemedyChoiceForm, "add_remedy")

    def _tag_action(self, request, queryset, form_class, action: str):
        """An intermediate page to choose the tag, posted back to the same action."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            chosen = {f"{name}_ids": [value.pk] for name, value in form.cleaned_data.items()}
            count = curation.add_tags(
                thread_ids=list(queryset.values_list("pk", flat=True)),
                user=request.user,
                **chosen,
            )
            tag = next(iter(form.cleaned_data.values()))
            self.message_user(request, f"Tagged {count} thread(s) with “{tag}”.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": form.fields[next(iter(form.fields))].label,
            "form": form,
            "action": action,
            "threads": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/kbapp/thread/tag_action.html", context)

    @admin.action(description="Confirm suggested tags and evidence", permissions=["change"])
    def confirm_suggested(self, request, queryset):
        done = curation.confirm_suggestions(
            thread_ids=list(queryset.values_list("pk", flat=True)), user=request.user
        )
        self.message_user(request, f"{done}.", messages.SUCCESS)

    @admin.action(description="Hide from the public site", permissions=["change"])
    def hide(self, request, queryset):
        count = curation.set_hidden(
            thread_ids=list(queryset.values_list("pk", flat=True)), hidden=True, user=request.user
        )
        self.message_user(request, f"Hid {count} thread(s).", messages.SUCCESS)

    @admin.action(description="Show on the public site", permissions=["change"])
    def show(self, request, queryset):
        count = curation.set_hidden(
            thread_ids=list(queryset.values_list("pk", flat=True)), hidden=False, user=request.user
        )
        self.message_user(request, f"Showed {count} thread(s).", messages.SUCCESS)

    # Buttons on the thread page -------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            *self.import_urls(),
            path(
                "<path:object_id>/confirm/",
                view(require_POST(self.confirm_view)),
                name="kbapp_thread_confirm",
            ),
            path(
                "<path:object_id>/advice/",
                view(self.advice_from_thread_view),
                name="kbapp_thread_advice",
            ),
            *super().get_urls(),
        ]

    def confirm_view(self, request: HttpRequest, object_id: str):
        thread = self.object_for(request, object_id)
        done = curation.confirm_suggestions(
            thread_ids=[thread.pk], user=request.user, picked=picked_rows(request)
        )
        self.message_user(request, f"{done}.", messages.SUCCESS)
        return self.redirect_to_change(thread)

    def advice_from_thread_view(self, request: HttpRequest, object_id: str):
        """The advice add form, citing only the replies with confirmed evidence."""
        thread = self.object_for(request, object_id, change=False)
        cited = thread.replies.filter(evidence__status=TagStatus.CONFIRMED).distinct()
        reply_ids = list(cited.values_list("pk", flat=True))
        return HttpResponseRedirect(advice_add_url(reply_ids=reply_ids, thread_ids=[thread.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pending = suggestions_on(object_id)
        extra = {
            "pending": pending,
            "suggestions": sum(map(len, pending.values())),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)


def suggestions_on(thread_id) -> dict[str, list]:
    """What "Confirm suggested" would confirm, row by row, so the editor can untick some."""
    if not ascii_digits(str(thread_id)):
        return {"locations": [], "remedies": [], "evidence": []}
    suggested = {"thread_id": thread_id, "status": TagStatus.SUGGESTED}
    evidence = Evidence.objects.filter(
        reply__thread_id=thread_id, status=TagStatus.SUGGESTED
    ).select_related("reply", "remedy", "location")
    return {
        "locations": list(ThreadLocation.objects.filter(**suggested).select_related("location")),
        "remedies": list(ThreadRemedy.objects.filter(**suggested).select_related("remedy")),
        "evidence": list(evidence.order_by("reply__position", "pk")),
    }


def picked_rows(request: HttpRequest) -> curation.Picked:
    """The rows left ticked on the review list; a plain button press (no list) means all."""
    if "reviewed" not in request.POST:
        return curation.Picked()
    ids = {
        name: [int(v) for v in request.POST.getlist(name) if ascii_digits(v) and len(v) < 10]
        for name in ("locations", "remedies", "evidence")
    }
    return curation.Picked(**ids)


def advice_add_url(*, reply_ids: list[int], thread_ids: list[int] = ()) -> str:
    """The advice add form, pre-filled the way the admin reads initial values from GET."""
    prefill = advice_prefill(reply_ids=reply_ids, thread_ids=thread_ids)
    initial = {
        key: value if isinstance(value, str) else ",".join(map(str, value))
        for key, value in prefill.items()
    }
    query = urlencode({key: value for key, value in initial.items() if value})
    return f"{reverse('admin:kbapp_adviceentry_add')}?{query}"
