"""Dominga on a 360×640 phone (issue 15): she finished every module but came to 4 of 6 sessions. The name
screen shows each woman of her group a different picture; Mi avance and the home page say exactly what is
left for her constancia, and never congratulate her. With and without JavaScript."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest

from tests.people.faces import faces_in

from . import journeys
from .test_artisan_journey import sign_in

DOMINGA = "HUX-010"


def _dominga() -> journeys.Artisan:
    from lms.demo import ARTISANS
    from people.models import ArtisanProfile

    profile = ArtisanProfile.objects.select_related("user", "cohort__centre").get(external_id=DOMINGA)
    _id, full_name, preferred, pin, _lessons = next(row for row in ARTISANS if row[0] == DOMINGA)
    return journeys.Artisan(profile.user, full_name, preferred, pin, profile.cohort.centre.name, profile.cohort.name)


def _finish_everything(who: journeys.Artisan) -> None:
    from assessments.services import attempt_submit
    from progress.services import lesson_mark_done

    _module, last_lesson, last_quiz = journeys.finish_everything_but_the_last(who)
    lesson_mark_done(user=who.user, lesson=last_lesson)
    if last_quiz is not None:
        attempt_submit(user=who.user, quiz=last_quiz, answers=journeys.correct_answers(last_quiz), token=uuid.uuid4())


def _four_of_six_sessions(who: journeys.Artisan) -> None:
    from attendance.services import Entry, attendance_save, sessions_create_series
    from people.models import Cohort

    by = journeys.facilitator()
    cohort = Cohort.objects.get(artisans__user=who.user)
    modules = [module for module, _lessons in journeys.programme_lessons()][:6]
    series = sessions_create_series(
        cohort=cohort,
        first_date=datetime.date.today() - datetime.timedelta(weeks=7),
        start_time=datetime.time(10, 0),
        created_by=by,
        modules=modules,
        place="Salón comunal",
    )
    sessions = sorted(series.created + series.existing, key=lambda session: session.date)
    assert len(sessions) == 6
    for index, session in enumerate(sessions):
        status = "present" if index < 4 else "absent"
        attendance_save(session=session, entries=[Entry(artisan_id=who.user.pk, status=status)], recorded_by=by)


def _lines(locator) -> list[str]:
    return [re.sub(r"\s+", " ", text).strip() for text in locator.all_inner_texts()]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_an_artisan_blocked_by_attendance_reads_exactly_what_is_missing(journey_factory, javascript):
    journeys.baseline()
    who = _dominga()
    # Her attendance first, then her modules: with the sessions recorded the other way round, her rate
    # would have been 100 % after the first session and the certificate issued then (as the rule says).
    _four_of_six_sessions(who)
    _finish_everything(who)
    j = journey_factory("standing-" + ("javascript" if javascript else "no-javascript"), javascript=javascript)
    page = j.page

    # The first sign-in screen is step 1 (one centre: her group comes first).
    j.goto("/sign-in/")
    assert "Paso 1 de 3" in page.locator("main .eyebrow").first.inner_text()
    j.shot("sign-in step 1")

    # Her group's name screen: a picture per woman, no two alike, all from the one sprite.
    page.get_by_role("link", name=re.compile(re.escape(who.cohort))).first.click()
    page.get_by_role("link", name=re.compile(rf"\b{re.escape(who.preferred_name)}\b")).first.wait_for()
    assert "Paso 2 de 3" in page.locator("main .eyebrow").first.inner_text()
    faces = page.locator("ul.link-list--picker .avatar")
    pictures = faces_in(page.locator("ul.link-list--picker").inner_html())
    assert len(pictures) == page.locator("ul.link-list--picker li").count() >= 10
    assert len(set(pictures)) == len(pictures), pictures
    uses = page.locator("ul.link-list--picker svg use")
    sprites = {uses.nth(index).get_attribute("href").split("#")[0] for index in range(uses.count())}
    assert len(sprites) == 1 and "faces" in sprites.pop()
    box = faces.first.bounding_box()
    assert box is not None and box["width"] >= 40  # a picture she can see, not a dot
    j.shot("name screen, every picture different")

    # Sign in as she would, from the home page.
    j.goto("/")
    sign_in(j, who)

    # Home: her modules once each, no congratulations, the one thing left.
    main = page.locator("main")
    text = main.inner_text()
    assert "Felicidades" not in text and "Terminaste todo el programa" not in text, text
    assert "Terminaste los módulos de este programa." in text
    assert _lines(page.locator(".my-progress ul.checklist li")) == ["Te falta: asistir a 4 sesiones más"]
    assert page.locator("ol.card-list:not(.programmes) li.card").count() == 6
    j.shot("home: what is left")

    # Mi avance: per module lessons and quiz, her attendance, and exactly what is missing.
    page.locator("header a[href$='/progress/']").click()
    page.locator("ol.module-progress").wait_for()
    text = page.locator("main").inner_text()
    assert "Felicidades" not in text and "Cuando termines" not in text
    assert "Asistencia: 4 de 6 sesiones; se necesita 80 %" in text
    modules = page.locator("ol.module-progress li")
    assert modules.count() == 6
    for index in range(6):
        line = modules.nth(index).inner_text()
        assert "Terminado" in line and "aprobada" in line and "todavía no aprobada" not in line, line
    checklist = page.locator("section.programme-progress").first.locator("ul.checklist li")
    assert _lines(checklist) == ["Te falta: asistir a 4 sesiones más"]
    assert page.locator("a[href*='/certificates/mine/']").count() == 0
    if javascript:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    j.shot("mi avance: blocked by attendance")
