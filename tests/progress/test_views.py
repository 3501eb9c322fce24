"""Progress on screen: the "I finished this lesson" button, Mi avance, the home and module summaries."""

import re

import pytest
from django.test import Client

from assessments.selectors import ModuleQuizResult
from courses.models import LessonPage
from people.views import PENDING_DONE_SESSION_KEY
from progress.models import LessonCompletion
from tests import factories

pytestmark = pytest.mark.django_db

NOT_PASSED = ModuleQuizResult(passed=False, score=None)
PASSED = ModuleQuizResult(passed=True, score=100)

PIN_BACKEND = "people.backends.PinBackend"


def lessons_of(module):
    return list(LessonPage.objects.child_of(module).live().order_by("path"))


def done_url(lesson):
    return f"/progress/lessons/{lesson.pk}/done/"


@pytest.fixture
def her(client, artisan):
    client.force_login(artisan.user, backend=PIN_BACKEND)
    return client


def test_the_button_is_one_post_form(her, lesson):
    html = her.get(lesson.url).content.decode()
    assert f'<form method="post" action="{done_url(lesson)}" data-offline-label="Lección terminada: ' in html
    assert "Terminé esta lección" in html


def test_done_lands_on_the_next_lesson_and_repeating_changes_nothing(her, artisan, modules):
    lessons = lessons_of(modules[0])
    response = her.post(done_url(lessons[0]))
    assert response.status_code == 302 and response["Location"] == lessons[1].url
    first = LessonCompletion.objects.get(user=artisan.user)
    again = her.post(done_url(lessons[0]))
    assert again["Location"] == lessons[1].url
    assert list(LessonCompletion.objects.filter(user=artisan.user)) == [first]
    html = her.get(lessons[0].url).content.decode()
    assert "Ya terminaste esta lección" in html and done_url(lessons[0]) not in html


def test_after_the_last_lesson_she_lands_on_the_module(her, modules):
    last = lessons_of(modules[1])[-1]
    response = her.post(done_url(last))
    assert response["Location"] == modules[1].url


def test_done_in_english_goes_on_in_english_and_counts_in_spanish(her, artisan, lesson):
    english = LessonPage.objects.get(translation_key=lesson.translation_key, locale__language_code="en")
    response = her.post(f"/en{done_url(english)}")
    assert response["Location"].startswith("/en/")
    assert "Ya terminaste esta lección" in her.get(lesson.url).content.decode()


def test_unknown_or_unpublished_lesson_is_404(her, lesson, modules):
    assert her.post("/progress/lessons/999999/done/").status_code == 404
    assert her.post(done_url(modules[0])).status_code == 404  # a module is not a lesson
    lesson.unpublish()
    assert her.post(done_url(lesson)).status_code == 404
    assert not LessonCompletion.objects.exists()


def test_get_is_not_allowed(her, lesson):
    assert her.get(done_url(lesson)).status_code == 405
    assert not LessonCompletion.objects.exists()


def test_guests_read_lessons_and_are_invited_to_sign_in(client, lesson):
    html = client.get(lesson.url).content.decode()
    assert "/sign-in/?next=" in html and "<form" not in html.split('class="lesson-done"')[1].split("</div>")[0]


def test_a_post_after_the_session_expired_is_never_silently_dropped(client, artisan, lesson):
    """Her tap after 30 idle minutes: sign in, come back to the lesson, asked to tap again — and it is
    never recorded for whoever signs in next on the shared device."""
    response = client.post(done_url(lesson))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/?next=")
    assert client.session[PENDING_DONE_SESSION_KEY] == lesson.pk
    assert not LessonCompletion.objects.exists()
    sign_in = client.get(response["Location"]).content.decode()
    assert 'role="status"' in sign_in  # the message says why she is here
    for index, digit in enumerate(factories.TEST_PIN):
        response = client.post(
            f"/sign-in/artisan/{artisan.user_id}/", {"key": digit, "n": str(index), "next": lesson.url}
        )
    assert response["Location"] == lesson.url
    html = client.get(lesson.url).content.decode()
    assert "Terminé esta lección" in html and "notice notice--warning" in html
    assert not LessonCompletion.objects.exists()
    client.post(done_url(lesson))
    assert LessonCompletion.objects.filter(user=artisan.user).count() == 1


