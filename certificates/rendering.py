"""Files made after commit, outside any transaction: a certificate's PDF and a cohort's ceremony bundle.

Run by the tasks in `certificates.tasks` (the immediate backend in tests and
development, `manage.py db_worker` in production), by a retry, and by a
download that finds no PDF yet. Nothing here opens a transaction around a
render: WeasyPrint takes a tenth of a second to seconds, and on SQLite a
transaction that writes holds the one write lock of the whole database.

A render that fails (a layout that does not fit, a font, storage that cannot
be written) never raises to its caller: the certificate stays valid and
verifiable, its `pdf_status` says "failed" with the error, and the next retry
renders it. Each row update compares the PDF it read (compare and swap), so two
renders at once — the task and a download — store one file.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from .models import Certificate, CohortBundle
from .pdf import render_pdf
from .selectors import cohort_valid_certificates

logger = logging.getLogger(__name__)

ERROR_MAX = 1000  # characters of the last error kept on the row


def _stored(certificate: Certificate) -> bool:
    return bool(certificate.pdf) and certificate.pdf.storage.exists(certificate.pdf.name)


def certificate_pdf_render(*, certificate_id: int) -> Certificate:
    """Render and store one certificate's PDF unless it has one; return the certificate as it now stands.

    Idempotent: a certificate whose PDF is ready and stored is returned as it
    is. A ready PDF lost from storage is rendered again.
    """
    certificate = Certificate.objects.select_related("user__artisan__cohort__centre").get(pk=certificate_id)
    if certificate.pdf_status == Certificate.PdfStatus.READY and _stored(certificate):
        return certificate
    previous = certificate.pdf.name or ""
    same_row = Certificate.objects.filter(pk=certificate_id, pdf=previous)
    try:
        data = render_pdf(certificate)
        certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(data), save=False)
    except Exception as error:
        logger.exception("certificate %s: the PDF could not be rendered; it stays pending for a retry", certificate_id)
        same_row.update(
            pdf="",
            pdf_status=Certificate.PdfStatus.FAILED,
            pdf_attempts=F("pdf_attempts") + 1,
            pdf_error=f"{type(error).__name__}: {error}"[:ERROR_MAX],
        )
    else:
        stored = same_row.update(
            pdf=certificate.pdf.name,
            pdf_status=Certificate.PdfStatus.READY,
            pdf_attempts=F("pdf_attempts") + 1,
            pdf_error="",
        )
        if not stored:  # a twin render stored its file first: keep that one
            certificate.pdf.delete(save=False)
    certificate.refresh_from_db()
    return certificate


def certificate_pdf_ready(certificate: Certificate) -> Certificate:
    """The certificate with its PDF stored, rendering it now if it is pending, failed or lost (for a download)."""
    if certificate.pdf_ready and _stored(certificate):
        return certificate
    return certificate_pdf_render(certificate_id=certificate.pk)


@dataclass(frozen=True)
class RenderReport:
    ready: int
    failed: int


def pending_pdfs_render(*, limit: int | None = None) -> RenderReport:
    """Render every PDF that is pending or failed, oldest first (`manage.py render_certificate_pdfs`, a task).

    Idempotent: a second run finds nothing to do, or only what still fails.
    """
    pending = Certificate.objects.exclude(pdf_status=Certificate.PdfStatus.READY).order_by("issued_at", "pk")
    ids = list(pending.values_list("pk", flat=True)[:limit])
    ready = failed = 0
    for certificate_id in ids:
        if certificate_pdf_render(certificate_id=certificate_id).pdf_ready:
            ready += 1
        else:
            failed += 1
    return RenderReport(ready=ready, failed=failed)


# --- Cohort bundles ---------------------------------------------------------


def bundle_fingerprint(certificates: Sequence[Certificate]) -> str:
    """Which certificates (ids and codes) a bundle holds: a new request reuses a bundle with the same contents."""
    raw = ",".join(f"{c.pk}:{c.code}" for c in certificates)
    return hashlib.sha256(raw.encode()).hexdigest()


def bundle_build(*, bundle_id: int) -> CohortBundle:
    """Join the stored PDFs of the cohort's valid certificates into one file (pages in name order).

    A certificate whose PDF is not stored yet is rendered first; if one cannot
    be, the bundle fails (the facilitator asks again after a retry).
    """
    # pypdf adds ~5 MB and ~150 ms to a process; only the task worker joins PDFs, so it loads it here.
    from pypdf import PdfWriter

    bundle = CohortBundle.objects.select_related("cohort").get(pk=bundle_id)
    if bundle.status == CohortBundle.Status.READY:
        return bundle
    try:
        certificates = list(cohort_valid_certificates(bundle.cohort))
        writer = PdfWriter()
        for certificate in certificates:
            certificate = certificate_pdf_ready(certificate)
            if not certificate.pdf_ready:
                raise RuntimeError(f"certificate {certificate.pk} has no PDF: {certificate.pdf_error}")
            with certificate.pdf.open("rb") as handle:
                writer.append(io.BytesIO(handle.read()))
        writer.add_metadata({"/Title": str(bundle.cohort)})
        if hasattr(writer, "compress_identical_objects"):
            writer.compress_identical_objects()
        output = io.BytesIO()
        writer.write(output)
        bundle.pdf.save(f"bundle-{bundle.pk}.pdf", ContentFile(output.getvalue()), save=False)
        bundle.certificate_count = len(certificates)
        bundle.fingerprint = bundle_fingerprint(certificates)
        bundle.status = CohortBundle.Status.READY
    except Exception:
        logger.exception("cohort bundle %s failed", bundle_id)
        bundle.status = CohortBundle.Status.FAILED
    bundle.finished_at = timezone.now()
    bundle.save(update_fields=["pdf", "certificate_count", "fingerprint", "status", "finished_at"])
    return bundle
