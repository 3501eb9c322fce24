"""factory_boy factories shared by the suite (each app adds its own here)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from people.models import ArtisanProfile, Cohort, CommunityCentre, User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("a-strong-test-password")


class StaffUserFactory(UserFactory):
    is_staff = True


class CommunityCentreFactory(DjangoModelFactory):
    class Meta:
        model = CommunityCentre
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Centro {n}")
    municipality = "Huixtán"
    state = "Chiapas"


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    centre = factory.SubFactory(CommunityCentreFactory)
    name = factory.Sequence(lambda n: f"Grupo {n}")
    start_date = datetime.date(2026, 2, 2)


class ArtisanProfileFactory(DjangoModelFactory):
    class Meta:
        model = ArtisanProfile

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"María Pérez Gómez {n}")
    preferred_name = factory.Sequence(lambda n: f"María {n}")
    cohort = factory.SubFactory(CohortFactory)
    consent_given = True
