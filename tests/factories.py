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


# --- people (issue 3): artisans with PINs, facilitators, editors; progress ------------------------

TEST_PIN = "2580"


class ArtisanFactory(ArtisanProfileFactory):
    """An artisan who can sign in: unusable password, PIN TEST_PIN (pass pin=False for none)."""

    class Meta:
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, password=factory.django.Password(None))

    @factory.post_generation
    def pin(self, create, extracted, **kwargs):
        from people.services import artisan_pin_set

        if create and extracted is not False:
            artisan_pin_set(user=self.user, pin=extracted or TEST_PIN)


class FacilitatorFactory(StaffUserFactory):
    """A staff user in the Facilitators group; pass cohorts=[...] to link her."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if create:
            self.groups.add(Group.objects.get_or_create(name="Facilitators")[0])

    @factory.post_generation
    def cohorts(self, create, extracted, **kwargs):
        if create and extracted:
            for cohort in extracted:
                cohort.facilitators.add(self)


class EditorFactory(StaffUserFactory):
    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if create:
            self.groups.add(Group.objects.get_or_create(name="Editors")[0])


class AdminFactory(StaffUserFactory):
    is_superuser = True


class LessonCompletionFactory(DjangoModelFactory):
    class Meta:
        model = "progress.LessonCompletion"

    user = factory.SubFactory(UserFactory)
    lesson_key = factory.Faker("uuid4", cast_to=None)
    language = "es"
