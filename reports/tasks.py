"""Background work of the reports screens: the preview and the confirmation of a roster import.

A 10,000-row sheet takes longer to check and to write than a web request may last, so the
upload only keeps the file and queues ``preview_roster_import``; "Confirm" only queues
``confirm_roster_import``. The immediate backend runs them at once (tests, development); in
production they wait in the database queue for ``manage.py db_worker``. Both are idempotent
(reports.roster): a task run twice previews or imports once.
"""

from django_tasks import task

from . import roster


@task()
def preview_roster_import(job_id: str) -> str:
    job = roster.import_job_preview(job_id=job_id)
    return job.status if job is not None else "missing"


@task()
def confirm_roster_import(job_id: str) -> str:
    job = roster.import_job_confirm(job_id=job_id)
    return job.status if job is not None else "missing"
