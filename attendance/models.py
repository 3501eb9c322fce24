"""Attendance: in-person sessions of a cohort and who came to each.

The rule that turns these records into an attendance rate lives in
`attendance.rules` (configured by AttendanceSettings), nowhere else.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Status(models.TextChoices):
    """The four answers a facilitator gives for each artisan, in the order she sees them."""

    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Session(models.Model):
    """One in-person workshop of a cohort, optionally about one module."""

    cohort = models.ForeignKey(
        "people.Cohort", on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort")
    )
    # Any language version of the module; pages are matched by translation key when shown.
    module = models.ForeignKey(
        "courses.ModulePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("module"),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    place = models.CharField(_("place"), max_length=150, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="attendance_sessions", blank=True, verbose_name=_("facilitators")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Set by attendance.selectors.cohort_sessions for the list (the title in the display language); not a field.
    module_title: str

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            # A double tap on "create" from a phone must not make two sessions.
            models.UniqueConstraint(fields=["cohort", "date", "start_time"], name="session_unique_slot"),
        ]

    def __str__(self) -> str:
        return f"{formats.date_format(self.date, 'SHORT_DATE_FORMAT')} {self.start_time:%H:%M}"


class AttendanceRecord(models.Model):
    """Whether one artisan came to one session: one row per pair, the last write wins."""

    # PROTECT: a session with attendance taken cannot be deleted by accident
    # (deleting a cohort with recorded sessions fails too).
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="records", verbose_name=_("session"))
    artisan = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendance_records",
        verbose_name=_("artisan"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["session", "artisan"]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(fields=["session", "artisan"], name="attendance_one_record_per_session"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="attendance_known_status"),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.artisan} · {self.get_status_display()}"


class ExcusedRule(models.TextChoices):
    LEFT_OUT = "left_out", _("Left out of the rate (neither attended nor missed)")
    ATTENDED = "attended", _("Counts as attended")
    MISSED = "missed", _("Counts as missed")


@register_setting(icon="date")
class AttendanceSettings(BaseSiteSetting):
    """How attendance records become a rate. Read only through `attendance.rules`."""

    late_counts = models.BooleanField(
        _("late counts as attended"), default=True, help_text=_("Present always counts; absent never does.")
    )
    excused = models.CharField(
        _("excused sessions"), max_length=10, choices=ExcusedRule.choices, default=ExcusedRule.LEFT_OUT
    )

    panels = [
        HelpPanel(content=_("The attendance rate is used by the cohort grid and the certificate rule.")),
        FieldPanel("late_counts"),
        FieldPanel("excused"),
    ]

    class Meta:
        verbose_name = _("attendance settings")
