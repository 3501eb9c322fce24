from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core import imports
        from courses import cache as tree_cache

        from .models import AttendanceSettings

        # The rule is kept per tree version (attendance.rules.current_rule): its settings renew it.
        post_save.connect(tree_cache.bump, sender=AttendanceSettings, dispatch_uid="attendance.rule.saved")
        post_delete.connect(tree_cache.bump, sender=AttendanceSettings, dispatch_uid="attendance.rule.deleted")

        from . import imports as attendance_imports

        imports.register(
            attendance_imports.KIND,
            preview=attendance_imports.attendance_preview,
            confirm=attendance_imports.attendance_confirm,
        )
