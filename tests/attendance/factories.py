"""Factories for attendance tests (kept here: tests/factories.py is shared and busy)."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from attendance.models import AttendanceRecord, Session, Status
from tests.factories import ArtisanProfileFactory, CohortFactory, EditorFactory, FacilitatorFactory, UserFactory


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    date = factory.Sequence(lambda n: datetime.date(2026, 3, 2) + datetime.timedelta(days=7 * n))
    start_time = datetime.time(10, 0)
    place = "Salón ejidal"


class AttendanceRecordFactory(DjangoModelFactory):
    class Meta:
        model = AttendanceRecord

    session = factory.SubFactory(SessionFactory)
    artisan = factory.SubFactory(UserFactory)
    status = Status.PRESENT
    recorded_at = factory.LazyFunction(timezone.now)


def facilitator_for(*cohorts, username=None):
    return FacilitatorFactory(cohorts=cohorts, **({"username": username} if username else {}))


def editor(username="editora-att"):
    return EditorFactory(username=username)


def artisans(cohort, n):
    return [ArtisanProfileFactory(cohort=cohort) for _ in range(n)]
