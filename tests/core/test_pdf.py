"""The one WeasyPrint wrapper (core.pdf): what a PDF may load (inline data, the bundled fonts) and nothing else.

A real HTTP server on this machine counts the requests WeasyPrint makes; a real file on disk
stands for the server's own files. No mocks: WeasyPrint runs.
"""

import base64
import io

import pytest
from pypdf import PdfReader

from core import pdf
from tests.core.outside import PNG, counting_server, image_count, outside_references, secret_file


@pytest.fixture
def server():
    with counting_server() as httpd:
        yield httpd


@pytest.fixture
def secret_png(tmp_path):
    return secret_file(tmp_path)


def test_the_fetcher_serves_inline_data_and_the_bundled_fonts_only(secret_png):
    fetcher = pdf.url_fetcher()
    for url in ("http://127.0.0.1:9/secret", "https://example.org/x.png", secret_png.as_uri(), "file:///etc/passwd"):
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(url)
    for url in pdf.font_urls().values():
        response = fetcher.fetch(url)
        assert response.read(4) in (b"\x00\x01\x00\x00", b"true")  # a TrueType font
        response.close()
    data_uri = "data:image/png;base64," + base64.b64encode(PNG).decode("ascii")
    assert fetcher.fetch(data_uri).read() == PNG


def test_a_document_pointing_outside_fetches_nothing_and_still_renders(server, secret_png):
    data = pdf.render_pdf(f"<html><body>{outside_references(server, secret_png)}</body></html>")
    assert data.startswith(b"%PDF")
    assert server.requests == []
    assert image_count(data) == 0
    assert "Lista" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_the_same_image_inline_is_drawn(server):
    """The control: an inline image does reach the page, so the count above can fail."""
    data_uri = "data:image/png;base64," + base64.b64encode(PNG).decode("ascii")
    assert image_count(pdf.render_pdf(f'<img src="{data_uri}" alt="">')) == 1


def test_strict_rendering_stops_at_a_refused_resource(server):
    with pytest.raises(BaseException, match="Error fetching"):
        pdf.render_pdf(f'<img src="http://127.0.0.1:{server.server_port}/logo.png">', strict=True)
    assert server.requests == []


def test_the_bundled_serif_is_embedded_when_a_template_asks_for_it():
    faces = "".join(
        f'@font-face{{font-family:"Telar Serif";font-weight:{weight};font-style:{style};src:url("{url}")}}'
        for (weight, style), url in pdf.font_urls().items()
    )
    data = pdf.render_pdf(f'<style>{faces} p{{font-family:"Telar Serif"}}</style><p>Petrona Gómez ʼ</p>', strict=True)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(data)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(name.endswith("+Telar-Serif") for name in fonts), fonts  # no fallback font


@pytest.mark.django_db
def test_an_image_is_inlined_and_a_lost_upload_is_left_out_not_fatal():
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    image = get_image_model()(title="logo", file=ImageFile(io.BytesIO(PNG), name="logo.png"))
    image.save()
    uri = pdf.image_data_uri(image, "max-10x10|format-png")
    assert uri.startswith("data:image/png;base64,") and image_count(pdf.render_pdf(f'<img src="{uri}">')) == 1
    image.renditions.all().delete()
    image.file.storage.delete(image.file.name)  # the upload is gone from storage
    assert pdf.image_data_uri(get_image_model().objects.get(pk=image.pk), "max-12x12|format-png") is None
    assert pdf.image_data_uri(None, "max-10x10|format-png") is None
