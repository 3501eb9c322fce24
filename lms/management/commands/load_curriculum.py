"""The curriculum in one command: pages (courses) and each module's quiz (assessments), from courses/curriculum/.

It lives in lms, the layer that sees both apps; each app loads its own part.
"""

from django.core.management.base import BaseCommand

from assessments.services import load_quizzes
from courses.services import load_all_curricula, programme_directories


class Command(BaseCommand):
    help = (
        "Create every programme of courses/curriculum/ (the six workshops, then each folder with a "
        "programme.json), their modules, lessons and each module's quiz in Spanish and English (idempotent)."
    )

    def handle(self, *args, **options):
        report = load_all_curricula()
        for label in report.created:
            self.stdout.write(f"  created {label}")
        self.stdout.write(
            self.style.SUCCESS(f"Curriculum: {len(report.created)} created, {report.unchanged} already present.")
        )
        created = unchanged = 0
        for directory in programme_directories():
            quizzes = load_quizzes(directory)
            for label in quizzes.created:
                self.stdout.write(f"  created {label}")
            created += len(quizzes.created)
            unchanged += quizzes.unchanged
        self.stdout.write(self.style.SUCCESS(f"Quizzes: {created} created, {unchanged} already present."))
