from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from assessments.events import PaperResultsRecorded, QuizAttemptRecorded
from attendance.events import AttendanceImported, AttendanceSaved
from core import events
from people.events import ArtisansImported
from progress.events import LessonCompleted

# Every recording that can complete a programme or reach the attendance threshold (docs/ARCHITECTURE.md).
RECORDINGS = (
    LessonCompleted,
    QuizAttemptRecorded,
    PaperResultsRecorded,
    AttendanceSaved,
    AttendanceImported,
    ArtisansImported,
)


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        # The services import models, which can only be imported once the app registry is ready: hence here.
        from django.db.models.signals import post_delete, post_save

        from people.backends import keep_along

        from .models import Certificate
        from .selectors import valid_certificates_key
        from .services import issue_earned_certificates

        for event_type in RECORDINGS:
            events.subscribe(event_type, issue_earned_certificates)
        # Her valid certificates, kept and read with her account (certificates.selectors.user_valid_certificates).
        keep_along(valid_certificates_key)
        for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(_forget, sender=Certificate, dispatch_uid=f"certificates.valid.{name}")


def _forget(sender, instance, **kwargs) -> None:
    from .selectors import forget_valid_certificates

    forget_valid_certificates(instance.user_id)
