"""Import from the admin: upload dumps or JSON Lines, see the same per-file report as
the import_threads command."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse

from kbapp.admin.forms import ImportForm
from kbapp.services.importing import import_files, read_upload


class ImportViewMixin:
    """The thread admin's import page."""

    def import_view(self, request: HttpRequest):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
        report = None
        if posted and form.is_valid():
            data = form.cleaned_data
            sources = (read_upload(upload.name, upload) for upload in data["files"])
            report = import_files(sources, dry_run=data["dry_run"], hidden=data["hidden"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import threads",
            "form": form,
            "report": report,
            "dry_run": form.is_bound and form.is_valid() and form.cleaned_data["dry_run"],
        }
        status = 400 if form.errors or (report and report.failed) else 200
        return TemplateResponse(request, "admin/kbapp/thread/import.html", context, status=status)
