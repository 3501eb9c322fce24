"""The staff side in one language (issue 16): Wagtail strings its Spanish catalogue lacks are translated in
Telar's root catalogue (templates/lms/wagtail_strings.html keeps them there); yes/no in words in the quiz
listing; every control of the programme screens labelled."""

import re
from html import unescape

import pytest
from django.urls import reverse

from courses.models import ProgrammePage

pytestmark = pytest.mark.django_db

STAFF = "people.backends.StaffBackend"


def test_the_admin_home_speaks_spanish(client, editor):
    client.force_login(editor, backend=STAFF)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Buscar en todas las páginas…" in html and "Search all pages" not in html
    assert "created in" not in html and "creadas en" in html
    assert "Add or show comments" not in html  # the keyboard shortcuts dialog


def test_the_page_explorer_speaks_spanish(client, editor):
    client.force_login(editor, backend=STAFF)
    html = client.get("/admin/pages/", HTTP_ACCEPT_LANGUAGE="es", follow=True).content.decode()
    assert "Tipo de página" in html and "Page type" not in html
    assert "no será accesibles" not in html and "créalas como hijas de su página de inicio" in html  # Wagtail's slip


def test_the_quiz_listing_says_yes_or_no(client, editor):
    client.force_login(editor, backend=STAFF)
    html = client.get("/admin/snippets/assessments/quiz/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "True" not in html and "False" not in html
    assert "Publicada" in html and "Sí" in html  # the column and its words


# Wagtail 8 strings that Wagtail's Spanish catalogue lacks, as an editor or an admin met them in English
# (the pager "1-2 of 2 páginas", the row menus, the sort links, the filters, the keyboard-shortcuts dialog,
# the editor's side panels and autosave notices, the account page, the empty listings).
ENGLISH = [
    re.compile(r"\d+-\d+ of \d+"),
    "More options for",
    "Sort by '",
    'placeholder="Search…"',
    "Show filters",
    "Filter by",
    "Date updated",
    "Edited by",
    "Has child pages",
    "Usage count",
    "All keyboard shortcuts",
    "Show keyboard shortcuts",
    "Toggle minimap",
    "Close modal dialogs",
    "Insert or edit a link",
    "Paste without formatting",
    "Keyboard shortcuts are currently enabled",
    "Edit account avatar",
    'aria-label="Actions"',
    "Actions (footer)",
    "Save your changes before leaving",
    "Autosave is",
    "Troubleshoot your connection",
    "View latest version",
    "Toggle checks",
    "Show issue",
    "This data explained",
    "We calculate reading time",
    "Anyone can edit this",
    "Schedule to publish",
    "There are no",
    "More contrast",
    "Enable custom keyboard shortcuts",
    "Use server time zone",
]


def english_left(html: str) -> list[str]:
    text = unescape(html)
    return [
        getattr(probe, "pattern", probe)
        for probe in ENGLISH
        if (probe.search(text) if isinstance(probe, re.Pattern) else probe in text)
    ]


def test_the_english_probe_can_fail():
    assert english_left('<p>1-2 of 2 páginas</p><a aria-label="More options for &#x27;Telar&#x27;">') == [
        r"\d+-\d+ of \d+",
        "More options for",
    ]


def editor_pages():
    programme = ProgrammePage.objects.live().filter(locale__language_code="es").order_by("path").first()
    return [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{programme.pk}/",
        f"/admin/pages/{programme.pk}/edit/",
        "/admin/snippets/assessments/quiz/",
        "/admin/snippets/courses/narration/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/account/",
    ]


ADMIN_PAGES = [
    "/admin/people_artisans/",
    "/admin/people_cohorts/",
    "/admin/attendance_sessions/",
    "/admin/certificate/",
]


def test_what_an_editor_and_an_admin_meet_is_in_spanish(client, editor, admin_user, artisan):
    visits = [(editor, url) for url in editor_pages()] + [(admin_user, url) for url in ADMIN_PAGES]
    pager = False
    for user, url in visits:
        client.force_login(user, backend=STAFF)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="es", follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert english_left(html) == [], url
        pager = pager or bool(re.search(r"\d+-\d+ de \d+ páginas", html))
    assert pager, "the explorer's pager was seen, in Spanish"


def unlabelled_controls(html: str) -> list[str]:
    """The ids of the inputs, selects and text areas of Telar's form (inside <main>) that no <label for> names."""
    main = html[html.index("<main") : html.index("</main>")]
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', main))
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", main)
    unnamed = []
    for tag in controls:
        if re.search(r'type="(?:hidden|submit|button)"', tag):
            continue
        found = re.search(r'\bid="([^"]+)"', tag)
        if found is None or found.group(1) not in labelled:
            unnamed.append(tag)
    return unnamed


@pytest.mark.parametrize("name", ["export", "roster_import", "personal_data", "dashboard"])
def test_every_control_of_the_programme_screens_is_labelled(client, admin_user, name):
    client.force_login(admin_user, backend=STAFF)
    html = client.get(reverse(f"telar_reports:{name}"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert unlabelled_controls(html) == []
    if name == "export":
        assert html.count("<fieldset") >= 2 and "<legend>Qué exportar</legend>" in html
        assert "<legend>Formato</legend>" in html


def test_the_label_check_can_fail():
    html = '<main><label for="a">A</label><input id="a"><input type="radio" id="b"> B</main>'
    assert unlabelled_controls(html) == ['<input type="radio" id="b">']


@pytest.mark.parametrize("url", ["/admin/", "/admin/programme/"])
def test_the_programme_figures_agree_with_their_number(client, admin_user, artisan, url):
    client.force_login(admin_user, backend=STAFF)
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert re.search(r"<strong>1</strong>\s*artesana</li>", html), "one artisan is «1 artesana»"
    assert not re.search(r"<strong>1</strong>\s*(artesanas|empezaron|terminaron|constancias)", html)
    assert re.search(r"<strong>0</strong>\s*constancias emitidas</li>", html)


def test_the_account_page_says_tu(client, editor):
    """Django's own Spanish says "Su contraseña…" (usted); Telar's catalogue says it with tú."""
    client.force_login(editor, backend=STAFF)
    html = unescape(client.get("/admin/account/", HTTP_ACCEPT_LANGUAGE="es", follow=True).content.decode())
    assert "Su contraseña" not in html and "su página editada" not in html
    assert "Tu contraseña debe tener al menos 10 caracteres." in html
