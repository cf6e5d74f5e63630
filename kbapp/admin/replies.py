"""Replies: evidence recorded against the reply's words, merge and split, advice from replies."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import Truncator

from kbapp.admin.base import CurationAdmin, status_badge
from kbapp.admin.forms import EvidenceForm, ReplyForm, SplitForm, reply_label
from kbapp.admin.threads import advice_add_url
from kbapp.models import Evidence, Reply, TagStatus
from kbapp.services import curation


class EvidenceInline(admin.TabularInline):
    """Suggested rows carry an amber badge and tint; confirmed ones are plain."""

    model = Evidence
    form = EvidenceForm
    extra = 1
    fields = ["state", "remedy", "location", "stance", "quote", "status"]
    readonly_fields = ["state"]
    autocomplete_fields = ["remedy", "location"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("remedy", "location")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """No edit, add or view icons beside the remedy and place: they crowd the stance out,
        and the taxonomy is edited on its own pages."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            field.widget.can_add_related = field.widget.can_change_related = False
            field.widget.can_view_related = False
        return field

    @admin.display(description="")
    def state(self, evidence: Evidence) -> str:
        if evidence.pk is None:
            return ""
        return status_badge(evidence.status, evidence.get_status_display())


class ReplySourceAutocomplete(AutocompleteJsonView):
    """Cited replies are found by thread title or words, and shown with an excerpt."""

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": reply_label(obj)}


@admin.register(Reply)
class ReplyAdmin(CurationAdmin):
    form = ReplyForm
    change_form_template = "admin/kbapp/reply/change_form.html"
    list_display = ["thread_title", "position", "author", "excerpt", "evidence_state"]
    list_display_links = ["excerpt"]
    list_filter = ["evidence__status", "thread__community"]
    search_fields = ["body", "author", "thread__title"]
    list_select_related = ["thread"]
    list_per_page = 50
    fields = ["thread", "position", "author", "in_reply_to", "posted_at", "body", "thread_version"]
    readonly_fields = ["thread", "position"]
    inlines = [EvidenceInline]
    actions = ["create_advice"]

    def has_add_permission(self, request):
        # Replies arrive by import or by splitting; a bare new reply has no place.
        return False

    # Not ReplyInline's: this list spans threads and shows only evidence states; the
    # inline names each claim's remedy and location.
    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("thread")
            .prefetch_related("evidence")
            .order_by("thread__title", "thread_id", "position")
        )

    @admin.display(description="thread", ordering="thread__title")
    def thread_title(self, reply: Reply) -> str:
        return reply.thread.title

    @admin.display(description="reply")
    def excerpt(self, reply: Reply) -> str:
        return Truncator(" ".join(reply.body.split())).chars(100)

    @admin.display(description="evidence")
    def evidence_state(self, reply: Reply) -> str:
        statuses = [e.status for e in reply.evidence.all()]
        if not statuses:
            return "–"
        state = TagStatus.SUGGESTED if TagStatus.SUGGESTED in statuses else TagStatus.CONFIRMED
        return status_badge(state, f"{len(statuses)} {state}")

    def save_model(self, request, obj, form, change):
        curation.save_reply(
            reply=obj,
            expected_thread_version=form.cleaned_data["thread_version"],
            user=request.user,
        )

    def save_formset(self, request, form, formset, change):
        curation.save_reply_evidence(
            evidence=formset.save(commit=False), deleted=formset.deleted_objects, user=request.user
        )

    @admin.action(description="Create advice entry from these", permissions=["view"])
    def create_advice(self, request, queryset):
        if not request.user.has_perm("kbapp.add_adviceentry"):
            raise PermissionDenied
        return HttpResponseRedirect(
            advice_add_url(reply_ids=list(queryset.values_list("pk", flat=True)))
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "sources/autocomplete/",
                view(ReplySourceAutocomplete.as_view(admin_site=self.admin_site)),
                name="kbapp_reply_source_autocomplete",
            ),
            path("<path:object_id>/merge/", view(self.merge_view), name="kbapp_reply_merge"),
            path("<path:object_id>/split/", view(self.split_view), name="kbapp_reply_split"),
            *super().get_urls(),
        ]

    def merge_view(self, request: HttpRequest, object_id: str):
        reply = self.object_for(request, object_id)
        if not self.has_delete_permission(request, reply):
            raise PermissionDenied
        previous = reply.thread.replies.filter(position__lt=reply.position).last()
        if request.method == "POST":
            try:
                merged = curation.merge_into_previous(reply_id=reply.pk, user=request.user)
            except curation.CurationError as error:
                return self.refused(request, error, reply)
            self.message_user(request, f"Merged into reply #{merged.position}.", messages.SUCCESS)
            return self.redirect_to_change(merged)
        context = self._context(request, reply, "Merge into the previous reply")
        return TemplateResponse(
            request, "admin/kbapp/reply/merge.html", {**context, "previous": previous}
        )

    def split_view(self, request: HttpRequest, object_id: str):
        reply = self.object_for(request, object_id)
        parts = curation.paragraphs(reply.body)
        posted = request.method == "POST"
        form = SplitForm(request.POST if posted else None, paragraphs=parts)
        if posted and form.is_valid():
            try:
                part = curation.split_reply(
                    reply_id=reply.pk,
                    at_paragraph=form.cleaned_data["at_paragraph"],
                    user=request.user,
                )
            except curation.CurationError as error:
                return self.refused(request, error, reply)
            self.message_user(request, f"Split into #{reply.position} and #{part.position}.")
            return self.redirect_to_change(reply.thread)
        context = self._context(request, reply, "Split the reply at a paragraph")
        return TemplateResponse(
            request,
            "admin/kbapp/reply/split.html",
            {**context, "form": form, "paragraphs": parts},
            status=400 if form.errors else 200,
        )

    def _context(self, request, reply: Reply, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": reply,
            "title": title,
        }
