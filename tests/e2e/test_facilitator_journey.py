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


def facilitator_journey(j) -> None:
    from attendance.models import AttendanceRecord, Session

    journeys.held_sessions(count=3)
    maria = journeys.artisan("HUX-001")  # 8 lessons done in the demo data
    juana = journeys.artisan("HUX-002")
    rosa = journeys.artisan("HUX-003")
    page = j.page

    j.goto("/facilitator/")
    staff_link = page.locator("a[href^='/admin/login/']")
    if staff_link.count():
        j.shot("asked to sign in")
        staff_link.first.click()
    page.fill("input[name=username]", journeys.FACILITATOR[0])
    page.fill("input[name=password]", journeys.FACILITATOR[1])
    j.shot("staff sign-in")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/facilitator/")
    j.shot("my cohorts")

    page.get_by_role("link", name=re.compile(re.escape(maria.cohort))).first.click()
    page.locator("#id_date").wait_for()
    j.shot("cohort")

    # Today's workshop: a new session, then its attendance list.
    page.fill("#id_date", datetime.date.today().isoformat())
    page.fill("#id_start_time", "10:00")
    page.fill("#id_place", "Salón comunal")
    page.locator("#id_module").select_option(index=4)
    page.locator("form:has(#id_date) button[type=submit]").click()
    page.locator("form.attendance-form").wait_for()
    j.shot("attendance list")
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
    assert len(statuses) == 12
    assert statuses[juana.user.pk] == "late" and statuses[rosa.user.pk] == "absent"
    assert statuses[maria.user.pk] == "present"

    # The cohort grid: artisans × modules, attendance rate, certificate.
    page.locator("nav.breadcrumbs a[href*='/cohorts/']").first.click()
    page.locator("a[href$='/progress/']:not(header a)").first.click()
    grid = page.locator("table.grid")
    grid.wait_for()
    assert grid.locator("tbody tr").count() == 12
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


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_facilitator_journey_on_a_phone(journey_factory, javascript):
    journeys.baseline()
    facilitator_journey(journey_factory("javascript" if javascript else "no-javascript", javascript=javascript))
