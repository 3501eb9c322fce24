"""The printable attendance sheet: a real PDF whose text we read back."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from attendance.pdf import attendance_sheet_pdf
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
    assert "private" in response["Cache-Control"]
    _pages, text = pdf_text(response.content)
    assert members[0].full_name in text
