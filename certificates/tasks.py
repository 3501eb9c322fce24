"""Background work: certificate PDFs and the combined PDF of a cohort's certificates for the ceremony.

A certificate's row is written first; its render is queued once that row has
committed (`services._render_after_commit`), so WeasyPrint never runs inside a
transaction. Joining forty stored PDFs takes a few seconds on a small server,
so the facilitator's request only queues it; the bundle page refreshes itself
until it is ready. The immediate backend runs each task at once (tests,
development); in production they wait in the database queue for
`manage.py db_worker`. Each task is idempotent: running it twice stores one file.
"""

from django_tasks import task

from . import rendering


@task()
def render_certificate_pdf(certificate_id: int) -> str:
    """Render one certificate's PDF; returns its PDF status (ready, or failed: retried later)."""
    return rendering.certificate_pdf_render(certificate_id=certificate_id).pdf_status


@task()
def render_pending_certificate_pdfs() -> dict:
    """Every PDF still pending or failed (what `manage.py render_certificate_pdfs` runs)."""
    report = rendering.pending_pdfs_render()
    return {"ready": report.ready, "failed": report.failed}


@task()
def build_cohort_bundle(bundle_id: int) -> str:
    return rendering.bundle_build(bundle_id=bundle_id).status
