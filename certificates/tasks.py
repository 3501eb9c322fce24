"""Background work: the combined PDF of a cohort's certificates for the ceremony.

Joining forty stored PDFs takes a few seconds on a small server, so the
facilitator's request only queues it; the bundle page refreshes itself until
it is ready. The immediate backend runs it at once (tests, development); in
production it waits in the database queue for `manage.py db_worker`.
"""

from django_tasks import task


@task()
def build_cohort_bundle(bundle_id: int) -> str:
    from .services import bundle_build

    return bundle_build(bundle_id=bundle_id).status
