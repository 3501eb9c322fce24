"""What the reports app keeps: its permissions. It otherwise reads the other apps.

Its roster imports are ``core.ImportJob`` rows of kind ``roster`` (they moved there in migration 0004,
with the attendance and quiz-question imports, so every spreadsheet import runs the same way).
"""

from django.db import models
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
