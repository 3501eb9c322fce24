"""Admin forms for people: artisans (scoped to the cohorts a user manages), cohorts, PINs."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import ArtisanProfile, Cohort, User
from .permissions import managed_cohorts
from .roles import FACILITATORS
from .services import PIN_LENGTH, validate_pin

ARTISAN_FIELDS = [
    "full_name",
    "preferred_name",
    "preferred_language",
    "cohort",
    "external_id",
    "consent_given",
    "consent_date",
    "privacy_notice_version",
]


class ArtisanForm(WagtailAdminModelForm):
    """An artisan's details. A facilitator can only choose among her own cohorts."""

    class Meta:
        model = ArtisanProfile
        fields = ARTISAN_FIELDS

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["cohort"].queryset = managed_cohorts(for_user)


class CohortForm(WagtailAdminModelForm):
    """A cohort; only members of the Facilitators group can be linked as its facilitators."""

    class Meta:
        model = Cohort
        fields = ["centre", "name", "start_date", "end_date", "facilitators"]
        widgets = {"facilitators": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = User.objects.filter(groups__name=FACILITATORS, is_active=True).order_by(
            "first_name", "username"
        )


def suggest_pin() -> str:
    """A random PIN that passes validate_pin, offered to the facilitator (she may change it)."""
    while True:
        pin = f"{secrets.randbelow(10**PIN_LENGTH):0{PIN_LENGTH}d}"
        try:
            validate_pin(pin)
        except ValidationError:
            continue
        return pin


class PinForm(forms.Form):
    """Set or reset a PIN. Shown in clear: the facilitator chooses it with the artisan beside her."""

    pin = forms.CharField(
        label=_("New PIN (4 numbers)"),
        min_length=PIN_LENGTH,
        max_length=PIN_LENGTH,
        help_text=_("Tell it to her in person and help her remember it. It is stored hashed and never shown again."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}),
    )

    def clean_pin(self) -> str:
        pin = self.cleaned_data["pin"].strip()
        validate_pin(pin)
        return pin


class StaffSignInForm(AuthenticationForm):
    """Username and password for facilitators and staff (people.staff_views): Django's form, Telar's words.

    The password is checked by ``people.backends.StaffBackend`` (its per-username lock included).
    """

    username = UsernameField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("That username and password do not match. Check them and try again."),
        "inactive": _("This account is switched off. Ask the programme staff."),
    }
