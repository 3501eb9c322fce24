"""The page header is kept (drawn once per tree version and language in each worker) but for its holes:
the language links of the address she is on, and who is signed in. Checked on what the pages show."""

import re

import pytest
from django.urls import reverse

from tests.fixtures import PIN_BACKEND

pytestmark = pytest.mark.django_db


def _language_links(html: str) -> dict[str, str]:
    nav = html.split('class="site-header__languages"', 1)[1].split("</nav>", 1)[0]
    return {code: href for href, code in re.findall(r'<a href="([^"]*)" hreflang="([^"]+)"', nav)}


def _account(html: str) -> str:
    return html.split('<div class="account">', 1)[1].split("</div>", 1)[0]


def test_mi_avance_links_to_itself_in_the_other_language_in_both_languages(client, artisan):
    client.force_login(artisan.user, backend=PIN_BACKEND)
    for _ in range(2):  # drawn, then kept
        assert _language_links(client.get("/progress/").content.decode()) == {"en": "/en/progress/"}
        assert _language_links(client.get("/en/progress/").content.decode()) == {"es": "/progress/"}


def test_an_address_with_parts_links_to_its_own_parts_never_to_a_kept_one(client):
    """The verification page of one code never links to another code's (nothing a visitor types is kept)."""
    first = _language_links(client.get(reverse("certificates:verify_code", args=["AAAA-1111"])).content.decode())
    second = _language_links(client.get(reverse("certificates:verify_code", args=["BBBB-2222"])).content.decode())
    assert first["en"].endswith("/AAAA-1111/") and second["en"].endswith("/BBBB-2222/")


def test_a_query_stays_in_the_language_links_and_is_never_kept(client):
    from django.utils import translation

    url = reverse("people:sign_in")
    with translation.override("en"):
        english = reverse("people:sign_in")
    assert _language_links(client.get(f"{url}?next=/progress/").content.decode())["en"] == f"{english}?next=/progress/"
    assert _language_links(client.get(f"{url}?next=/modulo/").content.decode())["en"] == f"{english}?next=/modulo/"
    assert _language_links(client.get(url).content.decode())["en"] == english


def test_her_name_is_escaped_in_the_kept_account_area(client, artisan):
    artisan.preferred_name = '<b onclick="x">Ana & Rosa</b>'
    artisan.save()
    client.force_login(artisan.user, backend=PIN_BACKEND)
    for _ in range(2):
        account = _account(client.get("/progress/").content.decode())
        assert "&lt;b onclick=&quot;x&quot;&gt;Ana &amp; Rosa&lt;/b&gt;" in account and "<b " not in account


def test_each_request_gets_a_csrf_token_that_signs_her_out(artisan):
    """The kept drawing's token mark is filled on every request with a working token (CSRF checks on)."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(artisan.user, backend=PIN_BACKEND)
    tokens = []
    for _ in range(2):
        account = _account(client.get("/progress/").content.decode())
        tokens.append(account.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0])
    assert tokens[0] != tokens[1]  # masked afresh each time
    response = client.post(reverse("people:sign_out"), {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_a_guest_is_offered_to_sign_in_and_come_back(client, lesson):
    account = _account(client.get(lesson.url).content.decode())
    assert f'href="{reverse("people:sign_in")}?next={lesson.url}"' in account


def test_a_quiz_page_links_to_its_own_address_and_an_unknown_quiz_is_never_kept(client, artisan, modules):
    from assessments.models import Quiz
    from courses import cache

    client.force_login(artisan.user, backend=PIN_BACKEND)
    quizzes = Quiz.objects.filter(locale__language_code="es").order_by("pk")[:2]
    for _ in range(2):  # drawn, then kept
        for quiz in quizzes:
            links = _language_links(client.get(reverse("assessments:take", args=[quiz.pk])).content.decode())
            assert links == {"en": f"/en/quizzes/{quiz.pk}/"}
    assert client.get(reverse("assessments:take", args=[987654])).status_code == 404
    assert not any("987654" in repr(key) for key in cache._state["entries"])
