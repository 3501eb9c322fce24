"""The data migration of issue 18: today's cohorts onto the existing programme; nothing recorded changes.

Runs the migration's own function (people 0005) on rows as they were before it: cohorts without a
programme, artisans without enrolments, with completions, attempts, attendance and a certificate.
"""

import importlib

import pytest
from django.apps import apps

from attendance.models import AttendanceRecord
from certificates.models import Certificate
from people.models import Cohort, Enrolment
from progress.models import LessonCompletion
from tests.certificates.conftest import issue_by_hand, make_eligible
from tests.factories import ArtisanProfileFactory, CohortFactory, programme_with_modules

pytestmark = pytest.mark.django_db

migration = importlib.import_module("people.migrations.0005_cohorts_onto_programme")


def _recorded():
    return (
        sorted(LessonCompletion.objects.values_list("user_id", "lesson_key", "completed_at")),
        sorted(AttendanceRecord.objects.values_list("session_id", "artisan_id", "status")),
        sorted(Certificate.objects.values_list("user_id", "programme_key", "programme_id", "programme_title", "code")),
    )


def test_every_cohort_takes_the_existing_programme_and_every_artisan_is_enrolled(programme, modules, admin_user):
    programme_with_modules("Una edición nueva")  # created later: a second programme is not the existing one
    cohorts = [CohortFactory(name=f"Grupo {n}") for n in range(2)]
    profiles = [ArtisanProfileFactory(cohort=cohorts[n % 2]) for n in range(4)]
    make_eligible(profiles[0].user, cohorts[0], modules)
    issue_by_hand(profiles[1].user, admin_user)
    # As before the migration: no programme on the cohorts, no enrolments.
    Cohort.objects.update(programme=None)
    Enrolment.objects.all().delete()
    before = _recorded()

    migration.cohorts_onto_programme(apps)

    assert set(Cohort.objects.values_list("programme_id", flat=True)) == {programme.pk}
    assert sorted(Enrolment.objects.values_list("user_id", "cohort_id")) == sorted(
        (profile.user_id, profile.cohort_id) for profile in profiles
    )
    assert _recorded() == before
    migration.cohorts_onto_programme(apps)  # twice: nothing more
    assert Enrolment.objects.count() == 4
