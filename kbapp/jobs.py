"""Imports that run in the background: the uploaded files, the job's progress and its report.

The models live here, beside models.py (which imports them), because they are the importer's
own bookkeeping, not part of the knowledge base.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    """Uploaded files waiting for, or being read by, the task worker."""

    # Choices are declared where they are used, like Remedy.Category: the shape is Django's.
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    dry_run = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # One entry per file, as FileResult fields: what the import page shows.
    report = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_status_display()}, {self.done}/{self.total})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class ImportJobFile(models.Model):
    """One uploaded file's bytes until the job has read it."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    data = models.BinaryField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="import_file_position")
        ]

    def __str__(self) -> str:
        return self.name
