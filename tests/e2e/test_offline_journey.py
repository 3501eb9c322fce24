"""Offline tells the truth (issue 19) and answers outlive an expired session (issue 15, item 4), in a phone's browser.

At 360×640, with the network on, off and flapping (Playwright's offline switch): every state of "Guardar
sin conexión" shows exactly its own controls — checked with `is_visible()` on every control, the stable
states screenshotted, the passing ones (measuring, saving, removing) recorded by an observer as the page
drew them; /offline/ lists what waits by kind, in her words, with its state; two attempts made offline on
one kept quiz are attempts 1 and 2 and a third beyond a 2-attempt limit is shown as not counted; quiz
answers ticked after her session ended come back after signing in, with and without JavaScript, and are
sent once with their own one-time token. The journey fixture (tests/e2e/conftest.py) fails any test whose
browser asked another host for anything.
"""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings

from tests.e2e import journeys
from tests.offline.conftest import PIN_BACKEND, browser_sign_in


@pytest.fixture
def media_served(settings):
    """live_server serves static files but not uploads; the lessons' images must download as in production."""
    settings.ROOT_URLCONF = "tests.offline.urls"


CONTROLS = """() => [...document.querySelectorAll('#keep-offline [data-for]')]
  .filter(control => control.checkVisibility())
  .map(control => control.tagName === 'PROGRESS' ? 'progress' : control.dataset.act + ':' + control.dataset.for)"""

# Every change of state, with the controls visible at that moment (the passing states are too quick to catch).
RECORD_STATES = """
new MutationObserver(() => {
  const section = document.querySelector('#keep-offline');
  if (!section) return;
  window.keepStates = window.keepStates || [];
  const last = window.keepStates[window.keepStates.length - 1];
  const visible = [...section.querySelectorAll('[data-for]')].filter(c => !c.hidden && !section.hidden)
    .map(c => c.tagName === 'PROGRESS' ? 'progress' : c.dataset.act + ':' + c.dataset.for);
  const state = section.hidden ? 'hidden' : section.dataset.state;
  if (!last || last.state !== state) window.keepStates.push({state, visible});
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['hidden', 'data-state']});
"""

# Whether /offline/ ever listed a write as being sent (it lasts only as long as the request).
RECORD_SENDING = """
new MutationObserver(() => {
  if (document.querySelector('[data-list="queue"] li[data-state="sending"]')) window.sawSending = true;
}).observe(document, {subtree: true, childList: true});
"""

# The controls each state shows, and no other (offline/includes/module_keep.html).
EXPECTED = {
    "idle": ["ask:idle removed"],
    "sizing": [],
    "confirm": ["keep:confirm", "cancel:confirm"],
    "saving": ["progress"],
    "saved": ["drop:saved update"],
    "update": ["keep:update", "drop:saved update"],
    "removing": [],
    "removed": ["ask:idle removed"],
    "failed": ["ask:failed"],
    "unsupported": [],
}


