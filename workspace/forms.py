"""The facilitator's forms for her artisans: plain fields, every one labelled, usable without JavaScript."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from people.models import ArtisanProfile

FULL_NAME_MAX = ArtisanProfile._meta.get_field("full_name").max_length
PREFERRED_NAME_MAX = ArtisanProfile._meta.get_field("preferred_name").max_length


class ArtisanAddForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=FULL_NAME_MAX,
        help_text=_("Exactly as it must appear on her certificate."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    preferred_name = forms.CharField(
        label=_("The name she likes to be called"),
        max_length=PREFERRED_NAME_MAX,
        help_text=_("She finds it on the sign-in list."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Her language"), choices=settings.PEOPLE_LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    consent_given = forms.BooleanField(
        label=_("She agreed that Telar keeps her data: I read her the privacy notice."), required=False
    )


class PreferredNameForm(forms.Form):
    preferred_name = forms.CharField(
        label=_("The name she likes to be called"),
        max_length=PREFERRED_NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
