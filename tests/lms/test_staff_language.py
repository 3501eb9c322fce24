"""The staff side in one language (issue 16): Wagtail strings its Spanish catalogue lacks are translated in
Telar's root catalogue; yes/no in words in the quiz listing."""

import re

import pytest
from django.urls import reverse

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


def test_the_quiz_listing_says_yes_or_no(client, editor):
    client.force_login(editor, backend=STAFF)
    html = client.get("/admin/snippets/assessments/quiz/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "True" not in html and "False" not in html
    assert "Publicada" in html and "Sí" in html  # the column and its words


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
