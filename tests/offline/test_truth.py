"""Offline tells the truth and loses nothing (issue 19), and answers outlive an expired session (issue 15.4).

Server side: the words and default states the pages are sent with, the labels a kept form carries,
the spare tokens of a kept quiz (several offline attempts, each recorded once, in order, the one
beyond the limit kept but not counted), nothing that reaches another host, and quiz answers posted
after her session ended kept for her and sent with their own one-time token.
The browser side is tests/e2e/test_offline_journey.py.
"""

from __future__ import annotations

import datetime
import json
import re
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import Attempt
from core.tokens import read_token
from offline.models import OfflineWrite, Outcome
from tests.assessments.conftest import answers_for, build_quiz
from tests.fixtures import PIN_BACKEND, STAFF_BACKEND
from tests.offline.conftest import sync

pytestmark = pytest.mark.django_db

CSS = Path(settings.BASE_DIR) / "static" / "css" / "telar.css"


def artisan_client(profile) -> Client:
    client = Client()
    client.force_login(profile.user, backend=PIN_BACKEND)
    return client


@pytest.fixture
def quiz(modules):
    from assessments.models import Quiz

    Quiz.objects.filter(page=modules[1]).delete()
    return build_quiz(modules[1], attempts_allowed=2)


def page_tokens(html: str) -> list[str]:
    """The quiz form's token, then its spare tokens (data-tokens) for the copy kept on the phone."""
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    spare = re.search(r'data-tokens="([^"]*)"', html)
    return [token, *(spare.group(1).split() if spare else [])]


# --- `hidden` is honoured, and every state shows its own controls --------------------------------


def test_hidden_always_wins_in_the_site_css():
    css = CSS.read_text()
    assert re.search(r"\[hidden\]\s*\{\s*display:\s*none\s*!important;\s*\}", css)
    # No component may bring a hidden element back with an !important display of its own.
    assert len(re.findall(r"display:[^;]*!important", css)) == 1


def test_the_module_page_is_sent_in_its_default_state_with_only_its_own_controls(client, modules):
    html = client.get(modules[0].url).content.decode()
    section = re.search(r'<section id="keep-offline"[^>]*>.*?</section>', html, re.S).group(0)
    assert re.match(r'<section id="keep-offline" class="keep-offline" hidden data-state="idle"', section)
    controls = re.findall(r"<(?:button|progress)\b[^>]*>", section)
    assert len(controls) == 7
    states = {"idle", "confirm", "saving", "saved", "update", "removed", "failed"}
    for state in states:
        assert any(state in re.search(r'data-for="([^"]+)"', c).group(1).split() for c in controls), state
    for control in controls:
        shown_in = re.search(r'data-for="([^"]+)"', control).group(1).split()
        # As sent, a control is visible (once the script shows the section) exactly when it belongs to "idle".
        assert (" hidden" not in control) == ("idle" in shown_in), control
    visible = [c for c in controls if " hidden" not in c]
    assert len(visible) == 1 and 'data-act="ask"' in visible[0]
    for word in ("data-unsupported", "data-saving", "data-saved", "data-update", "data-removing", "data-removed"):
        assert word in section, word  # every state's words come with the page
    assert "No se pudo guardar: este teléfono ya no tiene espacio." in section


def test_the_offline_page_claims_nothing_until_the_script_knows(client):
    html = client.get("/offline/").content.decode()
    assert re.search(r"<div data-known hidden>", html)  # the lists, their counts and "nothing waiting"
    for name in ("queue", "sent", "modules"):
        assert re.search(rf'<p class="meta" data-empty="{name}" hidden>', html), name
    assert 'data-show="nojs">' in html  # what shows without the script


def test_the_offline_page_has_its_words_and_plural_forms_for_the_script(client):
    for path, language in (("/offline/", "es"), ("/en/offline/", "en")):
        html = client.get(path).content.decode()
        block = re.search(r'<script id="offline-words" type="application/json">(.*?)</script>', html)
        words = json.loads(block.group(1))
        if language == "es":
            assert words["queue"] == ["%s cosa por enviar", "%s cosas por enviar"]
            assert words["modules"] == ["%s módulo guardado en este teléfono", "%s módulos guardados en este teléfono"]
            assert words["states"]["late"] == "Enviado, pero no cuenta"
            assert words["states"]["rejected"] == "No se guardó"
            assert words["kinds"]["lesson"] == "Una lección terminada"
        else:
            assert words["queue"] == ["%s thing waiting to be sent", "%s things waiting to be sent"]
        assert set(words["states"]) == {"waiting", "sending", "recorded", "already", "partly", "late", "rejected"}


