"""Every spreadsheet import as a background job: kept file(s) → preview task → her "Confirm" → confirmation task.

The machinery is the same for every import (the roster, a cohort's attendance, a quiz's questions), so it
lives here once; each app says only how to preview and how to confirm its kind of sheet, with
``register(kind, preview=..., confirm=...)`` from its ``AppConfig.ready`` (core imports no app above it).

- ``import_job_start`` keeps the file(s) privately for her (core.uploads) and queues the preview;
- ``import_job_preview`` (the task's work) runs the kind's preview on the kept files and stores its outcome;
- ``import_job_confirm_request`` moves the job previewed → confirming in one conditional UPDATE and only
  then queues the confirmation, so a double tap or a resent form imports once;
- ``import_job_confirm`` (the task's work) runs the kind's confirmation and writes ``done`` in one
  transaction: all or nothing, and a task run twice imports once.

A kind's ``preview(job, files)`` and ``confirm(job, files)`` get the job and its files as
``{label: (file name, bytes)}`` and return the outcome as a JSON-able dict with at least ``ok``; the
job's page reads it back. When it is not ok the confirmation's writes are rolled back here.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import uploads
from .models import ImportJob, PendingUpload

logger = logging.getLogger(__name__)

FORGET_AFTER = datetime.timedelta(days=1)  # a job's rows (names) are kept this long; its counts stay
KEPT_WHEN_FORGOTTEN = ("ok", "dry_run", "totals", "merged", "created", "updated")

Files = dict[str, tuple[str, bytes]]
Work = Callable[[ImportJob, Files], dict]


@dataclass(frozen=True)
class Kind:
    preview: Work
    confirm: Work


KINDS: dict[str, Kind] = {}


def register(kind: str, *, preview: Work, confirm: Work) -> None:
    """Say how this kind of sheet is previewed and confirmed (from the app's ``AppConfig.ready``)."""
    KINDS[kind] = Kind(preview=preview, confirm=confirm)


def upload_purpose(kind: str) -> str:
    """The purpose of a file kept for a job of this kind (core.uploads)."""
    return f"import:{kind}"


def import_job_start(*, owner, kind: str, files: dict[str, tuple[str, bytes]], params: dict | None = None) -> ImportJob:
    """Keep the file(s) privately for her and queue the preview; the job's page shows it.

    ``files`` is ``{label: (file name, content)}``: one file for most imports, two for a quiz's
    questions and options. Jobs a day old forget their rows first (they may name people).
    """
    from . import tasks  # the task module imports this one

    if kind not in KINDS:
        raise LookupError(f"No import registered for {kind!r}")
    import_jobs_forget()
    kept = {
        label: uploads.upload_keep(owner=owner, purpose=upload_purpose(kind), name=name, content=content)
        for label, (name, content) in files.items()
    }
    first = next(iter(kept.values()), None)
    job = ImportJob.objects.create(
        owner=owner,
        kind=kind,
        params={**(params or {}), "uploads": {label: str(upload.pk) for label, upload in kept.items()}},
        upload=first,
        filename=", ".join(name for name, _content in files.values())[:255],
        language=get_language() or "es",
    )
    result = tasks.preview_import.enqueue(str(job.pk))
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def import_job_confirm_request(*, job: ImportJob, user) -> bool:
    """Her "Confirm": the job moves from previewed to confirming once, and only then is the import queued.

    A second confirmation (double tap, resent form, another tab) finds it no longer previewed and
    queues nothing; False tells the view to just show the job as it is.
    """
    from . import tasks

    moved = ImportJob.objects.filter(pk=job.pk, owner=user, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.CONFIRMING, confirmed_at=timezone.now(), updated_at=timezone.now()
    )
    if not moved:
        return False
    result = tasks.confirm_import.enqueue(str(job.pk))
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    return True


def _uploads_of(job: ImportJob) -> dict[str, PendingUpload | None]:
    """The job's kept files by label (a roster job from before ``params["uploads"]`` has just ``upload``)."""
    ids = (job.params or {}).get("uploads")
    if not ids:
        return {"file": job.upload} if job.upload_id else {}
    found = {str(upload.pk): upload for upload in PendingUpload.objects.filter(pk__in=ids.values(), owner=job.owner)}
    return {label: found.get(str(upload_id)) for label, upload_id in ids.items()}


def _files_of(kept: dict[str, PendingUpload | None]) -> Files | None:
    """Their names and contents; None when any is gone (expired, purged, storage lost it)."""
    files: Files = {}
    for label, upload in kept.items():
        content = uploads.upload_content(upload) if upload is not None else None
        if upload is None or content is None:
            return None
        files[label] = (upload.name, content)
    return files or None


def _discard(kept: dict[str, PendingUpload | None]) -> None:
    for upload in kept.values():
        if upload is not None:
            uploads.upload_discard(upload=upload)


def failure(job: ImportJob, message: str, *, dry_run: bool) -> dict:
    """An outcome that is one sentence about the whole file (every kind's page shows ``file_error``)."""
    return {"ok": False, "dry_run": dry_run, "filename": job.filename, "file_error": message, "errors": []}


def _lost_file(job: ImportJob) -> dict:
    return failure(job, _("This preview is more than an hour old. Upload the file again."), dry_run=True)


def _broken(job: ImportJob, dry_run: bool) -> dict:
    logger.exception("%s import of %r failed", job.kind, job.filename)
    return failure(
        job, _("Something went wrong while reading this file; nothing was saved. Try again later."), dry_run=dry_run
    )


class _NotImported(Exception):
    """Undo whatever a confirmation wrote before it found a problem: all or nothing."""

    def __init__(self, outcome: dict) -> None:
        super().__init__()
        self.outcome = outcome


def import_job_preview(*, job_id: str) -> ImportJob | None:
    """The preview task's work: the kind's dry run of the kept files, its outcome stored on the job. Idempotent."""
    job = ImportJob.objects.select_related("upload", "owner").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.PREVIEWING:
        return job
    kept = _uploads_of(job)
    files = _files_of(kept)
    with translation.override(job.language):
        if files is None:
            outcome = _lost_file(job)
        else:
            try:
                outcome = KINDS[job.kind].preview(job, files)
            except Exception:
                outcome = _broken(job, dry_run=True)
    status = ImportJob.Status.PREVIEWED if outcome.get("ok") else ImportJob.Status.REFUSED
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWING).update(
        status=status, preview=outcome, updated_at=timezone.now()
    )
    if not outcome.get("ok"):
        _discard(kept)  # nothing to confirm: no copy of the data waits
    job.refresh_from_db()
    return job


