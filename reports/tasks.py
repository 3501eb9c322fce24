"""Tasks queued before the imports moved to core (core.tasks): a worker still finds them after the deploy.

New roster imports queue ``core.tasks.preview_import`` and ``core.tasks.confirm_import``.
"""

from django_tasks import task

from core import imports


@task()
def preview_roster_import(job_id: str) -> str:
    job = imports.import_job_preview(job_id=job_id)
    return job.status if job is not None else "missing"


@task()
def confirm_roster_import(job_id: str) -> str:
    job = imports.import_job_confirm(job_id=job_id)
    return job.status if job is not None else "missing"
