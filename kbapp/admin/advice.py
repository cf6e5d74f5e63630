"""Advice entries: sourced writing, Draft → In review → Published, preview, history, revert."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST
from reversion.models import Version

from kbapp.admin.base import CurationAdmin, status_badge
from kbapp.admin.dashboard import changed_sources
from kbapp.admin.forms import AdviceEntryForm, ReplySourcesWidget
from kbapp.models import AdviceEntry
from kbapp.paging import ascii_digits
from kbapp.selectors import advice_support
from kbapp.services import curation
from kbapp.views.public.advice import DETAIL_TEMPLATE, detail_context

Status = AdviceEntry.Status
# Submit buttons of the change form that move the entry along after saving it.
WORKFLOW_BUTTONS = {
    "_submit_review": Status.IN_REVIEW,
    "_publish": Status.PUBLISHED,
    "_to_draft": Status.DRAFT,
}


def without_prefill(response: HttpResponse) -> HttpResponse:
    """The add form's ?sources=…&title=… pre-fill has done its job once the entry is saved:
    the admin's own parameters (_changelist_filters, _popup) are all that may follow it."""
    location = response.get("Location", "") if response.status_code == 302 else ""
    if "?" not in location:
        return response
    path, _, query = location.partition("?")
    kept = [(key, value) for key, value in parse_qsl(query) if key.startswith("_")]
    response["Location"] = f"{path}?{urlencode(kept)}" if kept else path
    return response


# The shape of every SimpleListFilter (RedFlagFilter too): Django asks for these three parts.
class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Past its review date"), ("none", "No review date")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "none":
            return queryset.filter(review_due__isnull=True)
        return queryset


@admin.register(AdviceEntry)
class AdviceEntryAdmin(CurationAdmin):
    form = AdviceEntryForm
    change_form_template = "admin/kbapp/adviceentry/change_form.html"
    object_history_template = "admin/kbapp/adviceentry/object_history.html"
    list_display = ["title", "state", "review_due", "updated_at"]
    list_filter = ["status", ReviewDueFilter, "locations", "remedies"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["locations", "remedies", "sources"]
    readonly_fields = ["state", "published_at"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "state", "published_at", "version"]}),
        ("Advice", {"fields": ["summary", "body", "see_a_professional_if"]}),
        ("About", {"fields": ["locations", "remedies", "sources", "review_due"]}),
    ]

    @admin.display(description="status", ordering="status")
    def state(self, entry: AdviceEntry) -> str:
        if entry.pk is None:
            return status_badge(Status.DRAFT, Status.DRAFT.label)
        return status_badge(entry.status, entry.get_status_display())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.publishing = self._workflow_target(request) == Status.PUBLISHED
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sources":
            kwargs["widget"] = ReplySourcesWidget(db_field, self.admin_site)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Only publishers touch what is live ------------------------------------------------

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)

    def _may_touch(self, request, obj) -> bool:
        return obj is None or obj.status != Status.PUBLISHED or curation.can_publish(request.user)

    # Saving through the service -------------------------------------------------------

    def save_model(self, request, obj, form, change):
        """The entry is saved with its relations in save_related, in one service call."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        changed = ", ".join(form.changed_data) or "nothing"
        entry = curation.save_advice(
            entry=form.instance,
            user=request.user,
            locations=data["locations"],
            remedies=data["remedies"],
            sources=data["sources"],
            expected_version=data.get("version") if change else None,
            comment=f"Changed {changed}." if change else "Created.",
        )
        target = self._workflow_target(request)
        if target is not None:
            curation.set_status(entry_id=entry.pk, status=target, user=request.user)
            entry.refresh_from_db()

    def _warn_of_changed_sources(self, request, entry: AdviceEntry) -> None:
        changes = changed_sources([entry]).get(entry.pk)
        if changes:
            self.message_user(
                request,
                f"Since publishing, {'; '.join(changes)}. The public page still shows the "
                "text as published: check it, then save to publish the sources as they are "
                "now, or unpublish the entry.",
                messages.WARNING,
            )

    def _workflow_target(self, request) -> str | None:
        return next((s for key, s in WORKFLOW_BUTTONS.items() if key in request.POST), None)

    def response_change(self, request, obj):
        return self._workflow_response(request, obj) or super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        response = self._workflow_response(request, obj) or super().response_add(request, obj)
        return without_prefill(response)

    def _workflow_response(self, request, obj):
        if self._workflow_target(request) is None:
            return None
        self.message_user(
            request, f"“{obj}” is now {obj.get_status_display().lower()}.", messages.SUCCESS
        )
        return self.redirect_to_change(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish"] = curation.can_publish(request.user)
        if obj is not None and request.method == "GET":
            self._warn_of_changed_sources(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Preview, history and revert ------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="kbapp_adviceentry_preview",
            ),
            path(
                "<path:object_id>/revert/<int:version_id>/",
                view(require_POST(self.revert_view)),
                name="kbapp_adviceentry_revert",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, object_id: str):
        """The public advice page itself, whatever the entry's status, under a staff banner."""
        entry = self.object_for(request, object_id, change=False)
        entry = AdviceEntry.objects.annotate(support=advice_support()).get(pk=entry.pk)
        context = {
            **detail_context(entry),
            "is_preview": True,
            "change_url": self.redirect_to_change(entry).url,
        }
        return TemplateResponse(request, DETAIL_TEMPLATE, context)

    def history_view(self, request, object_id, extra_context=None):
        entry = self.object_for(request, object_id, change=False)
        versions = (
            Version.objects.get_for_object(entry)
            .select_related("revision__user")
            .order_by("-revision__date_created", "-pk")
        )
        extra = {
            "versions": versions,
            "can_revert": self.has_change_permission(request, entry),
            "entry": entry,
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra)

    def revert_view(self, request: HttpRequest, object_id: str, version_id: int):
        entry = self.object_for(request, object_id)
        get_object_or_404(Version.objects.get_for_object(entry), pk=version_id)
        expected = request.POST.get("version", "")
        if not ascii_digits(expected):
            return HttpResponseBadRequest("The form did not say which version you started from.")
        try:
            curation.revert_advice(
                entry_id=entry.pk,
                version_id=version_id,
                user=request.user,
                expected_version=int(expected),
            )
        except curation.CurationError as error:
            return self.refused(request, error, entry)
        except Version.DoesNotExist as missing:
            raise Http404 from missing
        when = timezone.localtime().strftime("%H:%M")
        self.message_user(request, f"Reverted “{entry}” at {when}.", messages.SUCCESS)
        return self.redirect_to_change(entry)

    def delete_model(self, request, obj):
        if not self._may_touch(request, obj):
            raise PermissionDenied
        super().delete_model(request, obj)
