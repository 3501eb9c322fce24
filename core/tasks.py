"""Background work of core: every spreadsheet import's preview and confirmation, and the clean-up of uploads.

A large sheet takes longer to check and to write than a web request may last (gunicorn's 30 s), so an
upload only keeps the file and queues ``preview_import``; "Confirm" only queues ``confirm_import``. Both
dispatch by the job's kind to the work its app registered (core.imports.register). The immediate backend
runs them at once (tests, development); in production they wait in the database queue for
``manage.py db_worker``. Both are idempotent: a task run twice previews or imports once.
"""

from django_tasks import task

from . import imports
from .uploads import uploads_purge_abandoned


@task()
def preview_import(job_id: str) -> str:
    job = imports.import_job_preview(job_id=job_id)
    return job.status if job is not None else "missing"


@task()
def confirm_import(job_id: str) -> str:
    job = imports.import_job_confirm(job_id=job_id)
    return job.status if job is not None else "missing"


@task()
def purge_abandoned_uploads() -> int:
    """What ``manage.py purge_uploads`` runs: enqueue it from a schedule (cron, systemd timer) every hour."""
    return uploads_purge_abandoned()
