"""axe-core on the Wagtail admin pages an editor uses most (issue 16): the dashboard, the page explorer,
the quiz listing and a lesson's edit form, with a signed-in editor on a laptop.

Violations that come from Telar's own blocks, templates or hooks fail the test. Wagtail's own are listed
in WAGTAIL_OWN with the reason and recorded in test-artifacts/e2e/<test>/axe.json; they do not fail it."""

from __future__ import annotations

import json

from . import journeys

LAPTOP = {"width": 1280, "height": 900}

# (page, axe rule): why it is Wagtail's and not Telar's.
WAGTAIL_OWN = {
    ("lesson edit form", "aria-input-field-name"): (
        "Draftail's editable area (role=textbox) of a rich-text block placed directly in a StreamField has no "
        "accessible name: Wagtail draws the block's name in the block header, not as a label of the editor."
    ),
}


def test_the_admin_pages_an_editor_uses_pass_axe(journey_factory):
    journeys.baseline()
    module, lessons = journeys.programme_lessons()[1]
    j = journey_factory("editor-axe", viewport=LAPTOP)
    page = j.page
    j.goto("/staff/sign-in/?next=/admin/")
    page.fill("input[name=username]", journeys.EDITOR[0])
    page.fill("input[name=password]", journeys.EDITOR[1])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    found, telars = {}, []
    for label, path in [
        ("dashboard", "/admin/"),
        ("page explorer", f"/admin/pages/{module.pk}/"),
        ("quiz listing", "/admin/snippets/assessments/quiz/"),
        ("lesson edit form", f"/admin/pages/{lessons[0].pk}/edit/"),
    ]:
        j.goto(path)
        page.wait_for_load_state("networkidle")
        found[label] = journeys.axe_serious(page)
        j.shot(label)
        telars += [
            f"{label}: {line}" for line in found[label] if (label, line.split(":")[0].split()[1]) not in WAGTAIL_OWN
        ]
    (j.folder / "axe.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    assert not telars, "axe-core: critical or serious violations from Telar's side\n" + "\n".join(telars)
    assert page.locator("[aria-label='Paso']").count() >= 1, "a numbered step's input is named in Spanish"
