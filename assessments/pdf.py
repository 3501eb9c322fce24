"""A quiz as a printable PDF (WeasyPrint): questions, options with a box to tick, lines to write on; no answers.

Facilitators print it for the women who have no device, then record the
scores as paper results. Images are inlined as data: URIs and the URL fetcher
refuses everything else, so nothing typed into a quiz can make WeasyPrint read
a file or reach the network.
"""

from __future__ import annotations

import base64
import logging

from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

IMAGE_FILTER = "max-320x200|format-png"


def _data_uri(image) -> str | None:
    if image is None:
        return None
    try:
        rendition = image.get_rendition(IMAGE_FILTER)
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("quiz PDF: image %s could not be read", image.pk)
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _url_fetcher():
    """A fetcher that reads data: URIs only (nothing on disk, nothing on the network)."""
    # WeasyPrint adds ~20 MB and 1-2 s to the process that imports it; only a printed quiz needs it.
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def print_items(questions) -> list[dict]:
    """The questions as the printed page draws them: never the correct answer, the tolerance or the feedback."""
    items = []
    for number, question in enumerate(questions, start=1):
        items.append(
            {
                "number": number,
                "kind": question.kind,
                "text": question.text,
                "image": _data_uri(question.image),
                "unit": question.unit,
                "options": [
                    {"label": option.label, "image": _data_uri(option.image)} for option in question.options.all()
                ],
            }
        )
    return items


def quiz_pdf(quiz, questions) -> bytes:
    """Render the quiz in its own language."""
    from weasyprint import HTML  # see _url_fetcher: loaded only when a quiz is printed

    with translation.override(quiz.locale.language_code):
        html = render_to_string("assessments/quiz_print.html", {"quiz": quiz, "items": print_items(questions)})
    return HTML(string=html, url_fetcher=_url_fetcher()).write_pdf()
