"""Forms for certificates: the public code lookup and the reasons staff must write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import codes


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("12 letters and numbers, printed under the QR code. For example: 7KX4-MQ2R-9TBD"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = codes.normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(_("This is not a certificate code. Check the 12 letters and numbers."))
        return code


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("It is kept with the certificate's record."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write the reason."))
        return reason