def test_mi_avance_shows_six_modules_with_status_and_continue(her, artisan, modules):
    lessons = lessons_of(modules[0])
    her.post(done_url(lessons[0]))
    html = her.get("/progress/").content.decode()
    assert "<h1>Mi avance</h1>" in html and "Mari" in html
    assert html.count('<li style="--band:') == 6
    assert "En curso" in html and "Sin empezar" in html
    assert re.search(rf'<a class="btn btn--block" href="{re.escape(lessons[1].url)}">', html)
    assert "Continuar" in html


def test_mi_avance_in_english(her, modules):
    html = her.get("/en/progress/").content.decode()
    english = modules[0].get_translation(modules[0].get_default_locale().__class__.objects.get(language_code="en"))
    assert english.title in html and "My progress" in html


def test_home_shows_the_same_summary_when_signed_in(her, client, modules):
    html = her.get("/").content.decode()
    assert 'class="my-progress"' in html and "Empezar" in html
    # each module once (issue 15): its card, with her status on it
    for module in modules:
        assert html.count(f'href="{module.url}"') == 1, module.title
    assert html.count('<li class="card" style="--band:') == 6 and html.count("status--not_started") == 6
    her.post(done_url(lessons_of(modules[0])[0]))
    html = her.get("/").content.decode()
    assert "Continuar" in html and html.count("status--in_progress") == 1
    her.logout()
    assert 'class="my-progress"' not in client.get("/").content.decode()


def test_module_page_shows_her_progress_and_ticks(her, modules):
    lessons = lessons_of(modules[2])
    her.post(done_url(lessons[0]))
    html = her.get(modules[2].url).content.decode()
    assert html.count('class="status status--complete"') == 1
    assert f'<a class="btn btn--block" href="{lessons[1].url}">' in html


def test_an_artisan_never_sees_another_artisans_progress(client, artisan, cohort, modules, without_quizzes):
    other = factories.ArtisanFactory(cohort=cohort, preferred_name="Juanita")
    client.force_login(other.user, backend=PIN_BACKEND)
    for lesson in lessons_of(modules[0]):
        client.post(done_url(lesson))
    client.force_login(artisan.user, backend=PIN_BACKEND)
    html = client.get("/progress/").content.decode()
    assert "Terminado" not in html and "Juanita" not in html
    assert 'class="status status--complete"' not in client.get(modules[0].url).content.decode()


def test_staff_see_no_button_and_cannot_record(client, facilitator, lesson):
    client.force_login(facilitator, backend="people.backends.StaffBackend")
    html = client.get(lesson.url).content.decode()
    assert done_url(lesson) not in html
    assert client.post(done_url(lesson)).status_code == 403


def test_marking_done_needs_the_csrf_token(artisan, lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(artisan.user, backend=PIN_BACKEND)
    assert client.post(done_url(lesson)).status_code == 403
    assert not LessonCompletion.objects.exists()
    page = client.get(lesson.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(done_url(lesson), {"csrfmiddlewaretoken": token}).status_code == 302
    assert LessonCompletion.objects.count() == 1


def test_a_module_waiting_for_its_quiz_says_so(her, artisan, modules, monkeypatch):
    from progress import selectors

    key = modules[0].translation_key
    monkeypatch.setattr(
        selectors,
        "quiz_results",
        lambda users, keys: {artisan.user_id: {key: NOT_PASSED}},
    )
    for lesson in lessons_of(modules[0]):
        her.post(done_url(lesson))
    html = her.get("/progress/").content.decode()
    assert "Falta la evaluación" in html
    assert f'<a class="btn btn--block" href="{modules[0].url}">' in html  # Continuar goes to the module and its quiz
