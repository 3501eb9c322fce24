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
        parser.add_argument("--bundle", type=int, default=0, help="also time a cohort bundle of this many certificates")

    def handle(self, *args, runs: int, output: str | None = None, bundle: int = 0, **options):
        try:
            with transaction.atomic():
                cohort = self._measure(runs, output)
                if bundle and cohort is not None:
                    self._bundle(cohort, bundle)
                raise Rollback
        except Rollback:
            pass

    def _measure(self, runs: int, output: str | None):
        import datetime

        from certificates import codes
        from certificates.models import Certificate
        from certificates.pdf import render_pdf
        from certificates.services import current_programme
        from people.models import ArtisanProfile, Cohort, CommunityCentre, User

        programme = current_programme()
        if programme is None:
            self.stderr.write("No programme: run `manage.py load_curriculum` first.")
            return None
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
        return cohort

    def _bundle(self, cohort, size: int) -> None:
        """Issue `size` certificates in the cohort (stored PDFs), then time joining them into one file."""
        from certificates.models import CohortBundle
        from certificates.services import bundle_build, certificate_issue_manual
        from people.models import ArtisanProfile, User

        start = time.perf_counter()
        for number in range(size):
            user = User.objects.create(username=f"bench-bundle-{number}")
            ArtisanProfile.objects.create(
                user=user, full_name=f"Artesana {number} Pérez Ñuñez", preferred_name=f"A{number}", cohort=cohort
            )
            certificate_issue_manual(user=user, issued_by=None, reason="bench")
        issued = (time.perf_counter() - start) * 1000
        bundle = CohortBundle.objects.create(cohort=cohort, fingerprint="bench")
        start = time.perf_counter()
        bundle = bundle_build(bundle_id=bundle.pk)
        built = (time.perf_counter() - start) * 1000
        self.stdout.write(
            f"cohort bundle: {size} certificates issued in {issued:.0f} ms ({issued / size:.0f} ms each); "
            f"joined in {built:.0f} ms; {bundle.pdf.size} bytes ({bundle.status})"
        )
        for certificate in cohort.artisans.all():
            for item in certificate.user.certificates.all():
                item.pdf.delete(save=False)
        bundle.pdf.delete(save=False)
