"""An editor changes a lesson in the Wagtail admin, publishes it, and sees it live."""

from __future__ import annotations

from . import journeys

LAPTOP = {"width": 1280, "height": 900}


def test_editor_changes_a_lesson_publishes_and_sees_it_live(journey_factory):
    journeys.baseline()
    module, lessons = journeys.programme_lessons()[1]
    lesson = lessons[0]
    new_intro = "Los colores de temporada cambian cada año: observa, elige y conserva tu identidad."

    j = journey_factory("editor", viewport=LAPTOP)
    page = j.page
    j.goto("/admin/login/")
    page.fill("input[name=username]", journeys.EDITOR[0])
    page.fill("input[name=password]", journeys.EDITOR[1])
    j.shot("admin sign-in")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")
    j.shot("admin home")

    # To the lesson through the page explorer: programme → module → lesson.
    j.goto(f"/admin/pages/{module.pk}/")
    page.get_by_role("link", name=lesson.title).first.wait_for()
    j.shot("module pages in the explorer")
    j.goto(f"/admin/pages/{lesson.pk}/edit/")
    intro = page.locator("#id_intro")
    intro.wait_for()
    intro.fill(new_intro)
    j.shot("lesson edited")

    # Publish lives in the footer's action menu, behind the "more actions" toggle.
    publish = page.locator("button[name=action-publish]")
    if not publish.is_visible():
        page.locator(
            "footer [aria-label], footer button.dropdown-toggle, footer [data-w-dropdown-target=toggle]"
        ).last.click()
    publish.click()
    page.wait_for_url(lambda url: "/edit/" not in url or "published" in url)
    page.locator(".messages, [role=status], .w-message").first.wait_for()
    j.shot("published")

    live = journey_factory("editor-live")
    live.goto(lesson.url)
    live.page.get_by_text(new_intro).wait_for()
    assert live.page.locator("h1").inner_text() == lesson.title
    live.shot("lesson live with the change")