def test_a_finished_lesson_waiting_is_not_an_answer(client):
    html = client.get("/offline/").content.decode()
    assert 'data-one="1 cosa por enviar"' in html and 'data-many="2 cosas por enviar"' in html
    assert 'data-refused-one="1 cosa no se pudo guardar: mira por qué"' in html
    assert "respuesta por enviar" not in html
    assert 'data-one="1 thing waiting to be sent"' in client.get("/en/offline/").content.decode()


# --- What each kept form is, in her words ---------------------------------------------------------


def test_each_queueable_form_says_what_it_is(artisan, facilitator, cohort, lesson, modules):
    from assessments.models import Quiz
    from tests.attendance.factories import SessionFactory

    phone = artisan_client(artisan)
    html = phone.get(lesson.url).content.decode()
    assert f'data-offline-label="Lección terminada: {lesson.title}"' in html.replace("&#x27;", "'")
    quiz = Quiz.objects.get(page=modules[1], locale__language_code="es")
    html = phone.get(reverse("assessments:take", args=[quiz.pk])).content.decode()
    assert 'data-offline-label="Evaluación del módulo 2"' in html
    session = SessionFactory(cohort=cohort, date=datetime.date(2026, 12, 1))
    session.facilitators.add(facilitator)
    staff = Client()
    staff.force_login(facilitator, backend=STAFF_BACKEND)
    html = staff.get(reverse("attendance:session", args=[session.pk])).content.decode()
    assert 'data-offline-label="Asistencia del martes 1 de diciembre"' in html


# --- Several attempts on one kept quiz ------------------------------------------------------------


def test_a_kept_quiz_carries_a_token_for_each_attempt_left_and_one_more(artisan, quiz):
    phone = artisan_client(artisan)
    url = reverse("assessments:take", args=[quiz.pk])
    tokens = page_tokens(phone.get(url).content.decode())
    assert len(tokens) == 3 and len(set(tokens)) == 3  # 2 attempts left, and one for a try beyond them
    for token in tokens:
        found = read_token(token, scope=f"quiz:{quiz.pk}", user_id=artisan.user.pk)
        assert found is not None
    phone.post(url, {"token": tokens[0], **answers_for(quiz, right=False)})
    assert len(page_tokens(phone.get(url).content.decode())) == 2  # 1 left, and one more
    quiz.attempts_allowed = None
    quiz.save()
    assert len(page_tokens(phone.get(url).content.decode())) == 5  # unlimited: five tries offline


def test_three_offline_attempts_on_one_kept_page_make_attempts_1_and_2_and_one_not_counted(artisan, quiz):
    phone = artisan_client(artisan)
    url = reverse("assessments:take", args=[quiz.pk])
    tokens = page_tokens(phone.get(url).content.decode())  # the page kept on the phone, shown three times offline
    writes = [
        {
            "url": url,
            "body": urllib.parse.urlencode({"token": token, **answers_for(quiz, right=right)}, doseq=True),
            "at": int(time.time() * 1000),
        }
        for token, right in zip(tokens, [False, True, True], strict=True)
    ]
    answers = sync(Client(), *writes)
    assert [answer["status"] for answer in answers] == ["recorded", "recorded", "late"]
    assert "fue tu intento 1" in answers[0]["message"] and "fue tu intento 2" in answers[1]["message"]
    assert "no cuentan" in answers[2]["message"] and answers[2]["url"] == ""
    attempts = list(Attempt.objects.filter(user=artisan.user).order_by("number"))
    assert [(a.number, a.score) for a in attempts] == [(1, attempts[0].score), (2, 100)] and attempts[0].score < 100
    assert OfflineWrite.objects.get(outcome=Outcome.LATE).detail["score"] == 100
    # The queue sent again (a lost answer): nothing new, the same answers.
    again = sync(Client(), *writes)
    assert [answer["status"] for answer in again] == ["recorded", "recorded", "late"]
    assert Attempt.objects.filter(user=artisan.user).count() == 2 and OfflineWrite.objects.count() == 3


