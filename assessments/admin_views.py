"""Admin screens for one quiz's spreadsheets: download the questions and options, upload them back."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import imports
from core.selectors import import_job_for, import_job_task_failed, import_jobs_recent
from core.spreadsheets import export_filename

from .imports import KIND, MAX_UPLOAD, SHEETS
from .models import Quiz
from .resources import export_sheet

FORMATS = ("csv", "xlsx")  # the import-export formats are imported only where a sheet is read or written
REFRESH_SECONDS = 3  # how often an import's page reloads itself while a task works on it


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


def _quiz_for_editor(request, quiz_id: int) -> Quiz:
    if not request.user.has_perm("assessments.change_quiz"):
        raise PermissionDenied
    return get_object_or_404(Quiz.objects.select_related("locale"), pk=quiz_id)


def _render(request, quiz, form):
    return render(
        request,
        "assessments/admin/quiz_sheets.html",
        {
            "quiz": quiz,
            "form": form,
            "formats": list(FORMATS),
            "jobs": import_jobs_recent(owner=request.user, kind=KIND, params={"quiz": quiz.pk}),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def quiz_sheets(request, quiz_id: int):
    """Upload: the sheets are kept and their preview queued (a task); the editor is sent to the job's page.

    The preview is a dry run (nothing saved); her "Confirm" imports every row or none, published as one
    revision. The page lists her recent imports of this quiz, so a closed page is found again.
    """
    quiz = _quiz_for_editor(request, quiz_id)
    if request.method != "POST":
        return _render(request, quiz, SheetsForm())
    form = SheetsForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, quiz, form)
    files = {what: (upload.name, upload.read()) for what in SHEETS if (upload := form.cleaned_data.get(what))}
    job = imports.import_job_start(owner=request.user, kind=KIND, files=files, params={"quiz": quiz.pk})
    return HttpResponseRedirect(reverse("assessments_admin:sheets_job", args=[quiz.pk, job.pk]), status=303)


def _job_or_404(request, quiz, job_id):
    """Her job for this quiz; anyone else's, another quiz's or a forged id is not found."""
    job = import_job_for(owner=request.user, job_id=job_id, kind=KIND)
    if job is None or (job.params or {}).get("quiz") != quiz.pk:
        raise Http404
    return job


@require_GET
def quiz_sheets_job(request, quiz_id: int, job_id):
    """One import: while a task works, a plain page that refreshes itself; then its preview or its result."""
    quiz = _quiz_for_editor(request, quiz_id)
    job = _job_or_404(request, quiz, job_id)
    stopped = import_job_task_failed(job)
    return render(
        request,
        "assessments/admin/quiz_sheets_job.html",
        {
            "quiz": quiz,
            "job": job,
            "stopped": stopped,
            "refresh": REFRESH_SECONDS if job.working and not stopped else None,
            "outcome": job.result or job.preview,
            "waiting": timezone.now() - job.updated_at,
            "form": SheetsForm(),
        },
    )


@require_POST
def quiz_sheets_confirm(request, quiz_id: int, job_id):
    """Her "Confirm": the import is queued once; a repeated confirmation queues nothing."""
    quiz = _quiz_for_editor(request, quiz_id)
    job = _job_or_404(request, quiz, job_id)
    imports.import_job_confirm_request(job=job, user=request.user)
    return HttpResponseRedirect(reverse("assessments_admin:sheets_job", args=[quiz.pk, job.pk]), status=303)


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
