"""Import from the admin: upload dumps or JSON Lines, see the same per-file report as
the import_threads command."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.template.response import TemplateResponse

from kbapp.admin.forms import ImportForm
from kbapp.services.importing import FileResult, ImportSource, import_files


def read_upload(upload: UploadedFile) -> ImportSource | FileResult:
    """The upload's bytes, or why it is refused; the same limit as files on disk."""
    limit = settings.KB_IMPORT_MAX_BYTES
    if upload.size > limit:
        return FileResult(upload.name, error=f"larger than the import limit of {limit:,} bytes")
    return ImportSource(upload.name, upload.read())


class ImportViewMixin:
    """The thread admin's import page."""

    def import_view(self, request: HttpRequest):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
        report = refused = None
        if posted and form.is_valid():
            sources, refused = [], []
            for upload in form.cleaned_data["files"]:
                read = read_upload(upload)
                (sources if isinstance(read, ImportSource) else refused).append(read)
            report = import_files(sources, dry_run=form.cleaned_data["dry_run"])
            report.files += refused
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
