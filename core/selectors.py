"""Reads of core: the spreadsheet imports (core.models.ImportJob) a user started, for their pages."""

from __future__ import annotations

from django_tasks import TaskResultStatus

from .imports import parse_job_id
from .models import ImportJob


def import_jobs_recent(*, owner, kind: str, limit: int = 10, params: dict | None = None) -> list[ImportJob]:
    """Her latest imports of this kind (for one cohort or quiz when ``params`` says so), newest first:
    the import page lists them, so she may close a page and come back."""
    jobs = ImportJob.objects.filter(owner_id=owner.pk, kind=kind)
    for key, value in (params or {}).items():
        jobs = jobs.filter(**{f"params__{key}": value})
    return list(jobs.defer("preview", "result").order_by("-created_at")[:limit])


def import_job_for(*, owner, job_id, kind: str) -> ImportJob | None:
    """The job with this id if it is hers and of this kind; None for anyone else's, a malformed id or a guest."""
    if owner is None or not owner.is_authenticated:
        return None
    key = parse_job_id(job_id)
    if key is None:
        return None
    return ImportJob.objects.filter(pk=key, owner_id=owner.pk, kind=kind).first()


def import_job_task_failed(job: ImportJob) -> bool:
    """Whether the task working on this job stopped with an error (the worker logged it): the job's page then
    stops waiting and says so. The confirmation's transaction rolled back with it, so nothing was saved."""
    from . import tasks

    if not job.working or not job.task_id:
        return False
    task = tasks.preview_import if job.status == ImportJob.Status.PREVIEWING else tasks.confirm_import
    try:
        return task.get_result(job.task_id).status == TaskResultStatus.FAILED
    except Exception:  # a backend that keeps no results, or a result already pruned: keep waiting
        return False
