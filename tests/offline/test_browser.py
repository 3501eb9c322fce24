"""Offline in a real browser: keep a module, lose the connection, read, finish, answer, take attendance;
come back and find exactly one record of each on the server. Sign-out clears the personal pages.
And with service workers blocked, everything still works online.

Playwright (sync API) drives Debian's chromium (/usr/bin/chromium) against live_server, reusing the
e2e suite's browser and data (tests/e2e). Skipped, with the reason, when chromium is not installed.
"""

from __future__ import annotations

import datetime
import re
import time

import pytest

from tests.e2e import journeys
from tests.offline.conftest import PHONE, PIN_BACKEND, SKIP_REASON, STAFF_BACKEND, browser_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(SKIP_REASON is not None, reason=SKIP_REASON or "")]

CACHED = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    out[name] = (await cache.keys()).map(r => new URL(r.url).pathname + new URL(r.url).search);
  }
  return out;
}"""


def new_artisan():
    """An artisan of the demo cohort with nothing done yet (the demo artisans have some progress)."""
    from people.models import Cohort
    from tests.factories import ArtisanFactory

    profile = ArtisanFactory(
        cohort=Cohort.objects.get(facilitators=journeys.facilitator()),
        full_name="Catalina Méndez Ruiz",
        preferred_name="Catalina",
    )
    return profile


def wait_until(page, expression: str, timeout: float = 20) -> None:
    """Poll `expression` until it is true. Not page.wait_for_function: that evaluates a string inside the page,
    which the site's Content-Security-Policy refuses (no 'unsafe-eval'); page.evaluate goes through the
    browser's debugging protocol, outside the page's policy."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        time.sleep(0.1)


