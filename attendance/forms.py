"""Forms for sessions, the attendance list, sheet uploads and the admin's session series."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from courses.models import ModulePage
from courses.selectors import titles_in_language
from people.models import Cohort

from .services import Entry


def programme_modules(programme=None):
    """Live modules of a programme's default-language page (every programme's without one), in order:
    sessions point at one version. A cohort's series takes its own programme's (issue 18)."""
    modules = ModulePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE)
    if programme is not None:
        modules = modules.child_of(programme)
    return modules.order_by("order", "path")


class ModuleChoiceField(forms.ModelChoiceField):
    """Modules labelled in the active language."""

    def __init__(self, **kwargs):
        super().__init__(queryset=programme_modules(), **kwargs)
        self._titles = None

    def label_from_instance(self, module):
        if self._titles is None:
            self._titles = titles_in_language(page.translation_key for page in self.queryset)
        return f"{module.order}. {self._titles.get(module.translation_key, module.title)}"


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=150, required=False)
    module = ModuleChoiceField(label=_("Module"), required=False, empty_label=_("No module"))


class SessionSeriesForm(forms.Form):
    """The admin's bulk creation: weekly (or every N days), one per module or a number of sessions."""

    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.select_related("centre"))
    first_date = forms.DateField(label=_("First session"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    every_days = forms.IntegerField(label=_("Days between sessions"), min_value=1, max_value=60, initial=7)
    one_per_module = forms.BooleanField(
        label=_("One session per module"),
        required=False,
        initial=True,
        help_text=_("In module order. Leave unticked to create a number of sessions without a module."),
    )
    count = forms.IntegerField(label=_("Number of sessions"), min_value=1, max_value=60, required=False)
    place = forms.CharField(label=_("Place"), max_length=150, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("one_per_module") and not data.get("count"):
            self.add_error("count", _("Give the number of sessions, or tick “one session per module”."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Sheet (CSV or XLSX)"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"})
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


# The attendance list is read by hand: field names carry the artisan's user id
# (s12 status, n12 note, w12/v12 the status/note the form showed).
FIELD = re.compile(r"^[snwv](\d{1,12})$")


def attendance_entries(data) -> list[Entry]:
    """Every artisan named in a POSTed list, as entries for `attendance_save` (which validates them)."""
    ids = sorted({int(match.group(1)) for key in data for match in [FIELD.match(key)] if match})
    entries = []
    for artisan_id in ids:
        shown = None
        if f"w{artisan_id}" in data:
            shown = (data.get(f"w{artisan_id}", ""), data.get(f"v{artisan_id}", "").strip())
        entries.append(
            Entry(
                artisan_id=artisan_id,
                status=data.get(f"s{artisan_id}", "").strip(),
                note=data.get(f"n{artisan_id}", "").strip(),
                shown=shown,
            )
        )
    return entries
