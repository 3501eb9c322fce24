"""Data: every cohort takes the programme Telar ran until now; every artisan is enrolled in her cohort.

Nothing recorded changes: completions, attempts, attendance and certificates are left as they are
(certificates already name their programme by translation key). The functions take ``apps`` so a
test can run them on real rows (tests/people/test_enrolment_migration.py).
"""

from django.conf import settings
from django.db import migrations


def first_programme(apps):
    """The programme of the single-programme days: the first live default-language programme page."""
    ProgrammePage = apps.get_model("courses", "ProgrammePage")
    pages = ProgrammePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path")
    return pages.filter(live=True).first() or pages.first()


def cohorts_onto_programme(apps, schema_editor=None):
    Cohort = apps.get_model("people", "Cohort")
    ArtisanProfile = apps.get_model("people", "ArtisanProfile")
    Enrolment = apps.get_model("people", "Enrolment")
    programme = first_programme(apps)
    if programme is not None:
        Cohort.objects.filter(programme__isnull=True).update(programme=programme)
    rows = [
        Enrolment(user_id=user_id, cohort_id=cohort_id)
        for user_id, cohort_id in ArtisanProfile.objects.values_list("user_id", "cohort_id")
    ]
    Enrolment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_cohort_programme_enrolment"),
        ("courses", "0003_programme_certificate_rule"),
    ]

    operations = [migrations.RunPython(cohorts_onto_programme, migrations.RunPython.noop)]