def controlled(page) -> None:
    """Wait until the service worker is installed and controls this page."""
    wait_until(page, "navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def answer_quiz(page, quiz) -> None:
    for question_id, answer in journeys.correct_answers(quiz).items():
        if isinstance(answer, list):
            for option in answer:
                page.check(f'input[name="q{question_id}"][value="{option}"]')
        else:
            page.fill(f"#q{question_id}-n", str(answer))


def arrived(page, condition, seconds: int = 30) -> None:
    """Wait (in the browser's time, letting it work) until the server has what the phone sent."""
    for _ in range(seconds * 4):
        if condition():
            return
        page.wait_for_timeout(250)
    raise AssertionError("what the phone kept never reached the server")


def status_text(page) -> str:
    page.locator("#offline-status").wait_for()
    return page.locator("#offline-status").inner_text()


def test_an_artisan_keeps_a_module_works_offline_and_everything_arrives_once(journey_factory, media_served):
    from assessments.models import Attempt
    from offline.models import OfflineWrite
    from progress.models import LessonCompletion

    journeys.baseline()
    catalina = new_artisan()
    module, lessons = journeys.programme_lessons()[0]
    lessons = [lesson.specific for lesson in lessons]
    quiz = journeys.module_quiz(module)
    j = journey_factory("artisan")
    page = j.page
    browser_sign_in(j.context, j.base_url, catalina.user, PIN_BACKEND)

    # Online: the module page offers to keep it, says how big it is first, then keeps it.
    j.goto(module.url)
    controlled(page)
    keep = page.locator("#keep-offline")
    keep.wait_for()
    # One step at a time: only "Keep for offline" shows until she asks (the `hidden` buttons stay hidden).
    ask, keep_it = '[data-act="ask"][data-for="idle removed"]', '[data-act="keep"][data-for="confirm"]'
    assert page.locator(ask).is_visible()
    assert page.locator(keep_it).is_hidden() and page.locator('[data-act="drop"]').is_hidden()
    page.click(ask)
    page.get_by_text(re.compile(r"Ocupa [\d.,]+ (KB|MB) en este teléfono")).wait_for()
    assert page.locator(ask).is_hidden() and page.locator(keep_it).is_visible()
    j.shot("size before saving")
    page.click(keep_it)
    page.get_by_text(re.compile(r"Guardado en este teléfono el .* \([\d.,]+ (KB|MB)\)")).wait_for(timeout=60_000)
    j.shot("module kept")
    cached = page.evaluate(CACHED)
    for lesson in lessons:
        assert lesson.url in cached["telar-content"], lesson.url  # a copy for anyone on the device
        assert lesson.url in cached["telar-personal"], lesson.url  # her copy, with her forms
    assert f"/quizzes/{quiz.pk}/" in cached["telar-personal"]
    assert any(url.startswith("/media/images/") for url in cached["telar-content"])

    # Offline: read a kept lesson, finish it, answer the quiz.
    j.context.set_offline(True)
    j.goto(module.url)
    wait_until(page, "[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert page.locator("figure.hero img").count() == 1  # the module's picture, from the phone
    j.goto(lessons[1].url)
    assert page.locator("h1").inner_text() == lessons[1].title
    wait_until(page, "[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    page.get_by_role("button", name="Terminé esta lección").click()
    page.wait_for_url(re.compile(r"/offline/\?q=1"))
    page.get_by_text("Se guardó en este teléfono").wait_for()
    assert "1 cosa por enviar" in status_text(page)  # a finished lesson is not an answer
    j.shot("lesson kept to send")
    page.get_by_role("link", name="Continuar").click()  # on to the next lesson, still offline
    assert page.locator("h1").inner_text() == lessons[2].title

    j.goto(f"/quizzes/{quiz.pk}/")
    answer_quiz(page, quiz)
    page.get_by_role("button", name="Enviar mis respuestas").click()
    page.wait_for_url(re.compile(r"/offline/\?q=1"))
    assert "2 cosas por enviar" in status_text(page)
    j.shot("two waiting")
    assert not LessonCompletion.objects.filter(user=catalina.user).exists(), "offline means nothing reached the server"
    assert not Attempt.objects.filter(user=catalina.user).exists()

    # Back online: sent by itself (the "online" event, the next page load), once; the page says it has gone.
    j.context.set_offline(False)
    page.get_by_text("Ya se envió todo lo que esperaba en este teléfono.").wait_for(timeout=30_000)  # this page
    arrived(page, lambda: OfflineWrite.objects.filter(user=catalina.user).count() == 2)
    j.goto(module.url)
    j.goto("/offline/")
    sent = page.locator('[data-list="sent"]')
    sent.get_by_text(f"“{lessons[1].title}”: guardada como terminada.").wait_for()
    sent.get_by_text(f"“{quiz.title}”: tus respuestas se enviaron; fue tu intento 1.").wait_for()
    page.get_by_text("No hay nada por enviar.").wait_for()
    j.shot("sent")
    for _ in range(2):
        assert LessonCompletion.objects.filter(user=catalina.user).count() == 1
        assert LessonCompletion.objects.get(user=catalina.user).lesson_key == lessons[1].translation_key
        assert Attempt.objects.filter(user=catalina.user).count() == 1
        assert Attempt.objects.get(user=catalina.user).score == 100
        assert OfflineWrite.objects.filter(user=catalina.user).count() == 2
        page.reload()
        page.wait_for_load_state("networkidle")

    # Online with the service worker in between, forms work as they always did.
    j.goto(lessons[0].url)
    page.get_by_role("button", name="Terminé esta lección").click()
    page.wait_for_url(re.compile(re.escape(lessons[1].url) + "$"))
    page.get_by_text("¡Muy bien! Tu avance está guardado.").wait_for()
    assert LessonCompletion.objects.filter(user=catalina.user).count() == 2

    # She signs out: her pages leave the device, the lessons stay.
    page.locator("button.btn--compact").click()
    page.wait_for_url(re.compile(r"/sign-in/"))
    cached = page.evaluate(CACHED)
    assert not cached.get("telar-personal"), cached.get("telar-personal")
    assert all(lesson.url in cached["telar-content"] for lesson in lessons)
    j.context.set_offline(True)
    j.goto(lessons[1].url)
    assert page.locator("h1").inner_text() == lessons[1].title
    assert page.get_by_role("button", name="Terminé esta lección").count() == 0
    assert catalina.preferred_name not in page.locator("header").inner_text()
    j.shot("after sign-out, offline: the lesson without her")
    j.goto("/progreso-que-no-existe/")
    page.get_by_text("Esta página no está guardada en este teléfono").wait_for()


def test_a_facilitator_takes_attendance_offline_and_it_arrives_once(journey_factory, media_served):
    from attendance.models import AttendanceRecord
    from attendance.services import session_create
    from people.models import Cohort

    journeys.baseline()
    rosa = journeys.facilitator()
    cohort = Cohort.objects.get(facilitators=rosa)
    session, _created = session_create(
        cohort=cohort, date=datetime.date.today(), start_time=datetime.time(10, 0), created_by=rosa
    )
    members = list(cohort.artisans.order_by("full_name").values_list("user_id", flat=True))[:4]
    j = journey_factory("facilitator")
    page = j.page
    browser_sign_in(j.context, j.base_url, rosa, STAFF_BACKEND)
    url = f"/facilitator/sessions/{session.pk}/"
    j.goto(url)
    controlled(page)
    j.goto(url)  # through the service worker now: kept for offline

    j.context.set_offline(True)
    j.goto(url)
    for index, user_id in enumerate(members):
        page.check(f'input[name="s{user_id}"][value="{"absent" if index == 3 else "present"}"]')
    j.shot("attendance offline")
    page.get_by_role("button", name="Guardar asistencia").click()
    page.wait_for_url(re.compile(r"/offline/\?q=1"))
    assert "1 cosa por enviar" in status_text(page)
    assert not AttendanceRecord.objects.filter(session=session).exists()

    j.context.set_offline(False)
    j.goto(url)
    arrived(page, lambda: AttendanceRecord.objects.filter(session=session).count() == 4)
    j.goto("/offline/")
    page.locator('[data-list="sent"]').get_by_text("guardada.").wait_for()
    j.shot("attendance sent")
    for _ in range(2):
        records = AttendanceRecord.objects.filter(session=session)
        assert records.count() == 4
        assert {record.recorded_by_id for record in records} == {rosa.pk}
        assert records.get(artisan_id=members[3]).status == "absent"
        page.reload()
        page.wait_for_load_state("networkidle")


def test_with_service_workers_blocked_everything_still_works_online(browser, live_server):
    """Progressive enhancement: no service worker, the same journeys, online."""
    from assessments.models import Attempt
    from attendance.models import AttendanceRecord
    from attendance.services import session_create
    from people.models import Cohort
    from progress.models import LessonCompletion

    journeys.baseline()
    catalina = new_artisan()
    module, lessons = journeys.programme_lessons()[0]
    quiz = journeys.module_quiz(module)
    context = browser.new_context(service_workers="block", viewport=PHONE, locale="es-MX")
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        browser_sign_in(context, live_server.url, catalina.user, PIN_BACKEND)
        page.goto(live_server.url + module.url)
        page.get_by_text("Este navegador no puede guardar módulos en el teléfono").wait_for()
        assert all(control.is_hidden() for control in page.locator("#keep-offline [data-for]").all())
        assert page.evaluate("navigator.serviceWorker.controller") is None
        page.goto(live_server.url + lessons[0].url)
        page.get_by_role("button", name="Terminé esta lección").click()
        page.wait_for_url(re.compile(re.escape(lessons[1].url) + "$"))
        page.get_by_text("¡Muy bien! Tu avance está guardado.").wait_for()
        page.goto(live_server.url + f"/quizzes/{quiz.pk}/")
        answer_quiz(page, quiz)
        page.get_by_role("button", name="Enviar mis respuestas").click()
        page.wait_for_url(re.compile(r"/quizzes/results/\d+/"))
        page.goto(live_server.url + "/offline/")
        page.get_by_text("Este navegador no puede guardar páginas en el teléfono").wait_for()
        for back, expected in [("//evil.example/x", "/"), ("/\\evil.example", "/"), (lessons[1].url, lessons[1].url)]:
            page.goto(live_server.url + "/offline/?q=1&back=" + back)
            assert page.get_by_role("link", name="Continuar").get_attribute("href") == expected  # never off-site
        assert LessonCompletion.objects.filter(user=catalina.user).count() == 1
        assert Attempt.objects.filter(user=catalina.user).count() == 1

        rosa = journeys.facilitator()
        cohort = Cohort.objects.get(facilitators=rosa)
        session, _created = session_create(
            cohort=cohort, date=datetime.date.today(), start_time=datetime.time(16, 0), created_by=rosa
        )
        context.clear_cookies()
        browser_sign_in(context, live_server.url, rosa, STAFF_BACKEND)
        page.goto(live_server.url + f"/facilitator/sessions/{session.pk}/?all=present")
        page.get_by_role("button", name="Guardar asistencia").click()
        page.get_by_text("Asistencia guardada").wait_for()
        assert AttendanceRecord.objects.filter(session=session).count() == cohort.artisans.count()
    finally:
        context.close()
