"""The one way Telar turns HTML into a PDF (WeasyPrint): certificates, attendance sheets, printed quizzes.

WeasyPrint fetches whatever a document points at — ``http://`` URLs, ``file://`` paths, and any
relative URL resolved against the base URL. A PDF rendered on the server must never do that: a
name, a place or a quiz text that reached a template could otherwise make the server read its
own files or call other machines. So every PDF goes through ``render``/``render_pdf`` with
``url_fetcher()``, which serves exactly two kinds of resources:

- ``data:`` URIs, which the caller made itself (images are inlined before rendering);
- the fonts bundled in ``core/fonts`` (``FONT_FILES``, see its README), by their ``file://`` URI.

Everything else is refused. By default a refused resource is simply left out (WeasyPrint logs a
warning and draws the rest); ``strict=True`` makes it stop the render instead, for documents
where a missing resource would be wrong on paper (the certificate's font: her name must not
print in a fallback font that may lack the saltillo).

The base URL is the fonts directory, so a relative URL can only ever name a bundled font.
"""

from __future__ import annotations

import base64
import io
import logging
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint import Document
    from weasyprint.urls import URLFetcherResponse

logger = logging.getLogger(__name__)

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# (font-weight, font-style) → file: the bundled serif (Noto Serif, subset; OFL).
FONT_FILES = {
    ("normal", "normal"): "NotoSerif-Regular-latin.ttf",
    ("bold", "normal"): "NotoSerif-Bold-latin.ttf",
    ("normal", "italic"): "NotoSerif-Italic-latin.ttf",
}
BASE_URL = FONTS_DIR.as_uri() + "/"
_ALLOWED_FILES = frozenset((FONTS_DIR / name).as_uri() for name in FONT_FILES.values())


class RefusedURL(ValueError):
    """A document asked for a resource that is neither inline data nor a bundled font."""


def font_urls() -> dict[tuple[str, str], str]:
    """The bundled fonts' URIs by (weight, style), for ``@font-face`` rules in a PDF template."""
    return {key: (FONTS_DIR / name).as_uri() for key, name in FONT_FILES.items()}


def image_data_uri(image: Any, filter_spec: str) -> str | None:
    """A PNG rendition of a Wagtail image as a data: URI (works with any storage backend), or None.

    A missing or broken upload leaves the image out rather than stopping the document: a
    certificate or a printed quiz is worth more without its logo than not at all.
    """
    if image is None:
        return None
    try:
        rendition = image.get_rendition(filter_spec)
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except Exception:  # any storage or image error: draw the rest
        logger.warning("PDF image %s could not be rendered", getattr(image, "pk", None), exc_info=True)
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


@lru_cache(maxsize=1)
def _fetcher_class() -> type:
    # WeasyPrint adds ~20 MB of memory and 1-2 s to a process that imports it; only a render needs it,
    # so it is imported on the first render, not when a view module that can print is loaded.
    from weasyprint.urls import URLFetcher

    class RestrictedURLFetcher(URLFetcher):
        """Only ``data:`` URIs and the bundled fonts: WeasyPrint never reaches the network or the rest of the disk."""

        def __init__(self, *, strict: bool = False) -> None:
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=strict)

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith("data:") or url.split("?", 1)[0].split("#", 1)[0] in _ALLOWED_FILES:
                return super().fetch(url, headers)
            raise RefusedURL(f"PDFs load no other resources: {url[:80]}")

    return RestrictedURLFetcher


def url_fetcher(*, strict: bool = False) -> object:
    """The restricted fetcher every PDF is rendered with (see the module docstring)."""
    return _fetcher_class()(strict=strict)


def render(html: str, *, strict: bool = False) -> Document:
    """Lay the HTML out (fonts configured, resources restricted); the caller may check its pages first."""
    from weasyprint import HTML  # see _fetcher_class: loaded on the first render
    from weasyprint.text.fonts import FontConfiguration

    document = HTML(string=html, url_fetcher=url_fetcher(strict=strict), base_url=BASE_URL)
    return document.render(font_config=FontConfiguration())


def write(document: Document) -> bytes:
    """The PDF bytes of a laid-out document."""
    output = io.BytesIO()
    document.write_pdf(output)
    return output.getvalue()


def render_pdf(html: str, *, strict: bool = False) -> bytes:
    """HTML to PDF bytes in one step (see the module docstring for what it may load)."""
    return write(render(html, strict=strict))
