from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from core import imports

        from . import imports as quiz_imports
        from .selectors import connect_tree_version

        connect_tree_version()
        imports.register(
            quiz_imports.KIND, preview=quiz_imports.questions_preview, confirm=quiz_imports.questions_confirm
        )
