"""Writes started from the reports screens: the roster import (its jobs) and the audit trail of exports."""

from __future__ import annotations

import logging

from wagtail.log_actions import log

from core import imports
from core.models import ImportJob
from people.models import User

from .roster import ROSTER, ImportOutcome, roster_import

__all__ = ["ImportOutcome", "export_logged", "import_job_confirm_request", "import_job_start", "roster_import"]

logger = logging.getLogger(__name__)
RECENT_JOBS = 10


def import_job_start(*, owner: User, filename: str, content: bytes) -> ImportJob:
    """Keep the roster privately for her and queue its preview (core.imports); the job's page shows it."""
    return imports.import_job_start(owner=owner, kind=ROSTER, files={"file": (filename, content)})


def import_job_confirm_request(*, job: ImportJob, user: User) -> bool:
    """Her "Confirm": queued once (core.imports); False when the job was not waiting for it."""
    return imports.import_job_confirm_request(job=job, user=user)


def export_logged(*, user: User, kind: str, file_format: str, filters: dict, rows: int) -> None:
    """Who took which personal data out of the system, on the exporting account's history."""
    log(user, "reports.export", user=user, data={"kind": kind, "format": file_format, "filters": filters, "rows": rows})
