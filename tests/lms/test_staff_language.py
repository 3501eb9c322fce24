"""The staff side in one language (issue 16): Wagtail strings its Spanish catalogue lacks are translated in
Telar's root catalogue; yes/no in words in the quiz listing."""

import pytest

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
