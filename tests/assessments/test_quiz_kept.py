"""The quiz page is kept whole per quiz, language, kind of visitor and tree version (assessments/quiz_take.html);
what is hers — attempts left, her result so far, her one-time tokens, the order of her options, her name — is a
hole drawn on every request. Compared with the page drawn fresh, never timed."""

import re

import pytest

from core.tokens import read_token
from tests import factories
from tests.assessments.conftest import answers_for, take_token
from tests.fixtures import PIN_BACKEND, STAFF_BACKEND, forget_kept

pytestmark = pytest.mark.django_db


def _same_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="-"', html)
    html = re.sub(r'name="token" value="[^"]+"', 'name="token" value="-"', html)
    return re.sub(r'data-tokens="[^"]+"', 'data-tokens="-"', html)


def _meta(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html.split('<p class="meta">', 1)[1].split("</p>", 1)[0])


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_woman_sees_her_own_attempts_tokens_and_name_on_the_kept_page(client, artisan, cohort, quiz):
    quiz.attempts_allowed = 3
    quiz.save()
    url = f"/quizzes/{quiz.pk}/"
    other = factories.ArtisanFactory(cohort=cohort, preferred_name="Juanita")
    client.force_login(artisan.user, backend=PIN_BACKEND)
    client.post(url, {**answers_for(quiz, right=False), "token": take_token(client, quiz)})
    forget_kept()
    mine = _page(client, url)
    client.force_login(other.user, backend=PIN_BACKEND)
    theirs = _page(client, url)  # from what her page left kept
    assert "Te quedan 2 intentos." in _meta(mine) and "Tu resultado hasta ahora" in _meta(mine)
    assert "Te quedan 3 intentos." in _meta(theirs) and "Tu resultado hasta ahora" not in _meta(theirs)
    assert artisan.preferred_name in mine and artisan.preferred_name not in theirs and "Juanita" in theirs
    for html, profile in ((mine, artisan), (theirs, other)):
        token = re.search(r'name="token" value="([^"]+)"', html).group(1)
        spare = re.search(r'data-tokens="([^"]+)"', html).group(1).split()
        for value in [token, *spare]:
            assert read_token(value, scope=f"quiz:{quiz.pk}", user_id=profile.user.pk) is not None
    assert re.search(r'name="token" value="([^"]+)"', mine).group(1) not in theirs


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_kept_quiz_page_is_the_page_drawn_fresh(client, artisan, cohort, quiz, module_quiz, prefix):
    """For an artisan, staff and a guest, in each language: kept (drawn after another visitor) == drawn fresh."""
    from assessments.models import Quiz

    facilitator = factories.FacilitatorFactory()
    english = Quiz.objects.get(translation_key=module_quiz.translation_key, locale__language_code="en")
    target = module_quiz if not prefix else english
    url = f"{prefix}/quizzes/{target.pk}/"
    visitors = [
        lambda: client.force_login(artisan.user, backend=PIN_BACKEND),
        lambda: client.force_login(facilitator, backend=STAFF_BACKEND),
        client.logout,
    ]
    fresh = []
    for sign_in in visitors:
        sign_in()
        forget_kept()
        fresh.append(_same_tokens(_page(client, url)))
    for sign_in, expected in zip(visitors, fresh, strict=True):
        sign_in()
        assert _same_tokens(_page(client, url)) == expected


def test_a_guest_is_sent_to_sign_in_and_back_to_the_address_she_asked_for(client, quiz):
    url = f"/quizzes/{quiz.pk}/"
    first = _page(client, url + "?de=casa")
    second = _page(client, url + "?de=centro")  # the same kept page, her own way back
    assert "de%3Dcasa" in first and "de%3Dcentro" in second and "de%3Dcasa" not in second
