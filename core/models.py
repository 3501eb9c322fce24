"""What core keeps in the database: uploads waiting between their preview and their confirmation, and the
background jobs that preview and confirm them (every spreadsheet import: roster, attendance, quiz questions)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import private_storage


def _upload_path(instance: PendingUpload, filename: str) -> str:
    # The random id, not the name she gave the file: names may carry personal data and odd characters.
    return f"uploads/{instance.created_at:%Y/%m}/{instance.pk}"


class PendingUpload(models.Model):
    """A spreadsheet uploaded for a preview, kept in private storage until it is confirmed, discarded or expired.

    The confirmation form carries only ``id`` (random, unguessable); the upload is found by that
    id *and* its owner and purpose, so nobody else — and no other screen — can confirm it.
    ``expires_at`` bounds how long an abandoned upload's copy of the data lives (core.uploads).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    purpose = models.CharField(_("purpose"), max_length=64, help_text=_("Which import it is for, e.g. roster."))
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_upload_path, max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("upload waiting for confirmation")
        verbose_name_plural = _("uploads waiting for confirmation")
        indexes = [models.Index(fields=["expires_at"], name="pending_upload_expiry")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="pending_upload_expires_later")
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """One spreadsheet import of one user: its file(s) (core.uploads), its preview, then its confirmation.

    ``kind`` says which import it is (``roster``, ``attendance``, ``questions``); each app registers
    the work of its kind with ``core.imports.register`` and ``params`` carries what that work needs
    (the cohort's or the quiz's id). ``status`` moves previewing → previewed (or refused, when a row
    has a problem) → confirming → done (or failed). Each step is a task (core.tasks); the page that
    shows the job refreshes itself while a task works. The move previewed → confirming is one
    conditional UPDATE, so a second "Confirm" (a double tap, a resent form) starts nothing; the
    confirmation writes the rows and ``done`` in one transaction, so a task run twice imports once.

    ``preview`` and ``result`` hold what the page shows: counts, problems by row and column, and the
    rows. They may name people, so once a job is a day old only its counts are kept
    (core.imports.import_jobs_forget).
    """

    class Kind(models.TextChoices):
        ROSTER = "roster", _("Roster")
        ATTENDANCE = "attendance", _("Attendance")
        QUESTIONS = "questions", _("Quiz questions")

    class Status(models.TextChoices):
        PREVIEWING = "previewing", _("Reading the file")
        PREVIEWED = "previewed", _("Ready to confirm")
        REFUSED = "refused", _("Has problems to correct")
        CONFIRMING = "confirming", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    WORKING = (Status.PREVIEWING, Status.CONFIRMING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.ROSTER)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("imported by")
    )
    upload = models.ForeignKey(PendingUpload, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    language = models.CharField(_("language"), max_length=16, help_text=_("The language its messages are in."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PREVIEWING)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        indexes = [models.Index(fields=["owner", "kind", "-created_at"], name="core_import_job_recent")]

    def __str__(self) -> str:
        return self.filename

    @property
    def working(self) -> bool:
        return self.status in self.WORKING
