"""Admin screens for one quiz's spreadsheets: download the questions and options, upload them back."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from import_export.formats.base_formats import CSV, XLSX
from wagtail.admin import messages

from .models import Quiz
from .resources import export_sheet, import_quiz_sheets

FORMATS = {"csv": CSV, "xlsx": XLSX}
MAX_UPLOAD = 2 * 1024 * 1024


class SheetsForm(forms.Form):
    questions = forms.FileField(label=gettext_lazy("Questions sheet (CSV or XLSX)"), required=False)
    options = forms.FileField(label=gettext_lazy("Options sheet (CSV or XLSX)"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("questions") and not cleaned.get("options"):
            raise forms.ValidationError(_("Choose a questions sheet, an options sheet or both."))
        return cleaned

    @staticmethod
    def dataset(upload):
        """A tablib Dataset from an uploaded CSV or XLSX file, or a ValidationError."""
        if upload is None:
            return None
        extension = upload.name.rsplit(".", 1)[-1].lower()
        if extension not in FORMATS or upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("%(name)s: upload a CSV or XLSX file under 2 MB.") % {"name": upload.name})
        data = upload.read()
        try:
            if extension == "csv":
                return CSV().create_dataset(data.decode("utf-8-sig"))
            return XLSX().create_dataset(data)
        except Exception:  # noqa: BLE001 - any unreadable file gets the same plain message
            raise forms.ValidationError(
                _("%(name)s could not be read as %(format)s.") % {"name": upload.name, "format": extension.upper()}
            )


def _quiz_for_editor(request, quiz_id: int) -> Quiz:
    if not request.user.has_perm("assessments.change_quiz"):
        raise PermissionDenied
    return get_object_or_404(Quiz.objects.select_related("locale"), pk=quiz_id)


@require_http_methods(["GET", "POST"])
def quiz_sheets(request, quiz_id: int):
    quiz = _quiz_for_editor(request, quiz_id)
    errors: list[str] = []
    if request.method == "POST":
        form = SheetsForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                questions = form.dataset(form.cleaned_data.get("questions"))
                options = form.dataset(form.cleaned_data.get("options"))
            except forms.ValidationError as error:
                errors = list(error.messages)
            else:
                outcome = import_quiz_sheets(quiz=quiz, questions=questions, options=options, user=request.user)
                if outcome.ok:
                    messages.success(
                        request,
                        _("Imported: %(created)s new rows, %(updated)s updated.")
                        % {"created": outcome.created, "updated": outcome.updated},
                    )
                    return redirect(reverse("assessments_admin:sheets", args=[quiz.pk]))
                errors = outcome.errors
    else:
        form = SheetsForm()
    return render(
        request,
        "assessments/admin/quiz_sheets.html",
        {"quiz": quiz, "form": form, "errors": errors, "formats": list(FORMATS)},
        status=400 if errors else 200,
    )


@require_GET
def quiz_sheet_export(request, quiz_id: int, what: str, file_format: str):
    quiz = _quiz_for_editor(request, quiz_id)
    if what not in ("questions", "options") or file_format not in FORMATS:
        raise Http404
    content, content_type = export_sheet(quiz=quiz, what=what, file_format=file_format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="quiz-{quiz.pk}-{what}.{file_format}"'
    return response
