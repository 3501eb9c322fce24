"""Validators for the text people type (core.text has the policy): clear, translated refusals."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import has_bidi_controls, has_control_characters


def validate_name(value: str) -> None:
    """A person's, centre's or group's name: one line, no control characters, no reordering marks.

    A name is printed on her certificate and read aloud by her facilitator: characters that are
    invisible or that make it print in another order than typed are refused with a message.
    """
    if has_bidi_controls(value):
        raise ValidationError(
            _("This name has invisible characters that change the order it prints in. Type it again."),
            code="bidi",
        )
    if has_control_characters(value):
        raise ValidationError(
            _("This name has an invisible control character (perhaps pasted from another program). Type it again."),
            code="control",
        )
