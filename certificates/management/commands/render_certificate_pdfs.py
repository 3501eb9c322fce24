from django.core.management.base import BaseCommand

from certificates.rendering import pending_pdfs_render


class Command(BaseCommand):
    help = (
        "Render the PDF of every certificate whose PDF is still pending or failed (idempotent: run it from cron, "
        "or after fixing what made a render fail). The certificates themselves are valid already."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Render at most this many.")

    def handle(self, *args, **options):
        report = pending_pdfs_render(limit=options["limit"])
        self.stdout.write(
            self.style.SUCCESS(f"Certificate PDFs: {report.ready} rendered, {report.failed} still failing.")
        )
        if report.failed:
            self.stdout.write("The errors are in the admin (Certificates, PDF status) and in the log.")
