"""What the reports app keeps: its permissions, and the imports that run in the background.

Reports otherwise reads the other apps. ``ImportJob`` is the one table of its own: a roster
import whose preview and confirmation run as django-tasks tasks (reports.tasks), so a 10,000-row
sheet never waits inside a web request, and so she can close the page and come back.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProgrammeData(models.Model):
    """A table-less model that carries the two permissions of this app.

    - ``reports.view_dashboard``: the programme dashboard (counts and rates only, no names).
      The Editors group has it (data migration 0002); superusers have everything.
    - ``reports.manage_personal_data``: roster import, exports with names, an artisan's
      data-access download and anonymisation. Only superusers have it unless an admin
      grants it to a group in the Wagtail admin (Settings → Groups → Other permissions).

    Separate from Django's model permissions on ArtisanProfile on purpose: editing one
    artisan in the admin is not the same as taking the whole roster out of the system.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", "Can see the programme dashboard"),
            ("manage_personal_data", "Can import, export, download and anonymise artisans' personal data"),
        ]
        verbose_name = _("programme data")
        verbose_name_plural = _("programme data")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class ImportJob(models.Model):
    """One roster import of one staff user: the file (core.uploads), its preview, then its confirmation.

    ``status`` moves previewing → previewed (or refused, when a row has a problem) → confirming →
    done (or failed). Each step is a task (reports.tasks); the page that shows the job refreshes
    itself while a task works. The move previewed → confirming is one conditional UPDATE, so a
    second "Confirm" (a double tap, a resent form) starts nothing; the confirmation writes the
    roster and ``done`` in one transaction, so a task run twice imports once.

    ``preview`` and ``result`` hold what the page shows (reports.roster.outcome_as_dict): counts,
    problems by row and column, and the rows. They name people, so once a job is a day old
    only its counts are kept (reports.roster.import_jobs_forget).
    """

    class Status(models.TextChoices):
        PREVIEWING = "previewing", _("Reading the file")
        PREVIEWED = "previewed", _("Ready to confirm")
        REFUSED = "refused", _("Has problems to correct")
        CONFIRMING = "confirming", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    WORKING = (Status.PREVIEWING, Status.CONFIRMING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("imported by")
    )
    upload = models.ForeignKey("core.PendingUpload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
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
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        indexes = [models.Index(fields=["owner", "-created_at"], name="import_job_owner_recent")]

    def __str__(self) -> str:
        return self.filename

    @property
    def working(self) -> bool:
        return self.status in self.WORKING
