"""The printable attendance sheet: a real PDF whose text we read back."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from attendance.pdf import attendance_sheet_pdf
from attendance.selectors import session_lines
from tests.core.outside import counting_server, image_count, outside_references, secret_file
from tests.factories import ArtisanProfileFactory

from .conftest import login

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_sheet_lists_every_name_with_a_signature_column(session, modules):
    session.module = modules[3]
    session.save()
    names = ["Petrona Gómez Sántiz", "Juana López Pérez", "María Ñuñez Hernández"]
    for name in names:
        ArtisanProfileFactory(cohort=session.cohort, full_name=name)
    data = attendance_sheet_pdf(session)
    assert data.startswith(b"%PDF")
    pages, text = pdf_text(data)
    assert pages == 1
    for name in names:
        assert name in text
    for label in ("Lista de asistencia", "Firma", "Grupo Bordadoras", "Huixtán", modules[3].title, "Salón ejidal"):
        assert label in text, label


def test_a_long_list_spreads_over_pages_with_the_header_repeated(session):
    for n in range(45):
        ArtisanProfileFactory(cohort=session.cohort, full_name=f"Artesana Número {n:02d}")
    pages, text = pdf_text(attendance_sheet_pdf(session))
    assert pages >= 2
    assert text.count("Firma") >= pages  # the table header on every page
    assert all(f"Artesana Número {n:02d}" in text for n in range(45))


def test_sheet_view_sends_a_private_pdf(client, facilitator, session, members):
    response = login(client, facilitator).get(reverse("attendance:session_sheet", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=") and ".pdf" in response["Content-Disposition"]
    assert 'filename="asistencia-' in response["Content-Disposition"]  # in her language (core.spreadsheets)
    assert "private" in response["Cache-Control"]
    _pages, text = pdf_text(response.content)
    assert members[0].full_name in text


def test_the_sheet_loads_nothing_from_the_network_or_the_disk(session, members, settings, tmp_path):
    """Bug fixed: the sheet rendered with no URL fetcher restriction and the project folder as base URL.

    A sheet template pointing at an HTTP URL, a file:// path or a path relative to the project now
    fetches nothing (through core.pdf); the sheet still renders with the names.
    """
    with counting_server() as server:
        references = outside_references(server, secret_file(tmp_path)) + '<img src="docs/artisan-pin.png" alt="">'
        settings.TEMPLATES = [
            {
                **settings.TEMPLATES[0],
                "APP_DIRS": False,
                "OPTIONS": {
                    **settings.TEMPLATES[0]["OPTIONS"],
                    "loaders": [
                        (
                            "django.template.loaders.locmem.Loader",
                            {
                                "attendance/sheet_pdf.html": references
                                + "{% for line in lines %}{{ line.profile.full_name }} {% endfor %}"
                            },
                        )
                    ],
                },
            }
        ]
        data = attendance_sheet_pdf(session)
        assert server.requests == []
    assert image_count(data) == 0
    _pages, text = pdf_text(data)
    assert all(member.full_name in text for member in members)


def test_names_are_in_the_order_people_read_them_on_paper_and_on_the_phone(session):
    """Bug fixed: the sheet sorted by casefold (accented initials after Z) and the list in the database's order
    (on SQLite, lower case and accents after Z). Both now sort by core.text.fold."""
    for preferred, full in [("Zoila", "Zoila Pérez"), ("ángela", "Ángela Ruiz"), ("Beatriz", "Beatriz López")]:
        ArtisanProfileFactory(cohort=session.cohort, preferred_name=preferred, full_name=full)
    _pages, text = pdf_text(attendance_sheet_pdf(session))
    assert text.index("Ángela Ruiz") < text.index("Beatriz López") < text.index("Zoila Pérez")
    assert [line.profile.preferred_name for line in session_lines(session)] == ["ángela", "Beatriz", "Zoila"]