def wait_until(page, expression: str, timeout: float = 30) -> None:
    """Poll through the debugging protocol (wait_for_function would need 'unsafe-eval', which the CSP refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(100)


def keep_state(page) -> str:
    return page.evaluate("document.querySelector('#keep-offline').dataset.state")


def in_state(j, state: str, words: str | None = None, *, shot: bool = True) -> None:
    """Wait for `state`, then check that exactly its controls are visible (and say `words`); a screenshot."""
    page = j.page
    wait_until(page, f"document.querySelector('#keep-offline').dataset.state === '{state}'")
    section = page.locator("#keep-offline")
    assert section.is_visible()
    assert sorted(page.evaluate(CONTROLS)) == sorted(EXPECTED[state]), (state, page.evaluate(CONTROLS))
    for control in page.locator("#keep-offline [data-for]").all():
        shown_in = control.get_attribute("data-for").split()
        assert control.is_visible() == (state in shown_in), (state, shown_in)
    if words:
        assert re.search(words, section.locator("[data-text]").inner_text()), section.inner_text()
    if shot:
        j.shot(f"keep {state}")


def recorded_states(page) -> list[dict]:
    return page.evaluate("window.keepStates || []")


def check_recorded(page, *states: str) -> None:
    """Each passing state was drawn with exactly its own controls."""
    seen = {entry["state"]: entry["visible"] for entry in recorded_states(page)}
    for state in states:
        assert state in seen, (state, recorded_states(page))
        assert sorted(seen[state]) == sorted(EXPECTED[state]), (state, seen[state])


def controlled(page) -> None:
    wait_until(page, "navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def new_artisan():
    from people.models import Cohort
    from tests.factories import ArtisanFactory

    return ArtisanFactory(
        cohort=Cohort.objects.get(facilitators=journeys.facilitator()),
        full_name="Catalina Méndez Ruiz",
        preferred_name="Catalina",
    )


def answer(page, quiz, *, right: bool) -> None:
    """Every question right, or every choice question wrong (the first wrong option)."""
    from assessments.models import Question

    for question_id, correct in journeys.correct_answers(quiz).items():
        name = f"q{question_id}"
        if isinstance(correct, list):
            if right:
                chosen = correct
            else:
                question = Question.objects.get(pk=question_id)
                chosen = [next(o.pk for o in question.options.all() if o.pk not in correct)]
            for option in chosen:
                page.check(f'input[name="{name}"][value="{option}"]')
        else:
            page.fill(f"#q{question_id}-n", str(correct if right else correct + 1000))


def queue_items(page) -> list[str]:
    return page.locator('[data-list="queue"] li').all_inner_texts()


def sent_items(page) -> list[str]:
    return page.locator('[data-list="sent"] li').all_inner_texts()


def arrived(page, condition, seconds: int = 40) -> None:
    for _ in range(seconds * 4):
        if condition():
            return
        page.wait_for_timeout(250)
    raise AssertionError("what the phone kept never reached the server")


def test_keep_for_offline_shows_each_state_with_its_own_controls_on_off_and_flapping(journey_factory, media_served):
    from wagtail.models import Page

    journeys.baseline()
    catalina = new_artisan()
    module, lessons = journeys.programme_lessons()[0]
    j = journey_factory("artisan")
    page = j.page
    page.add_init_script(RECORD_STATES)
    browser_sign_in(j.context, j.base_url, catalina.user, PIN_BACKEND)

    j.goto(module.url)
    controlled(page)
    in_state(j, "idle", "Guarda las lecciones")
    page.click('[data-act="ask"][data-for="idle removed"]')
    in_state(j, "confirm", r"Ocupa [\d.,]+ (KB|MB) en este teléfono")
    check_recorded(page, "sizing")
    page.click('[data-act="cancel"]')  # "Ahora no"
    in_state(j, "idle")
    page.click('[data-act="ask"][data-for="idle removed"]')
    in_state(j, "confirm", shot=False)
    page.click('[data-act="keep"][data-for="confirm"]')
    saved = r"Guardado en este teléfono el \d{1,2} de [a-z]+ de \d{4} \([\d.,]+ (KB|MB)\)"
    in_state(j, "saved", saved)
    check_recorded(page, "saving")

    # Offline: the module opens from the phone and says it is kept; nothing else offered.
    j.context.set_offline(True)
    j.goto(module.url)
    in_state(j, "saved", saved, shot=False)
    offline_line = page.locator("#offline-status").get_by_text("Sin conexión.")
    offline_line.wait_for()
    assert offline_line.is_visible()

    # Online again, and an editor has published a lesson since: "update available".
    j.context.set_offline(False)
    lesson = Page.objects.get(pk=lessons[0].pk).specific
    lesson.save_revision().publish()
    j.goto(module.url)
    in_state(j, "update", r"Este módulo cambió desde que lo guardaste el \d{1,2} de [a-z]+ de \d{4}")
    page.click('[data-act="keep"][data-for="update"]')
    in_state(j, "saved", saved, shot=False)

    # Removing, removed.
    page.click('[data-act="drop"]')
    in_state(j, "removed", "Se quitó de este teléfono.")
    check_recorded(page, "removing")

    # No connection when she asks: failed, and why; the connection comes and goes (flapping) until it works.
    j.context.set_offline(True)
    page.click('[data-act="ask"][data-for="idle removed"]')
    in_state(j, "failed", "No se pudo guardar: se perdió la conexión")
    j.context.set_offline(False)
    page.click('[data-act="ask"][data-for="failed"]')
    in_state(j, "confirm", shot=False)
    j.context.set_offline(True)
    page.click('[data-act="keep"][data-for="confirm"]')
    in_state(j, "failed", "No se pudo guardar", shot=False)
    j.context.set_offline(False)
    page.click('[data-act="ask"][data-for="failed"]')
    in_state(j, "confirm", shot=False)
    page.click('[data-act="keep"][data-for="confirm"]')
    in_state(j, "saved", saved, shot=False)

    # /offline/ lists the module kept, its size and when, counted with the plural rule.
    j.goto("/offline/")
    modules = page.locator('[data-list="modules"] li')
    modules.first.wait_for()  # the script lists what the phone holds once it has read its caches
    page.get_by_text("No hay nada por enviar.").wait_for()
    assert modules.count() == 1 and module.title in modules.inner_text()
    assert re.search(r"[\d.,]+ (KB|MB) · guardado el \d{1,2} de [a-z]+ de \d{4}", modules.inner_text())
    assert page.locator('[data-count="modules"]').inner_text() == "1 módulo guardado en este teléfono"
    assert page.get_by_text("Todavía no hay módulos guardados").is_hidden()  # in the page, not shown
    assert page.get_by_text("No hay nada por enviar.").is_visible()
    assert not page.locator('[data-show="nojs"]').is_visible()
    j.shot("offline page: one module kept")


def test_keep_for_offline_without_a_service_worker_or_javascript(browser, live_server, journey_factory):
    """Not supported: the module page says so and shows no button; without JavaScript it shows nothing at all."""
    from tests.e2e.conftest import PHONE

    journeys.baseline()
    module, _lessons = journeys.programme_lessons()[0]
    context = browser.new_context(service_workers="block", viewport=PHONE, locale="es-MX")
    try:
        page = context.new_page()
        page.goto(live_server.url + module.url)
        page.locator("#keep-offline").wait_for()
        wait_until(page, "document.querySelector('#keep-offline').dataset.state === 'unsupported'")
        assert page.evaluate(CONTROLS) == []
        assert page.get_by_text("Este navegador no puede guardar módulos en el teléfono").is_visible()
    finally:
        context.close()
    j = journey_factory("no-js", javascript=False)
    j.goto(module.url)
    assert j.page.locator("#keep-offline").is_hidden()
    assert all(control.is_hidden() for control in j.page.locator("#keep-offline [data-for]").all())
    j.goto("/offline/")
    assert j.page.locator('[data-show="nojs"]').is_visible()
    assert j.page.locator("[data-known]").is_hidden()  # nothing claimed that only the script could know
    j.shot("offline page without javascript")


def test_two_offline_attempts_on_a_kept_quiz_are_1_and_2_and_a_third_is_not_counted(journey_factory, media_served):
    from assessments.models import Attempt
    from offline.models import OfflineWrite, Outcome

    journeys.baseline()
    catalina = new_artisan()
    module, lessons = journeys.programme_lessons()[0]
    quiz = journeys.module_quiz(module)
    quiz.attempts_allowed = 2
    quiz.save()
    j = journey_factory("artisan")
    page = j.page
    page.add_init_script(RECORD_SENDING)
    browser_sign_in(j.context, j.base_url, catalina.user, PIN_BACKEND)
    j.goto(module.url)
    controlled(page)
    page.click('[data-act="ask"][data-for="idle removed"]')
    page.click('[data-act="keep"][data-for="confirm"]')
    wait_until(page, "document.querySelector('#keep-offline').dataset.state === 'saved'", timeout=60)

    j.context.set_offline(True)
    j.goto(lessons[1].url)
    page.get_by_role("button", name="Terminé esta lección").click()
    page.wait_for_url(re.compile(r"/offline/\?q=1"))
    status = page.locator("#offline-status").get_by_text("1 cosa por enviar")  # not "1 respuesta"
    status.wait_for()  # the script writes it once it has read the queue
    assert status.is_visible()
    for attempt, right in enumerate([False, True, True], start=1):
        j.goto(f"/quizzes/{quiz.pk}/")
        answer(page, quiz, right=right)
        page.get_by_role("button", name="Enviar mis respuestas").click()
        page.wait_for_url(re.compile(r"/offline/\?q=1"))
        page.locator("#offline-status").get_by_text(f"{attempt + 1} cosas por enviar").wait_for()
    items = queue_items(page)
    assert len(items) == 4, items
    assert items[0].startswith(f"Lección terminada: {lessons[1].title}")
    assert all(item.startswith("Evaluación del módulo 1") for item in items[1:]), items
    assert all("Esperando la conexión" in item for item in items), items
    assert page.locator('[data-count="queue"]').inner_text() == "4 cosas por enviar"
    assert not page.get_by_text("No hay nada por enviar.").is_visible()
    j.shot("four waiting, in her words")
    assert not Attempt.objects.filter(user=catalina.user).exists()

    # The connection flaps: on for a moment, off, then on for good. Everything arrives once, in order.
    j.context.set_offline(False)
    page.wait_for_timeout(50)
    j.context.set_offline(True)
    page.wait_for_timeout(500)
    j.context.set_offline(False)
    arrived(page, lambda: OfflineWrite.objects.filter(user=catalina.user).count() == 4)
    wait_until(page, "window.sawSending === true")  # "Enviándose…" was shown while they went
    j.goto("/offline/")
    page.get_by_text("No hay nada por enviar.").wait_for()
    attempts = list(Attempt.objects.filter(user=catalina.user).order_by("number"))
    assert [attempt.number for attempt in attempts] == [1, 2]
    assert attempts[0].score < 100 and attempts[1].score == 100  # in the order she made them
    assert OfflineWrite.objects.filter(user=catalina.user, outcome=Outcome.LATE).count() == 1
    sent = sent_items(page)
    assert len(sent) == 4, sent
    quiz_lines = [line for line in sent if line.startswith("Evaluación del módulo 1")]
    assert len(quiz_lines) == 3, sent
    assert sum("no cuenta" in line.lower() for line in quiz_lines) == 1, quiz_lines
    assert any("fue tu intento 1" in line for line in quiz_lines)
    assert any("fue tu intento 2" in line for line in quiz_lines)
    late = page.locator('[data-list="sent"] li[data-state="late"]')
    assert late.is_visible() and "Enviado, pero no cuenta" in late.inner_text()
    j.shot("sent: attempts 1 and 2, the third not counted")
    # Her result says where she stands: two attempts, none left.
    page.goto(j.url(f"/quizzes/{quiz.pk}/"))
    page.get_by_text("Ya usaste todos los intentos de esta evaluación").wait_for()
    assert Attempt.objects.filter(user=catalina.user).count() == 2


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_answers_ticked_after_the_session_ended_survive_signing_in(journey_factory, javascript):
    from assessments.models import Attempt
    from core.tokens import read_token

    journeys.baseline()
    petrona = journeys.artisan("HUX-004")
    module, _lessons = journeys.programme_lessons()[-1]
    quiz = journeys.module_quiz(module)
    Attempt.objects.filter(user=petrona.user, quiz_key=quiz.translation_key).delete()
    j = journey_factory("artisan", javascript=javascript)
    page = j.page
    browser_sign_in(j.context, j.base_url, petrona.user, PIN_BACKEND)
    j.goto(f"/quizzes/{quiz.pk}/")
    if javascript:
        controlled(page)
        j.goto(f"/quizzes/{quiz.pk}/")
    token = page.locator('input[name="token"]').get_attribute("value")
    answer(page, quiz, right=True)
    j.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # her session ended while she answered
    page.get_by_role("button", name="Enviar mis respuestas").click()
    page.wait_for_url(re.compile(r"/sign-in/"))
    j.shot("session ended: sign in")
    assert not Attempt.objects.filter(user=petrona.user, quiz_key=quiz.translation_key).exists()

    # She signs in again: group, her name, her PIN.
    link = page.get_by_role("link", name=re.compile(re.escape(petrona.centre)))
    if link.count():
        link.first.click()
    page.get_by_role("link", name=re.compile(re.escape(petrona.cohort))).first.click()
    page.get_by_role("link", name=re.compile(rf"\b{re.escape(petrona.preferred_name)}\b")).first.click()
    for digit in petrona.pin:
        page.locator(f"form.keypad button[value='{digit}']").click()
    page.wait_for_url(re.compile(rf"/quizzes/{quiz.pk}/"))
    page.get_by_text("Tus respuestas se guardaron mientras entrabas").wait_for()
    assert page.locator('input[name="token"]').get_attribute("value") == token
    for question_id, correct in journeys.correct_answers(quiz).items():
        if isinstance(correct, list):
            for option in correct:
                assert page.locator(f'input[name="q{question_id}"][value="{option}"]').is_checked()
    j.shot("her answers are back")
    page.get_by_role("button", name="Enviar mis respuestas").click()
    page.wait_for_url(re.compile(r"/quizzes/results/\d+/"))
    attempt = Attempt.objects.get(user=petrona.user, quiz_key=quiz.translation_key)
    assert attempt.score == 100 and attempt.token == read_token(token, scope=f"quiz:{quiz.pk}").nonce
