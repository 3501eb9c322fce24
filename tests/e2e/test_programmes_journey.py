"""An artisan in both programmes on a 360×640 phone (issue 18): her home and Mi avance show each programme
with its own modules and progress, with and without JavaScript."""

from __future__ import annotations

import pytest

from . import journeys
from .test_artisan_journey import sign_in


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_an_artisan_in_both_programmes_sees_both(journey_factory, javascript):
    from courses.models import ProgrammePage
    from lms.demo import IN_BOTH, IN_BOTH_SECOND_LESSONS, SECOND_PROGRAMME_SLUG

    journeys.baseline()
    who = journeys.artisan(IN_BOTH)
    workshops = ProgrammePage.objects.filter(locale__language_code="es").order_by("path").first()
    second = ProgrammePage.objects.get(slug=SECOND_PROGRAMME_SLUG, locale__language_code="es")
    j = journey_factory("both-programmes-" + ("javascript" if javascript else "no-javascript"), javascript=javascript)
    page = j.page

    j.goto("/")
    sign_in(j, who)
    # Home (the workshops' page): her progress there, and her other programme with its own progress.
    others = page.locator("ol.programme-list li")
    others.first.wait_for()
    assert others.count() == 1
    assert second.title in others.first.inner_text()
    assert "0 de 4 módulos terminados" in others.first.inner_text()
    j.shot("home with her two programmes")

    # Her second programme's page: its own four modules, her progress in it.
    others.first.locator("a").click()
    page.wait_for_url(f"**{second.url}")
    assert page.locator("ol.card-list li.card").count() == 4
    assert "Has terminado 0 módulos de 4" in page.locator(".my-progress").inner_text()
    j.shot("second programme")

    # Mi avance: both programmes, each with its modules and its constancia block.
    page.locator("header a[href$='/progress/']").click()
    sections = page.locator("section.programme-progress")
    sections.first.wait_for()
    assert sections.count() == 2
    first, other = sections.nth(0), sections.nth(1)
    assert workshops.title in first.locator("h2").first.inner_text()
    assert second.title in other.locator("h2").first.inner_text()
    assert first.locator("ol.module-progress li").count() == 6
    assert other.locator("ol.module-progress li").count() == 4
    assert f"{IN_BOTH_SECOND_LESSONS} de" in other.locator("ol.module-progress li").first.inner_text()
    assert first.locator("[id^='my-certificate-']").count() == other.locator("[id^='my-certificate-']").count() == 1
    j.shot("my progress in both programmes")
