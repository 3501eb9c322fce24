"""The real PDF: its text, its page, its size, its fonts, and its QR code read back by a real decoder."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from certificates import codes
from certificates.models import Certificate
from certificates.pdf import render_pdf
from tests.factories import ArtisanProfileFactory

from .conftest import NAME, issue_by_hand

pytestmark = pytest.mark.django_db

PDF_BUDGET = 100 * 1024  # bytes per certificate, logo and signature included
A4_LANDSCAPE = (841.89, 595.28)  # points

needs_poppler_and_zbar = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="pdftoppm (Debian poppler-utils) and zbarimg (Debian zbar-tools) are needed to read the QR code; "
    ".ci/run installs them",
)


def pdf_bytes(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_holds_her_name_with_its_accents_and_the_code(certificate_template, certificate, modules):
    data = pdf_bytes(certificate)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = flat(text_of(data))
    assert NAME in text  # á, é, ó, ñ and the saltillo ʼ (U+02BC) survive as text
    assert "\u02bc" in text
    assert certificate.display_code in text
    # Spanish first (her language), English beneath.
    assert text.index("Constancia de terminación") < text.index("Certificate of completion")
    assert "Programa de Artesanas de Chiapas" in text and "Chiapas Artisans Programme" in text
    for module in modules:
        assert module.title in text
    assert "Huixtán" in text  # the community centre
    assert "Rosa Hernández Ruiz" in text  # her facilitator
    assert "Cooperativa Telar de Chiapas" in text and "Ana López Méndez" in text


def test_one_a4_landscape_page_within_the_budget(certificate_template, artisan, facilitator, programme):
    certificate = issue_by_hand(artisan, facilitator, "Prueba")
    data = pdf_bytes(certificate)
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_LANDSCAPE, abs=1)
    assert len(data) <= PDF_BUDGET, len(data)
    assert data.startswith(b"%PDF-")


def test_only_the_bundled_font_is_embedded_and_subset(certificate):
    reader = PdfReader(io.BytesIO(pdf_bytes(certificate)))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts, "no font embedded"
    for name in fonts:
        prefix, _, family = name.lstrip("/").partition("+")
        assert len(prefix) == 6, f"{name} is not a subset"
        # WeasyPrint names an @font-face font after its CSS family: a system fallback font would show its own name.
        assert family.startswith("Telar-Serif"), f"{name} is not the bundled Noto Serif"


def test_a_very_long_name_still_fits_on_one_page(cohort, facilitator, programme):
    long_name = " ".join(["Xunkaʼ María de la Luz Pérez Gómez Santíz"] * 5)[:200]
    user = ArtisanProfileFactory(cohort=cohort, full_name=long_name).user
    certificate = issue_by_hand(user, facilitator, "Nombre largo")
    reader = PdfReader(io.BytesIO(pdf_bytes(certificate)))
    assert len(reader.pages) == 1
    assert flat(long_name)[:60] in flat(reader.pages[0].extract_text())


def test_english_first_for_an_artisan_who_prefers_english(cohort, facilitator, programme):
    user = ArtisanProfileFactory(cohort=cohort, full_name="Juana Gómez", preferred_language="en").user
    certificate = issue_by_hand(user, facilitator, "Prueba")
    text = flat(text_of(pdf_bytes(certificate)))
    assert text.index("Certificate of completion") < text.index("Constancia de terminación")
    assert certificate.language == "en"
    assert certificate.programme_title == "Chiapas Artisans Programme"


def test_the_pdf_is_the_same_file_every_time_it_is_served(certificate, client, artisan):
    client.force_login(artisan)
    first = b"".join(client.get("/certificates/mine/").streaming_content)
    second = b"".join(client.get("/certificates/mine/").streaming_content)
    assert first == second == pdf_bytes(certificate)


def test_rendering_loads_no_outside_resource(certificate):
    """Nothing typed by a user can make WeasyPrint fetch a URL: a name is text (the fetcher: tests/core/test_pdf.py)."""
    certificate.printed_name = '<img src="http://127.0.0.1:9/x"> María'
    text = flat(text_of(render_pdf(certificate)))
    assert '<img src="http://127.0.0.1:9/x"> María' in text


@needs_poppler_and_zbar
def test_the_qr_code_opens_the_public_verification_url(certificate, client):
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "certificate.pdf"
        pdf.write_bytes(pdf_bytes(certificate))
        page = Path(folder) / "page"
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(page)], check=True)
        decoded = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(Path(folder) / "page.png")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    assert decoded == certificate.get_verification_url()
    assert decoded == f"http://testserver/certificates/verify/{certificate.display_code}/"
    # And that URL, opened, says the certificate is valid.
    response = client.get(decoded.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert "Esta constancia es válida" in response.content.decode()


def test_the_code_has_at_least_50_bits_and_is_normalised(certificate):
    assert codes.BITS >= 50
    assert len(certificate.code) == codes.LENGTH
    assert codes.normalise(certificate.display_code.lower()) == certificate.code


def test_an_unpublished_translation_of_the_programme_is_never_printed(cohort, facilitator, programme):
    """Bug fixed: the snapshot and the PDF took the programme's translation whether or not it was published."""
    from wagtail.models import Locale, Page

    english = programme.get_translation(Locale.objects.get(language_code="en"))
    Page.objects.filter(pk=english.pk).update(live=False, title="BORRADOR sin publicar")
    user = ArtisanProfileFactory(cohort=cohort, full_name="Juana Gómez", preferred_language="en").user
    certificate = issue_by_hand(user, facilitator, "Prueba")
    assert certificate.programme_title == programme.title
    spanish = ArtisanProfileFactory(cohort=cohort, full_name="Rosa Pérez").user
    text = flat(text_of(pdf_bytes(issue_by_hand(spanish, facilitator, "Prueba"))))
    assert "BORRADOR" not in text and flat(programme.title) in text