def test_a_refused_write_is_answered_never_dropped(artisan, quiz):
    url = reverse("assessments:take", args=[quiz.pk])
    answers = sync(Client(), {"url": url, "body": "token=forged&q1=2", "at": int(time.time() * 1000)})
    assert answers[0]["status"] == "rejected" and answers[0]["message"]


# --- Nothing leaves the site ----------------------------------------------------------------------


def test_no_call_to_another_host_is_configured():
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert settings.WAGTAILEMBEDS_FINDERS == []
    from wagtail.embeds.exceptions import EmbedUnsupportedProviderException
    from wagtail.embeds.finders import get_finders

    assert get_finders() == []
    with pytest.raises(EmbedUnsupportedProviderException):  # no finder: nothing is asked of any host
        from wagtail.embeds.embeds import get_embed

        get_embed("https://www.youtube.com/watch?v=dQw4w9WgXcQ")


def test_connect_src_is_self_on_the_site_and_in_the_admin(client, admin_user):
    from tests.lms.test_csp import directives

    assert directives(client.get("/offline/"))["connect-src"] == ["'self'"]
    client.force_login(admin_user, backend=STAFF_BACKEND)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert directives(dashboard)["connect-src"] == ["'self'"]
    html = dashboard.content.decode()
    assert "gravatar" not in html and "releases.wagtail" not in html and "data-w-upgrade" not in html
    # No src= or href= to a stylesheet, script or picture on another host.
    assert not re.findall(r'(?:src|href)="(?:https?:)?//(?!testserver)[^"]+\.(?:js|css|png|jpg|svg|woff2?)', html)


# --- Answers given after her session ended (issue 15, item 4) -------------------------------------


def test_answers_posted_after_the_session_ended_survive_signing_in_and_count_once(artisan, quiz):
    phone = artisan_client(artisan)
    url = reverse("assessments:take", args=[quiz.pk])
    token = page_tokens(phone.get(url).content.decode())[0]
    phone.logout()  # her session ended while the page was open
    answers = answers_for(quiz, right=True)
    response = phone.post(url, {"token": token, **answers})
    assert response.status_code == 302 and response["Location"].startswith(reverse("people:sign_in"))
    assert urllib.parse.quote(url, safe="") in response["Location"]
    assert not Attempt.objects.exists()

    phone.force_login(artisan.user, backend=PIN_BACKEND)  # she signs in again (the session's data is kept)
    html = phone.get(url).content.decode()
    assert "Tus respuestas se guardaron mientras entrabas" in html
    assert page_tokens(html)[0] == token  # the same one-time token
    for name, value in answers.items():
        for option in value if isinstance(value, list) else [value]:
            if name.endswith(str(quiz.questions.get(kind="numeric").pk)):
                assert f'value="{option}"' in html
            else:
                assert re.search(rf'name="{name}" value="{option}" checked', html), (name, option)
    first = phone.post(url, {"token": token, **answers})
    again = phone.post(url, {"token": token, **answers})  # a double tap
    attempt = Attempt.objects.get(user=artisan.user)
    assert attempt.token == read_token(token, scope=f"quiz:{quiz.pk}").nonce and attempt.score == 100
    assert first["Location"] == again["Location"] == reverse("assessments:result", args=[attempt.pk])
    assert "Tus respuestas se guardaron" not in phone.get(url).content.decode()  # sent: not offered again


def test_answers_kept_after_the_session_ended_are_never_shown_to_or_sent_for_someone_else(artisan, other_artisan, quiz):
    phone = artisan_client(artisan)
    url = reverse("assessments:take", args=[quiz.pk])
    token = page_tokens(phone.get(url).content.decode())[0]
    phone.logout()
    phone.post(url, {"token": token, **answers_for(quiz, right=True)})
    phone.force_login(other_artisan.user, backend=PIN_BACKEND)  # Juana signs in on the shared phone
    html = phone.get(url).content.decode()
    assert "Tus respuestas se guardaron" not in html and " checked" not in html
    assert page_tokens(html)[0] != token
    # Her form posted with Juana signed in: not recorded for Juana, her answers not shown to Juana.
    response = phone.post(url, {"token": token, **answers_for(quiz, right=True)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "eran de otra persona" in html and " checked" not in html
    assert not Attempt.objects.exists()


def test_a_forged_token_posted_without_a_session_keeps_nothing(client, artisan, quiz):
    url = reverse("assessments:take", args=[quiz.pk])
    client.post(url, {"token": "forged", **answers_for(quiz)})
    assert "telar_quiz_answers" not in client.session
