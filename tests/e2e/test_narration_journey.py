"""She hears a lesson: on a 360×640 phone, with and without JavaScript, and on Regular 2G. The "Escuchar" button
says the length and size; nothing of the recording downloads until she taps play, then it plays.

live_server does not serve MEDIA_ROOT (DEBUG is off in tests): the browser's requests for /media/narration/ are answered
from the very file the narration points to, and every such request is counted.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

import pytest
from django.conf import settings

from . import journeys
from .test_artisan_journey import REGULAR_2G


def _serve_media(j) -> list[str]:
    fetched: list[str] = []

    def handle(route):
        url = route.request.url
        fetched.append(url)
        path = Path(settings.MEDIA_ROOT) / url.split("/media/", 1)[1].split("?", 1)[0]
        if not path.is_file():
            route.fulfill(status=404, body="")
            return
        route.fulfill(
            status=200,
            body=path.read_bytes(),
            headers={"Content-Type": mimetypes.guess_type(path.name)[0] or "audio/ogg", "Accept-Ranges": "none"},
        )

    j.context.route(re.compile(r".*/media/narration/.*"), handle)
    return fetched


def _first_lesson():
    from courses.models import LessonPage

    return (
        LessonPage.objects.live()
        .filter(locale__language_code="es", narration__isnull=False)
        .select_related("narration")
        .order_by("path")
        .first()
    )


def _listen(j, lesson, fetched: list[str], *, javascript: bool) -> None:
    page = j.page
    j.goto(lesson.url)
    button = page.locator("details.listen > summary").first
    button.wait_for()
    text = button.inner_text()
    assert "Escuchar" in text and "min" in text and "KB" in text, text
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300, box  # a large target at 360 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 if javascript else True
    page.wait_for_timeout(300)
    assert fetched == [], f"audio fetched before she tapped: {fetched}"
    j.shot("lesson with the listen button")
    button.click()
    audio = page.locator("details.listen audio").first
    audio.wait_for()
    assert audio.get_attribute("preload") == "none" and audio.get_attribute("autoplay") is None
    assert fetched == [], f"audio fetched when opening the player: {fetched}"
    box = audio.bounding_box()
    with page.expect_request(re.compile(r".*/media/narration/.*\.ogg")):
        page.mouse.click(box["x"] + 20, box["y"] + box["height"] / 2)  # the native player's play button
    j.shot("playing")
    assert any(lesson.narration.file.name in url for url in fetched), fetched
    if javascript:
        page.wait_for_function(
            "() => { const a = document.querySelector('details.listen audio'); "
            "return a && a.currentTime > 0.2 && !a.error; }",
            timeout=15_000,
        )


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_she_plays_a_lesson_narration_on_a_phone(journey_factory, javascript):
    journeys.baseline()
    lesson = _first_lesson()
    assert lesson is not None, "the demo narrates every Spanish lesson"
    j = journey_factory("javascript" if javascript else "no-javascript", javascript=javascript)
    fetched = _serve_media(j)
    _listen(j, lesson, fetched, javascript=javascript)


def test_on_regular_2g_the_lesson_costs_no_audio_until_play(journey_factory):
    journeys.baseline()
    lesson = _first_lesson()
    j = journey_factory("2g", network=REGULAR_2G)
    fetched = _serve_media(j)
    _listen(j, lesson, fetched, javascript=True)