def import_job_confirm(*, job_id: str) -> ImportJob | None:
    """The confirmation task's work: the kind's real import and ``done`` in one transaction, all or nothing.

    Runs only for a job she confirmed (status ``confirming``); a second run, or a run for a job already
    done, does nothing. The job row is locked first (PostgreSQL; SQLite takes the write lock when the
    transaction starts, ``transaction_mode`` IMMEDIATE), so two workers never import one file twice.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportJob.Status.CONFIRMING:
            return job
        kept = _uploads_of(job)
        files = _files_of(kept)
        with translation.override(job.language):
            if files is None:
                outcome = _lost_file(job)
            else:
                try:
                    with transaction.atomic():  # a savepoint: a refused or broken import leaves nothing behind
                        outcome = KINDS[job.kind].confirm(job, files)
                        if not outcome.get("ok"):
                            raise _NotImported(outcome)
                except _NotImported as refused:
                    outcome = refused.outcome
                except Exception:
                    outcome = _broken(job, dry_run=False)
        job.status = ImportJob.Status.DONE if outcome.get("ok") else ImportJob.Status.FAILED
        job.result = outcome
        job.save(update_fields=["status", "result", "updated_at"])
        if outcome.get("ok"):
            # Imported: no copy stays behind (after the commit: a rollback keeps the files with their row).
            transaction.on_commit(lambda: _discard(kept), robust=True)
    return job


def import_jobs_forget(*, older_than: datetime.timedelta = FORGET_AFTER, now=None) -> int:
    """Drop the rows and messages (they may name people) of jobs older than ``older_than``; their counts stay."""
    cutoff = (now or timezone.now()) - older_than
    forgotten = 0
    remembered = Q(preview__has_key="rows") | Q(result__has_key="rows")  # a forgotten job keeps no "rows"
    for job in ImportJob.objects.filter(remembered, created_at__lte=cutoff).exclude(status__in=ImportJob.WORKING):
        kept = {}
        for name in ("preview", "result"):
            data = getattr(job, name) or {}
            if "rows" in data:
                kept[name] = {key: data[key] for key in KEPT_WHEN_FORGOTTEN if key in data}
        if kept:
            ImportJob.objects.filter(pk=job.pk).update(**kept)
            forgotten += 1
    return forgotten


def parse_job_id(job_id) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(job_id))
    except (TypeError, ValueError, AttributeError):
        return None
