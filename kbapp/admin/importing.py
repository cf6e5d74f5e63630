"""Import from the admin: upload dumps, pages or JSON Lines, see the same per-file report as
the import_threads command. Uploads too large for one web request become a background job
whose page shows its progress, then the report."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from kbapp.admin.forms import ImportForm
from kbapp.jobs import ImportJob
from kbapp.services.import_jobs import job_report, queue_import
from kbapp.services.importing import ImportSource, import_files, read_upload

TEMPLATE = "admin/kbapp/thread/import.html"
JOB_TEMPLATE = "admin/kbapp/thread/import_job.html"


def upload_size(sources: list) -> int:
    return sum(len(s.data) for s in sources if isinstance(s, ImportSource))


class ImportViewMixin:
    """The thread admin's import page and its background jobs' pages."""

    def import_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="kbapp_thread_import"),
            path(
                "import/<int:job_id>/", view(self.import_job_view), name="kbapp_thread_import_job"
            ),
        ]

    def import_context(self, request: HttpRequest, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import threads",
            **extra,
        }

    def import_view(self, request: HttpRequest):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
        report = None
        if posted and form.is_valid():
            data = form.cleaned_data
            sources = [read_upload(upload.name, upload) for upload in data["files"]]
            options = {"dry_run": data["dry_run"], "hidden": data["hidden"]}
            if upload_size(sources) > settings.KB_IMPORT_INLINE_MAX_BYTES:
                job = queue_import(sources=sources, user=request.user, **options)
                url = reverse("admin:kbapp_thread_import_job", args=[job.pk])
                return HttpResponseRedirect(url)
            report = import_files(sources, **options)
        dry_run = form.is_bound and form.is_valid() and form.cleaned_data["dry_run"]
        context = self.import_context(request, form=form, report=report, dry_run=dry_run)
        status = 400 if form.errors or (report and report.failed) else 200
        return TemplateResponse(request, TEMPLATE, context, status=status)

    def import_job_view(self, request: HttpRequest, job_id: int):
        """A background import: progress while it runs (the page refreshes), then the report."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        context = self.import_context(
            request, job=job, report=job_report(job), dry_run=job.dry_run, form=ImportForm()
        )
        return TemplateResponse(request, JOB_TEMPLATE, context)
