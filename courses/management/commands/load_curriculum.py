from django.core.management.base import BaseCommand

from courses.services import load_curriculum


class Command(BaseCommand):
    help = "Create the programme, its six modules and their lessons in Spanish and English (idempotent)."

    def handle(self, *args, **options):
        report = load_curriculum()
        for label in report.created:
            self.stdout.write(f"  created {label}")
        self.stdout.write(
            self.style.SUCCESS(f"Curriculum: {len(report.created)} created, {report.unchanged} already present.")
        )
        from assessments.services import load_quizzes  # each module's quiz, from the same curriculum files

        quizzes = load_quizzes()
        for label in quizzes.created:
            self.stdout.write(f"  created {label}")
        self.stdout.write(
            self.style.SUCCESS(f"Quizzes: {len(quizzes.created)} created, {quizzes.unchanged} already present.")
        )
