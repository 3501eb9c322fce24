"""Attendance in spreadsheets (django-import-export): the columns, and the checks on each imported row.

An exported sheet imports back unchanged. Only `session`, `artisan`, `status`
and `note` are read; the other columns are there for people reading the sheet.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from people.models import User

from .models import AttendanceRecord, Session
from .validation import LineValidator, number

# Headers people may type in Spanish; normalised to the exported (English) names.
HEADER_ALIASES = {
    "sesión": "session",
    "sesion": "session",
    "artesana": "artisan",
    "estado": "status",
    "asistencia": "status",
    "nota": "note",
}


class AttendanceResource(resources.ModelResource):
    session = fields.Field(attribute="session", column_name="session", widget=widgets.ForeignKeyWidget(Session))
    date = fields.Field(attribute="session__date", column_name="date", readonly=True, widget=widgets.DateWidget())
    time = fields.Field(
        attribute="session__start_time", column_name="time", readonly=True, widget=widgets.TimeWidget("%H:%M")
    )
    artisan = fields.Field(attribute="artisan", column_name="artisan", widget=widgets.ForeignKeyWidget(User))
    name = fields.Field(attribute="artisan__artisan__full_name", column_name="name", readonly=True)
    status = fields.Field(attribute="status", column_name="status")
    note = fields.Field(attribute="note", column_name="note")
    recorded_by = fields.Field(attribute="recorded_by__username", column_name="recorded_by", readonly=True)
    recorded_at = fields.Field(attribute="recorded_at", column_name="recorded_at", readonly=True)

    class Meta:
        model = AttendanceRecord
        fields = ("session", "date", "time", "artisan", "name", "status", "note", "recorded_by", "recorded_at")
        export_order = fields
        import_id_fields = ("session", "artisan")
        skip_diff = True
        clean_model_instances = True
        store_instance = True  # the preview lists what each row will save

    def __init__(self, *, cohort=None, recorded_by=None, **kwargs):
        super().__init__(**kwargs)
        self.cohort = cohort
        self.recorded_by = recorded_by

    # --- import -----------------------------------------------------------
    def before_import(self, dataset, **kwargs):
        dataset.headers = [
            HEADER_ALIASES.get(str(header or "").strip().lower(), str(header or "").strip().lower())
            for header in dataset.headers or []
        ]
        missing = [name for name in ("session", "artisan", "status") if name not in dataset.headers]
        if missing:
            raise ValidationError(
                _("The sheet has no column %(columns)s.") % {"columns": ", ".join(f"“{name}”" for name in missing)}
            )
        self._sessions = set(self.cohort.sessions.values_list("pk", flat=True))
        self._lines = LineValidator(self.cohort.pk, cohort=self.cohort)

    def before_import_row(self, row, **kwargs):
        """Check the row against the cohort (attendance.validation); raise every problem of the row at once."""
        if all(value in (None, "") or not str(value).strip() for value in row.values()):
            row["status"] = ""
            return
        errors: dict[str, list] = {}
        session_id = number(row.get("session"))
        if session_id is None or session_id not in self._sessions:
            errors["session"] = [
                _("Session “%(value)s” is not a session of %(cohort)s.")
                % {"value": row.get("session") or "", "cohort": self.cohort.name}
            ]
        line = self._lines.check(
            artisan=row.get("artisan"), status=row.get("status"), note=row.get("note"), once_per=session_id
        )
        errors.update(line.errors)
        if errors:
            raise ValidationError(errors)
        row["session"], row["artisan"], row["status"], row["note"] = session_id, line.artisan_id, line.status, line.note

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not row.get("status")

    def before_save_instance(self, instance, row, **kwargs):
        instance.recorded_by = self.recorded_by
        instance.recorded_at = timezone.now()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if instance.recorded_at is None:
            instance.recorded_at = timezone.now()  # set for real in before_save_instance
        super().validate_instance(instance, import_validation_errors, validate_unique=False)
