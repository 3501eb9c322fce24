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
from wagtail.admin import messages

from core import uploads
from core.spreadsheets import SpreadsheetError, export_filename, read_sheet

from .models import Quiz
from .resources import export_sheet, import_quiz_sheets

FORMATS = ("csv", "xlsx")
MAX_UPLOAD = 2 * 1024 * 1024


SHEETS = ("questions", "options")
HEADER_ROW = 1  # an exported sheet's headers are its first row


class SheetsForm(forms.Form):
    questions = forms.FileField(label=gettext_lazy("Questions sheet (CSV or XLSX)"), required=False)
    options = forms.FileField(label=gettext_lazy("Options sheet (CSV or XLSX)"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("questions") and not cleaned.get("options"):
            raise forms.ValidationError(_("Choose a questions sheet, an options sheet or both."))
        for name in SHEETS:
            upload = cleaned.get(name)
            if upload is None:
                continue
            extension = upload.name.rsplit(".", 1)[-1].lower()
            if extension not in FORMATS or upload.size > MAX_UPLOAD:
                self.add_error(name, _("%(name)s: upload a CSV or XLSX file under 2 MB.") % {"name": upload.name})
        return cleaned


def _datasets(files: dict[str, tuple[str, bytes]]) -> dict[str, object]:
    """Each sheet read (core.spreadsheets) into a Dataset; forms.ValidationError naming the file that is unreadable."""
    datasets = {}
    for what, (name, content) in files.items():
        try:
            datasets[what] = read_sheet(content, filename=name, max_bytes=MAX_UPLOAD).dataset(header_row=HEADER_ROW)
        except SpreadsheetError as error:
            raise forms.ValidationError(f"{name}: {error}")
    return datasets


def _purpose(quiz: Quiz) -> str:
    """The purpose of this quiz's sheets waiting for their confirmation (core.uploads)."""
    return f"quiz-sheets:{quiz.pk}"


def _quiz_for_editor(request, quiz_id: int) -> Quiz:
    if not request.user.has_perm("assessments.change_quiz"):
        raise PermissionDenied
    return get_object_or_404(Quiz.objects.select_related("locale"), pk=quiz_id)


def _render(request, quiz, form, *, errors=(), preview=None, kept=()):
    return render(
        request,
        "assessments/admin/quiz_sheets.html",
        {
            "quiz": quiz,
            "form": form,
            "errors": list(errors),
            "formats": list(FORMATS),
            "preview": preview,
            "kept": kept,
        },
        status=400 if errors or form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def quiz_sheets(request, quiz_id: int):
    """Upload → dry-run preview (nothing saved) → confirm: every row or none, published as one revision."""
    quiz = _quiz_for_editor(request, quiz_id)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, quiz)
    if request.method != "POST":
        return _render(request, quiz, SheetsForm())
    form = SheetsForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, quiz, form)
    files = {what: (upload.name, upload.read()) for what in SHEETS if (upload := form.cleaned_data.get(what))}
    try:
        datasets = _datasets(files)
    except forms.ValidationError as error:
        return _render(request, quiz, form, errors=error.messages)
    outcome = import_quiz_sheets(quiz=quiz, user=request.user, dry_run=True, header_row=HEADER_ROW, **datasets)
    if not outcome.ok:
        return _render(request, quiz, form, errors=outcome.errors)
    kept = [
        (what, uploads.upload_keep(owner=request.user, purpose=f"{_purpose(quiz)}:{what}", name=name, content=data))
        for what, (name, data) in files.items()
    ]
    return _render(request, quiz, SheetsForm(), preview=outcome, kept=[(what, upload.pk) for what, upload in kept])


def _confirm(request, quiz):
    files, found = {}, []
    for what in SHEETS:
        upload_id = request.POST.get(what)
        if not upload_id:
            continue
        upload = uploads.upload_for(owner=request.user, purpose=f"{_purpose(quiz)}:{what}", upload_id=upload_id)
        content = uploads.upload_content(upload) if upload is not None else None
        if content is None:
            messages.error(request, _("This preview has expired. Upload the sheets again."))
            return redirect(reverse("assessments_admin:sheets", args=[quiz.pk]))
        files[what] = (upload.name, content)
        found.append(upload)
    if not files:
        messages.error(request, _("This preview has expired. Upload the sheets again."))
        return redirect(reverse("assessments_admin:sheets", args=[quiz.pk]))
    try:
        datasets = _datasets(files)
    except forms.ValidationError as error:
        return _render(request, quiz, SheetsForm(), errors=error.messages)
    outcome = import_quiz_sheets(quiz=quiz, user=request.user, header_row=HEADER_ROW, **datasets)
    if not outcome.ok:  # the quiz changed since the preview: say why, nothing was saved
        return _render(request, quiz, SheetsForm(), errors=outcome.errors)
    for upload in found:
        uploads.upload_discard(upload=upload)
    messages.success(
        request,
        _("Imported: %(created)s new rows, %(updated)s updated.")
        % {"created": outcome.created, "updated": outcome.updated},
    )
    return redirect(reverse("assessments_admin:sheets", args=[quiz.pk]))


@require_GET
def quiz_sheet_export(request, quiz_id: int, what: str, file_format: str):
    quiz = _quiz_for_editor(request, quiz_id)
    if what not in ("questions", "options") or file_format not in FORMATS:
        raise Http404
    content, content_type = export_sheet(quiz=quiz, what=what, file_format=file_format)
    response = HttpResponse(content, content_type=content_type)
    words = {"questions": _("questions"), "options": _("options")}
    name = export_filename(_("quiz"), quiz.pk, words[what], file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
