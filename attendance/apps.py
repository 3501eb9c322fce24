from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from core import imports

        from . import imports as attendance_imports

        imports.register(
            attendance_imports.KIND,
            preview=attendance_imports.attendance_preview,
            confirm=attendance_imports.attendance_confirm,
        )
