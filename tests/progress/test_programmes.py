"""An artisan in two programmes (issue 18): home and Mi avance show each with its own progress and constancia."""

import pytest
from django.urls import reverse

from certificates.models import Certificate
from progress.models import LessonCompletion
from tests.budgets import page_query_count
from tests.certificates.conftest import after_commit, attend
from tests.factories import ArtisanFactory, CohortFactory, EnrolmentFactory, programme_with_modules

pytestmark = pytest.mark.django_db


@pytest.fixture
def economia(db):
    return programme_with_modules("Economía social y clientes", modules=2, lessons=2, threshold=60)


@pytest.fixture
def in_both(cohort, economia):
    profile = ArtisanFactory(cohort=cohort, preferred_name="Xunkaʼ")
    EnrolmentFactory(user=profile.user, cohort=CohortFactory(name="Grupo Economía", programme=economia))
    return profile.user


def done(user, lessons):
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(user=user, lesson_key=lesson.translation_key, language="es") for lesson in lessons]
    )


def test_mi_avance_lists_each_programme_with_its_own_progress_and_constancia(
    client, in_both, economia, programme, modules
):
    done(in_both, economia.lesson_pages[:3])
    client.force_login(in_both)
    html = client.get(reverse("progress:mine")).content.decode()
    assert html.count('class="programme-progress"') == 2
    first, second = html.split('class="programme-progress"')[1:]
    assert programme.title in first and economia.title in second
    assert modules[0].title in first and modules[0].title not in second
    assert economia.module_pages[0].title in second and economia.module_pages[0].title not in first
    assert "Has terminado 1 módulo de 2" in second  # economía: one of its two modules, none of the six
    assert "Has terminado 0 módulos de 6" in first
    assert first.count('id="my-certificate-') == second.count('id="my-certificate-') == 1


def test_each_earned_certificate_is_offered_in_its_own_programme(client, in_both, economia, programme):
    done(in_both, economia.lesson_pages)
    economia_cohort = in_both.enrolments.get(cohort__programme=economia).cohort
    attend(in_both, economia_cohort, present=3, absent=2)
    from certificates.services import check_and_issue_many

    with after_commit():
        [certificate] = check_and_issue_many(users=[in_both])
    client.force_login(in_both)
    html = client.get(reverse("progress:mine")).content.decode()
    first, second = html.split('class="programme-progress"')[1:]
    link = "/certificates/mine/"  # her only certificate: the plain link (several name their programme)
    assert link in second and "Descargar mi constancia" in second
    assert "Descargar mi constancia" not in first
    response = client.get(f"{link}?programme={certificate.programme_key}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(f"{link}?programme={programme.translation_key}").status_code == 404
    assert Certificate.objects.get(user=in_both).programme_key == economia.translation_key


def test_home_lists_her_other_programme(client, in_both, economia, programme):
    done(in_both, economia.lesson_pages[:2])
    client.force_login(in_both)
    html = client.get(programme.url).content.decode()
    assert "Tus otros programas" in html
    assert economia.title in html and f'href="{economia.url}"' in html
    assert "1 de 2 módulos terminados" in html


def test_a_programme_page_shows_its_own_modules_and_her_progress_in_it(client, in_both, economia, modules):
    done(in_both, economia.lesson_pages[:2])
    client.force_login(in_both)
    html = client.get(economia.url).content.decode()
    assert economia.module_pages[1].title in html and modules[0].title not in html
    assert "Has terminado 1 módulo de 2" in html


def test_mi_avance_takes_the_same_queries_for_one_and_three_programmes(client, cohort):
    profile = ArtisanFactory(cohort=cohort)
    client.force_login(profile.user)
    one = page_query_count(client, reverse("progress:mine"))
    for number in range(2):
        extra = programme_with_modules(f"Programa extra {number}", modules=2, lessons=1)
        EnrolmentFactory(user=profile.user, cohort=CohortFactory(name=f"Grupo extra {number}", programme=extra))
    three = page_query_count(client, reverse("progress:mine"))
    assert three == one, (one, three)
