"""Forms of the reports screens: the roster upload and its confirmation, filters, exports, anonymisation."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.text import fold
from courses.models import ProgrammePage
from people.models import Cohort, CommunityCentre
from people.resources import MAX_BYTES


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (CSV or XLSX)"),
        help_text=_("One row per artisan. The first sheet of a workbook is read."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s KB. Split the roster into smaller files."),
                params={"limit": MAX_BYTES // 1000},
            )
        return upload


class FilterForm(forms.Form):
    """Programme, centre and cohort filters shared by the dashboard and the exports (GET, no side effects)."""

    programme = forms.ModelChoiceField(
        queryset=ProgrammePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path"),
        required=False,
        label=_("Programme"),
        empty_label=_("All programmes"),
    )
    centre = forms.ModelChoiceField(
        queryset=CommunityCentre.objects.order_by("name"),
        required=False,
        label=_("Community centre"),
        empty_label=_("All centres"),
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.select_related("centre"),
        required=False,
        label=_("Cohort"),
        empty_label=_("All cohorts"),
    )

    def clean(self):
        data = super().clean()
        centre, cohort = data.get("centre"), data.get("cohort")
        if centre and cohort and cohort.centre_id != centre.pk:
            raise forms.ValidationError(_("That cohort belongs to another centre."))
        programme = data.get("programme")
        if programme and cohort and cohort.programme_id != programme.pk:
            raise forms.ValidationError(_("That cohort takes another programme."))
        return data

    def filters(self) -> dict:
        """The valid filters, {} when there are none or the form is invalid."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value is not None}


class ExportForm(FilterForm):
    FORMATS = [("xlsx", _("Excel (XLSX)")), ("csv", _("CSV (UTF-8, opens in Excel)"))]

    kind = forms.ChoiceField(label=_("What to export"), choices=(), widget=forms.RadioSelect)
    file_format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="xlsx", widget=forms.RadioSelect)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)


class AnonymiseForm(forms.Form):
    confirm = forms.CharField(
        label=_("To confirm, type the artisan's full name"),
        help_text=_("Anonymisation cannot be undone."),
        max_length=200,
    )

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"]
        if fold(typed) != fold(self.profile.full_name):
            raise forms.ValidationError(_("The name does not match. Nothing was changed."))
        return typed


class ArtisanSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or external id"), max_length=100, required=False)
