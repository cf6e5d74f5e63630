"""What the editors' model admins share: refused saves become messages, small views."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html

from kbapp.admin.forms import VersionedForm
from kbapp.services import curation


def status_badge(status: str, label: str | None = None) -> str:
    """Suggested and confirmed look different everywhere: amber outline versus solid green."""
    return format_html('<span class="kb-badge kb-{}">{}</span>', status, label or status)


class CurationAdmin(admin.ModelAdmin):
    """A model admin whose writes go through kbapp.services.curation."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except curation.CurationError as refused:
            # A save refused by the service (a lost race, a disallowed step) is undone whole.
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def object_for(self, request: HttpRequest, object_id: str, *, change: bool = True):
        """The object of a custom view, or 404; 403 without the permission it needs."""
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        allowed = (
            self.has_change_permission(request, obj)
            if change
            else self.has_view_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def redirect_to_change(self, obj) -> HttpResponse:
        opts = obj._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )

    def refused(self, request: HttpRequest, error: Exception, obj) -> HttpResponse:
        self.message_user(request, str(error), messages.ERROR)
        return self.redirect_to_change(obj)


class VersionedAdmin(CurationAdmin):
    """A model with a `version`: a stale change form is refused, never saved over another's."""

    form = VersionedForm

    def save_model(self, request, obj, form, change):
        curation.save_versioned(
            obj=obj,
            expected_version=form.cleaned_data.get("version") if change else None,
            user=request.user,
        )
