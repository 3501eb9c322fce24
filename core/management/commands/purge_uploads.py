from django.core.management.base import BaseCommand

from core.uploads import uploads_purge_abandoned


class Command(BaseCommand):
    help = (
        "Delete uploads waiting for a confirmation that has expired or is older than a day, and any file left "
        "without its row (idempotent: run it every hour from cron). Those files carry names and attendance."
    )

    def handle(self, *args, **options):
        count = uploads_purge_abandoned()
        self.stdout.write(self.style.SUCCESS(f"Abandoned uploads deleted: {count}."))
