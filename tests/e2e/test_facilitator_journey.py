"""A facilitator on her phone: sign in, open her cohort, create today's session, take attendance
("everyone present", then correct the few), read the cohort grid, print the paper sheet —
with and without JavaScript.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest

from . import journeys

AXE_FOUND: dict[str, list[str]] = {}


def no_sideways_scroll(j, label: str) -> None:
    """At 320 and 360 px wide the page fits: nothing scrolls sideways (then back to 360 px); with
    JavaScript, axe-core finds no critical or serious accessibility violation on it."""
    if j.javascript:
        AXE_FOUND[label] = journeys.axe_serious(j.page)
    for width in (320, 360):
        j.page.set_viewport_size({"width": width, "height": 640})
        assert j.page.evaluate("document.documentElement.scrollWidth") <= width, (label, width)
    j.page.set_viewport_size({"width": 360, "height": 640})


def facilitator_journey(j) -> None:
    from attendance.models import AttendanceRecord, Session

    journeys.held_sessions(count=3)
    maria = journeys.artisan("HUX-001")  # 8 lessons done in the demo data
    juana = journeys.artisan("HUX-002")
    rosa = journeys.artisan("HUX-003")
    page = j.page

    # Telar's own staff sign-in (issue 16): the workspace sends her there and back.
    j.goto("/facilitator/")
    page.wait_for_url("**/staff/sign-in/?next=/facilitator/")
    no_sideways_scroll(j, "staff sign-in")
    page.fill("input[name=username]", journeys.FACILITATOR[0])
    page.fill("input[name=password]", journeys.FACILITATOR[1])
    j.shot("staff sign-in")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/facilitator/")
    assert page.locator("h2").first.inner_text() == "Hoy y próximas sesiones"  # sessions first, then cohorts
    no_sideways_scroll(j, "my workspace")
    j.shot("my workspace")

    # Her artisans: she adds one to her cohort and gives her a PIN.
    page.get_by_role("link", name=re.compile(re.escape(maria.cohort))).first.click()
    page.locator("a[href$='/artisans/']:not(header a)").first.click()
    page.locator("#id_full_name").wait_for()
    no_sideways_scroll(j, "her artisans")
    page.fill("#id_full_name", "Petrona López Díaz")
    page.fill("#id_preferred_name", "Petro")
    page.locator("label.check").click()
    j.shot("add an artisan")
    page.locator("form:has(#id_full_name) button[type=submit]").click()
    page.locator("#id_pin").wait_for()
    no_sideways_scroll(j, "her new artisan")
    page.fill("#id_pin", "4826")
    page.locator("form:has(#id_pin) button[type=submit]").click()
    page.locator(".notice.notice--success").first.wait_for()
    assert "Petro" in page.locator(".notice.notice--success").first.inner_text()
    j.shot("her PIN saved")
    from people.models import ArtisanProfile
    from people.services import artisan_pin_check

    petrona = ArtisanProfile.objects.get(full_name="Petrona López Díaz")
    assert petrona.cohort.name == maria.cohort and artisan_pin_check(user=petrona.user, pin="4826").ok
    page.locator("nav.breadcrumbs a").first.click()  # back to her workspace
    page.wait_for_url("**/facilitator/")

    page.get_by_role("link", name=re.compile(re.escape(maria.cohort))).first.click()
    page.locator("#id_date").wait_for()
    no_sideways_scroll(j, "cohort")
    j.shot("cohort")

    # Today's workshop: a new session, then its attendance list.
    page.fill("#id_date", datetime.date.today().isoformat())
    page.fill("#id_start_time", "10:00")
    page.fill("#id_place", "Salón comunal")
    page.locator("#id_module").select_option(index=4)
    page.locator("form:has(#id_date) button[type=submit]").click()
    page.locator("form.attendance-form").wait_for()
    j.shot("attendance list")
    no_sideways_scroll(j, "attendance list")
    session = Session.objects.get(cohort__name=maria.cohort, date=datetime.date.today())

    # At 320 and 360 px: no sideways scrolling, and all four statuses of every line in view and tappable.
    for width in (320, 360):
        page.set_viewport_size({"width": width, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        for label in page.locator("form.attendance-form fieldset").first.locator("label:has(input[type=radio])").all():
            box = label.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (width, label.inner_text(), box)
            assert box["height"] >= 44, box  # a large tap target
        j.shot(f"attendance at {width} px")
    page.set_viewport_size({"width": 360, "height": 640})

    # She marks Rosa absent first, then "Todas presentes": Rosa stays absent (the button keeps every mark).
    page.locator(f"input[name='s{rosa.user.pk}'][value='absent']").check()
    page.locator("button[data-all-present]").click()
    page.locator(f"input[name='s{maria.user.pk}'][value='present']:checked").wait_for()
    assert page.locator(f"input[name='s{rosa.user.pk}'][value='absent']").is_checked()
    j.shot("everyone present")
    page.locator(f"input[name='s{juana.user.pk}'][value='late']").check()
    j.shot("the few corrected")
    page.locator("form.attendance-form button[data-save]").click()
    page.locator(".notice.notice--success").first.wait_for()
    j.shot("attendance saved")
    statuses = dict(AttendanceRecord.objects.filter(session=session).values_list("artisan_id", "status"))
    assert len(statuses) == 13  # the twelve and Petrona, added today
    assert statuses[juana.user.pk] == "late" and statuses[rosa.user.pk] == "absent"
    assert statuses[maria.user.pk] == "present"

    # The cohort grid: artisans × modules, attendance rate, certificate.
    page.locator("nav.breadcrumbs a[href*='/cohorts/']").first.click()
    page.locator("a[href$='/progress/']:not(header a)").first.click()
    grid = page.locator("table.grid")
    grid.wait_for()
    assert grid.locator("tbody tr").count() == 13  # the twelve and Petrona
    # What each woman still needs, closest first; Petrona, who has just come, needs everything.
    assert "Le falta:" in grid.locator("tbody tr", has_text="Petrona López Díaz").inner_text()
    assert "al menos" in page.locator("main .callout").inner_text()
    no_sideways_scroll(j, "cohort grid")
    row = grid.locator("tbody tr", has_text=maria.full_name)
    assert "4/4" in row.inner_text()  # her first module, finished in the demo data
    assert "100" in row.inner_text()  # present at every session so far
    j.shot("cohort grid")

    # The paper sheet for the day the phone fails.
    page.go_back()
    page.locator(f"a[href$='/sessions/{session.pk}/']").click()
    # Served inline, to open in the phone's PDF viewer and print from there.
    with page.expect_response(re.compile(r"/sheet\.pdf$")) as answer:
        page.locator("a[href$='sheet.pdf']").click()
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    # Chromium hands the page to its PDF viewer; the same request with the browser's session gives the bytes.
    data = page.request.get(response.url).body()
    (j.folder / "attendance-sheet.pdf").write_bytes(data)
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(data)).pages)
    assert juana.full_name in text and maria.full_name in text
    j.shot("sheet open to print")
    if j.javascript:
        assert len(AXE_FOUND) >= 7, sorted(AXE_FOUND)  # every staff page of the journey was checked
    serious = {label: found for label, found in AXE_FOUND.items() if found}
    assert not serious, "axe-core: critical or serious violations\n" + "\n".join(
        f"{label}: {line}" for label, found in serious.items() for line in found
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_facilitator_journey_on_a_phone(journey_factory, javascript):
    journeys.baseline()
    facilitator_journey(journey_factory("javascript" if javascript else "no-javascript", javascript=javascript))


def test_the_staff_sign_in_is_painted_within_2_seconds_on_regular_2g(journey_factory):
    from .test_artisan_journey import PAINT_TIMING, REGULAR_2G, ROUND_TRIP, TEXT_VISIBLE_MS

    journeys.baseline()
    j = journey_factory("2g-staff-sign-in", network=REGULAR_2G)
    j.goto("/staff/sign-in/")
    timing = {**j.page.evaluate(PAINT_TIMING), "roundTrip": j.page.evaluate(ROUND_TRIP)}
    print(f"2G staff sign-in: {timing}")
    assert timing["roundTrip"] >= REGULAR_2G["latency"], timing  # the throttling really applied
    assert timing["fcp"] is not None and timing["fcp"] <= TEXT_VISIBLE_MS, timing
    j.shot("staff sign-in on 2G")
    j.page.fill("input[name=username]", journeys.FACILITATOR[0])
    j.page.fill("input[name=password]", journeys.FACILITATOR[1])
    j.page.locator("main form button[type=submit]").click()
    j.page.wait_for_url("**/facilitator/")


def test_axe_reports_what_it_should(journey_factory):
    """The check can fail: an unlabelled field is a critical violation."""
    j = journey_factory("axe-check")
    j.page.set_content('<!doctype html><html lang="es"><title>x</title><main><input type="text"></main></html>')
    assert any("label" in line for line in journeys.axe_serious(j.page))
