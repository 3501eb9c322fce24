"""Writes started from the reports screens: the roster import (its jobs) and the audit trail of exports."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import get_language
from wagtail.log_actions import log

from core import uploads
from people.models import User

from . import tasks
from .models import ImportJob
from .roster import ROSTER_UPLOAD, ImportOutcome, import_jobs_forget, roster_import

__all__ = ["ImportOutcome", "export_logged", "import_job_confirm_request", "import_job_start", "roster_import"]

logger = logging.getLogger(__name__)
RECENT_JOBS = 10


def import_job_start(*, owner: User, filename: str, content: bytes) -> ImportJob:
    """Keep the file privately for her (core.uploads) and queue its preview; the job's page shows it.

    Jobs a day old forget their rows first (they name people; reports.roster.import_jobs_forget).
    """
    import_jobs_forget()
    upload = uploads.upload_keep(owner=owner, purpose=ROSTER_UPLOAD, name=filename, content=content)
    job = ImportJob.objects.create(owner=owner, upload=upload, filename=filename[:255], language=get_language() or "es")
    result = tasks.preview_roster_import.enqueue(str(job.pk))
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def import_job_confirm_request(*, job: ImportJob, user: User) -> bool:
    """Her "Confirm": the job moves from previewed to confirming once, and only then is the import queued.

    A second confirmation (double tap, resent form, another tab) finds it no longer previewed and
    queues nothing; False tells the view to just show the job as it is.
    """
    moved = ImportJob.objects.filter(pk=job.pk, owner=user, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.CONFIRMING, confirmed_at=timezone.now(), updated_at=timezone.now()
    )
    if not moved:
        return False
    result = tasks.confirm_roster_import.enqueue(str(job.pk))
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    return True


def export_logged(*, user: User, kind: str, file_format: str, filters: dict, rows: int) -> None:
    """Who took which personal data out of the system, on the exporting account's history."""
    log(user, "reports.export", user=user, data={"kind": kind, "format": file_format, "filters": filters, "rows": rows})
