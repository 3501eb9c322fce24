"""A quiz as a printable PDF (WeasyPrint): questions, options with a box to tick, lines to write on; no answers.

Facilitators print it for the women who have no device, then record the
scores as paper results. Images are inlined as data: URIs and `core.pdf` (the
one WeasyPrint wrapper) refuses everything else, so nothing typed into a quiz
can make WeasyPrint read a file or reach the network.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from core import pdf

IMAGE_FILTER = "max-320x200|format-png"


def _data_uri(image) -> str | None:
    return pdf.image_data_uri(image, IMAGE_FILTER)


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
    with translation.override(quiz.locale.language_code):
        html = render_to_string("assessments/quiz_print.html", {"quiz": quiz, "items": print_items(questions)})
    return pdf.render_pdf(html)
