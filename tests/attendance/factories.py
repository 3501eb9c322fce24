"""Factories for attendance tests (kept here: tests/factories.py is shared and busy)."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from attendance.models import AttendanceRecord, Session, Status
from tests.factories import ArtisanProfileFactory, CohortFactory, StaffUserFactory, UserFactory


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
    user = StaffUserFactory(**({"username": username} if username else {}))
    user.groups.add(Group.objects.get_or_create(name="Facilitators")[0])
    for cohort in cohorts:
        cohort.facilitators.add(user)
    return user


def editor(username="editora-att"):
    user = StaffUserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name="Editors")[0])
    return user


def artisans(cohort, n):
    return [ArtisanProfileFactory(cohort=cohort) for _ in range(n)]
