"""Measure the certificate PDF: render time (median of N) and size. Writes nothing: all in a rolled-back transaction.

    python manage.py certificate_bench --runs 20
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import transaction


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Render a sample certificate N times; print the median render time and the PDF size."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--output", help="also write the sample PDF to this path, to look at it")

    def handle(self, *args, runs: int, output: str | None = None, **options):
        try:
            with transaction.atomic():
                self._measure(runs, output)
                raise Rollback
        except Rollback:
            pass

    def _measure(self, runs: int, output: str | None) -> None:
        import datetime

        from certificates import codes
        from certificates.models import Certificate
        from certificates.pdf import render_pdf
        from certificates.services import current_programme
        from people.models import ArtisanProfile, Cohort, CommunityCentre, User

        programme = current_programme()
        if programme is None:
            self.stderr.write("No programme: run `manage.py load_curriculum` first.")
            return
        centre = CommunityCentre.objects.create(name="Bench Huixtán", municipality="Huixtán")
        cohort = Cohort.objects.create(centre=centre, name="Bench", start_date=datetime.date(2026, 2, 2))
        facilitator = User.objects.create(username="bench-facilitator", first_name="Rosa", last_name="Hernández Ruiz")
        cohort.facilitators.add(facilitator)
        user = User.objects.create(username="bench-artisan")
        ArtisanProfile.objects.create(
            user=user, full_name="Xunkaʼ Pérez Gómez Ñuñez", preferred_name="Xunkaʼ", cohort=cohort
        )
        certificate = Certificate(
            user=user,
            programme=programme,
            programme_key=programme.translation_key,
            programme_title=programme.title,
            printed_name="Xunkaʼ Pérez Gómez Ñuñez",
            language="es",
            issued_on=datetime.date(2026, 6, 30),
            code=codes.generate(),
        )
        render_pdf(certificate)  # warm-up: imports, fontconfig, template loading
        timings, cpu, size = [], [], 0
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            size = len(render_pdf(certificate))
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        if output:
            with open(output, "wb") as handle:
                handle.write(render_pdf(certificate))
        self.stdout.write(
            f"certificate PDF: {size} bytes; render median {statistics.median(timings):.0f} ms wall "
            f"(min {min(timings):.0f}, max {max(timings):.0f}), {statistics.median(cpu):.0f} ms CPU, over {runs} runs"
        )
