"""Imports too large for a web request: queued with their files, run by the task worker.

The admin queues a job (one transaction: the job, its files and the task); `manage.py
db_worker` runs it file by file, saving progress and each file's result as it goes, so the
import page can show both while it runs.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from kbapp.jobs import ImportJob, ImportJobFile
from kbapp.services.importing import FileResult, ImportReport, ImportSource, import_source
from kbapp.taxonomy import Taxonomy

logger = logging.getLogger(__name__)


def queue_import(
    *, sources: Iterable[ImportSource | FileResult], dry_run: bool, hidden: bool, user
) -> ImportJob:
    """Store the files and queue their import; files already refused go straight to the report."""
    sources = list(sources)
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=user if user and user.is_authenticated else None,
            dry_run=dry_run,
            hidden=hidden,
            total=len(sources),
        )
        ImportJobFile.objects.bulk_create(
            ImportJobFile(job=job, position=i, name=s.name[:255], data=s.data)
            for i, s in enumerate(sources)
            if isinstance(s, ImportSource)
        )
        refused = [dataclasses.asdict(s) for s in sources if isinstance(s, FileResult)]
        if refused:
            ImportJob.objects.filter(pk=job.pk).update(report=refused, done=len(refused))
        run_import_job.enqueue(job.pk)
    return job


def job_report(job: ImportJob) -> ImportReport:
    return ImportReport([FileResult(**entry) for entry in job.report])


def record(job: ImportJob, result: FileResult) -> None:
    """One more file done: its result is saved at once, so the page shows it."""
    job.report.append(dataclasses.asdict(result))
    ImportJob.objects.filter(pk=job.pk).update(report=job.report, done=F("done") + 1)


def run_job(*, job_id: int) -> None:
    """Import a queued job's files one by one (each in its own transaction)."""
    job = ImportJob.objects.get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    taxonomy = Taxonomy()
    status = ImportJob.Status.DONE
    try:
        for file_id in job.files.values_list("pk", flat=True):
            stored = ImportJobFile.objects.get(pk=file_id)
            source = ImportSource(stored.name, bytes(stored.data))
            result = import_source(
                source, taxonomy=taxonomy, dry_run=job.dry_run, hidden=job.hidden
            )
            record(job, result)
            stored.delete()  # the bytes are in the database now, or refused
    except Exception:
        logger.exception("import job %s stopped", job.pk)
        status = ImportJob.Status.FAILED
    ImportJob.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now())


@task()
def run_import_job(job_id: int) -> None:
    run_job(job_id=job_id)
