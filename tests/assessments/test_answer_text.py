"""A quiz's typed answer through the text policy (core.text) before it is read as a number (issue 13)."""

from decimal import Decimal

import pytest
from django import forms

from assessments.forms import NumberAnswerField


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("2\u200b50", Decimal("250")),  # a zero-width space pasted from a chat
        ("$1,25\x070", Decimal("1250")),  # a control character from another program
        ("\ufeff12,5", Decimal("12.5")),  # a BOM at the start
        ("\xa0250\xa0", Decimal("250")),  # no-break spaces around it
    ],
)
def test_invisible_and_control_characters_do_not_change_the_answer(typed, number):
    assert NumberAnswerField().clean(typed) == number


@pytest.mark.parametrize("typed", ["\u202e052", "\x00250", "doscientos"])
def test_what_is_not_a_number_is_asked_again_never_a_500(typed):
    with pytest.raises(forms.ValidationError):
        NumberAnswerField().clean(typed)
