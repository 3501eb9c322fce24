"""The curriculum in one command: pages (courses) and each module's quiz (assessments), from courses/curriculum/.

It lives in lms, the layer that sees both apps; each app loads its own part.
"""

from django.core.management.base import BaseCommand

from assessments.services import load_quizzes
from courses.services import load_curriculum


class Command(BaseCommand):
    help = (
        "Create the programme, its six modules, their lessons and each module's quiz in Spanish and English "
        "(idempotent)."
    )

    def handle(self, *args, **options):
        report = load_curriculum()
        for label in report.created:
            self.stdout.write(f"  created {label}")
        self.stdout.write(
            self.style.SUCCESS(f"Curriculum: {len(report.created)} created, {report.unchanged} already present.")
        )
        quizzes = load_quizzes()
        for label in quizzes.created:
            self.stdout.write(f"  created {label}")
        self.stdout.write(
            self.style.SUCCESS(f"Quizzes: {len(quizzes.created)} created, {quizzes.unchanged} already present.")
        )
