"""Background work of core: the scheduled clean-up of abandoned uploads (they carry names)."""

from django_tasks import task

from .uploads import uploads_purge_abandoned


@task()
def purge_abandoned_uploads() -> int:
    """What ``manage.py purge_uploads`` runs: enqueue it from a schedule (cron, systemd timer) every hour."""
    return uploads_purge_abandoned()
