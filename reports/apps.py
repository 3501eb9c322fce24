from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from core import imports

        from . import roster

        imports.register(roster.ROSTER, preview=roster.roster_preview, confirm=roster.roster_confirm)
