"""What makes a question answerable, checked in one place.

The admin form, the spreadsheet import and the curriculum loader all call
`question_problems`, so a quiz that could never be passed (no correct option,
two "correct" answers in a single choice, a numeric question without its
number) is refused the same way wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _


def question_problems(
    *, kind: str, options: Sequence[tuple[str, bool]], answer: Decimal | None, has_images: Sequence[bool] = ()
) -> list[str]:
    """Human-readable problems with one question (empty list when it is fine).

    `options` are (label, is_correct) pairs, in order; `has_images` says, per
    option, whether it has an image (picture questions need one each).
    """
    problems: list[str] = []
    correct = sum(1 for _label, is_correct in options if is_correct)
    if kind == "numeric":
        if answer is None:
            problems.append(_("A numeric question needs the correct number."))
        if options:
            problems.append(_("A numeric question has no options."))
        return problems
    if kind == "true_false" and len(options) != 2:
        problems.append(_("A true or false question has exactly two options."))
    elif len(options) < 2:
        problems.append(_("A choice question needs at least two options."))
    if kind == "multiple":
        if correct < 1:
            problems.append(_("Mark at least one option as correct."))
    elif correct != 1:
        problems.append(_("Mark exactly one option as correct."))
    if kind == "picture" and has_images and not all(has_images):
        problems.append(_("Every option of a picture question needs an image."))
    return problems
