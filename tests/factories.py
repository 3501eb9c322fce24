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


def default_programme():
    """The curriculum's programme (the six workshops), loaded once per test session; None after a flush."""
    from courses.models import ProgrammePage

    return ProgrammePage.objects.live().filter(locale__language_code="es").order_by("path").first()


class CohortFactory(DjangoModelFactory):
    """A cohort of the curriculum's programme; pass programme=<page> for another one."""

    class Meta:
        model = Cohort

    centre = factory.SubFactory(CommunityCentreFactory)
    name = factory.Sequence(lambda n: f"Grupo {n}")
    start_date = datetime.date(2026, 2, 2)
    programme = factory.LazyFunction(default_programme)


class EnrolmentFactory(DjangoModelFactory):
    """One more cohort for an artisan (her profile's cohort is always an enrolment already)."""

    class Meta:
        model = "people.Enrolment"

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)


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


class ProgrammeStaffFactory(StaffUserFactory):
    """Programme staff: the admin, the dashboard and every cohort's personal data (``reports.manage_personal_data``)."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def permissions(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Permission

        if create:
            self.user_permissions.add(
                *Permission.objects.filter(
                    content_type__app_label__in=["reports", "wagtailadmin"],
                    codename__in=["manage_personal_data", "view_dashboard", "access_admin"],
                )
            )


class LessonCompletionFactory(DjangoModelFactory):
    class Meta:
        model = "progress.LessonCompletion"

    user = factory.SubFactory(UserFactory)
    lesson_key = factory.Faker("uuid4", cast_to=None)
    language = "es"


# --- assessments (issue 4): quizzes, questions, options, attempts ---------------------------------


class QuizFactory(DjangoModelFactory):
    """A published quiz; pass page=<module or lesson page> (its locale is the page's)."""

    class Meta:
        model = "assessments.Quiz"

    title = factory.Sequence(lambda n: f"Evaluación de prueba {n}")
    locale = factory.LazyAttribute(lambda quiz: quiz.page.locale)
    live = True


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = "assessments.Question"

    quiz = factory.SubFactory(QuizFactory)
    kind = "single"
    text = factory.Sequence(lambda n: f"Pregunta {n}")
    explanation = factory.Sequence(lambda n: f"Explicación {n}")
    sort_order = factory.Sequence(lambda n: n)


class OptionFactory(DjangoModelFactory):
    class Meta:
        model = "assessments.Option"

    question = factory.SubFactory(QuestionFactory)
    label = factory.Sequence(lambda n: f"Opción {n}")
    is_correct = False
    sort_order = factory.Sequence(lambda n: n)


class AttemptFactory(DjangoModelFactory):
    """An attempt at `quiz` (its keys are copied from it); number counts up per user and quiz."""

    class Meta:
        model = "assessments.Attempt"

    user = factory.SubFactory(UserFactory)
    quiz_key = factory.LazyAttribute(lambda a: a.quiz.translation_key)
    module_key = factory.LazyAttribute(lambda a: a.quiz.page.translation_key)
    number = factory.LazyAttribute(
        lambda a: a.quiz.attempts.model.objects.filter(user=a.user, quiz_key=a.quiz.translation_key).count() + 1
    )
    score = 80
    passed = factory.LazyAttribute(lambda a: a.score >= a.quiz.pass_mark)
    language = "es"


# --- programmes (issue 18): more than one at once --------------------------------------------------


def programme_with_modules(title="Economía social", *, modules=2, lessons=2, threshold=80, slug=None, counted=None):
    """A live Spanish programme beside the curriculum's: `modules` modules of `lessons` lessons, no quiz.

    `counted` lists which module numbers (1-based) count for its certificate (all by default).
    Returns the programme page with `.module_pages` (in order) and `.lesson_pages` (all, in order).
    """
    from django.utils.text import slugify
    from wagtail.models import Locale, Page

    from courses.models import LessonPage, ModulePage, ProgrammePage

    locale = Locale.objects.get_or_create(language_code="es")[0]
    # Under the home programme (the site root) so that it has a URL, as load_curriculum places them.
    root = ProgrammePage.objects.filter(locale=locale, depth=2).order_by("path").first() or Page.get_first_root_node()
    slug = slug or f"prueba-{slugify(title)}"
    programme = root.add_child(
        instance=ProgrammePage(title=title, slug=slug, locale=locale, attendance_threshold=threshold)
    )
    programme.module_pages, programme.lesson_pages = [], []
    for number in range(1, modules + 1):
        module = programme.add_child(
            instance=ModulePage(
                title=f"{title} · módulo {number}",
                slug=f"{slug}-m{number}",
                summary="Resumen",
                order=number,
                counts_for_certificate=counted is None or number in counted,
            )
        )
        programme.module_pages.append(module)
        for lesson_number in range(1, lessons + 1):
            programme.lesson_pages.append(
                module.add_child(
                    instance=LessonPage(title=f"Lección {number}.{lesson_number}", slug=f"l{lesson_number}")
                )
            )
    return programme
