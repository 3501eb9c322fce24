"""Admin screens of the reports app: dashboard, roster import, exports, personal-data rights.

Thin views: reads come from reports.selectors and reports.exports, writes from
reports.services and reports.privacy. Permissions are applied where the URLs are
registered (reports/wagtail_hooks.py), see reports.permissions.
"""

from __future__ import annotations

import json

import tablib
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from core.selectors import import_job_for, import_job_task_failed, import_jobs_recent
from core.spreadsheets import CONTENT_TYPES, export_filename
from people.models import ArtisanProfile

from . import charts, exports, privacy, services
from .forms import AnonymiseForm, ArtisanSearchForm, ExportForm, FilterForm, RosterUploadForm
from .labels import column_labels
from .roster import ROSTER, outcome_from_dict
from .selectors import dashboard

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}


class ReportsView(WagtailAdminTemplateMixin, TemplateView):
    def get_breadcrumbs_items(self):
        return [HOME, {"url": "", "label": self.get_page_title()}]


def dashboard_charts(data) -> dict:
    """The dashboard's SVG charts (shared by the report page and the admin-home panel)."""
    funnel = [charts.Bar(_("Enrolled"), data.artisans, "#6B5B4B"), charts.Bar(_("Started"), data.started, "#6B5B4B")]
    for module in data.modules:
        share = f"({round(100 * module.complete / data.artisans)} %)" if data.artisans else ""
        funnel.append(
            charts.Bar(
                _("Module %(number)s complete") % {"number": module.number}, module.complete, module.colour, share
            )
        )
    funnel.append(charts.Bar(_("Every module"), data.programme_complete, "#2E6B4F"))
    funnel.append(charts.Bar(_("Certificate issued"), data.certificates, "#2E6B4F"))
    cohorts = [
        charts.Bar(f"{cohort.name} · {centre.name}", cohort.artisans, "#8E3B46") for centre, cohort in data.cohorts
    ]
    centres = [charts.Bar(centre.name, centre.artisans, "#5A4A8A") for centre in data.centres]
    quiz = [
        charts.Bar(
            f"{module.number}. {module.title}",
            module.quiz_average,
            module.colour,
            f"(n={module.quiz_takers})" if module.quiz_takers else "",
        )
        for module in data.modules
    ]
    attendance = [
        charts.Bar(f"{cohort.name} · {centre.name}", cohort.attendance_rate, "#2E6B4F")
        for centre, cohort in data.cohorts
    ]
    return {
        "funnel_chart": charts.bar_chart(
            funnel, title=_("Artisans through the modules"), max_value=max(data.artisans, 1), centred=True
        ),
        "centres_chart": charts.bar_chart(centres, title=_("Artisans per community centre")) if centres else "",
        "cohorts_chart": charts.bar_chart(cohorts, title=_("Artisans per cohort")) if cohorts else "",
        "quiz_chart": charts.bar_chart(
            quiz, title=_("Average quiz score per module (out of 100)"), max_value=100, value_format=charts.score
        ),
        "attendance_chart": charts.bar_chart(
            attendance, title=_("Attendance rate per cohort"), max_value=1, value_format=charts.percent
        )
        if attendance
        else "",
    }


class DashboardView(ReportsView):
    page_title = gettext_lazy("Programme dashboard")
    header_icon = "table"
    template_name = "reports/admin/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = FilterForm(self.request.GET or None)
        filters = form.filters()
        data = dashboard(centre=filters.get("centre"), cohort=filters.get("cohort"), programme=filters.get("programme"))
        context.update(
            form=form,
            data=data,
            filters=filters,
            attendance_percent=charts.percent(data.attendance_rate),
            **dashboard_charts(data),
        )
        return context


class RosterImportView(ReportsView):
    """Upload: the file is kept and its preview queued (a task); she is sent to the job's page.

    The page also lists her recent imports, so a closed page is found again.
    """

    page_title = gettext_lazy("Import artisans")
    header_icon = "upload"
    template_name = "reports/admin/roster_import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", RosterUploadForm())
        context["labels"] = column_labels()
        context["jobs"] = import_jobs_recent(owner=self.request.user, kind=ROSTER)
        return context

    def post(self, request):
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        job = services.import_job_start(owner=request.user, filename=upload.name, content=upload.read())
        return HttpResponseRedirect(reverse("telar_reports:roster_job", args=[job.pk]), status=303)


class RosterJobView(ReportsView):
    """One import: while a task works, a plain page that refreshes itself; then its preview or its result."""

    page_title = gettext_lazy("Import artisans")
    header_icon = "upload"
    template_name = "reports/admin/roster_job.html"
    REFRESH_SECONDS = 3

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.job = import_job_for(owner=request.user, job_id=kwargs.get("job_id"), kind=ROSTER)

    def get_breadcrumbs_items(self):
        return [
            HOME,
            {"url": reverse("telar_reports:roster_import"), "label": _("Import artisans")},
            {"url": "", "label": self.job.filename if self.job else ""},
        ]

    def get(self, request, *args, **kwargs):
        if self.job is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        stopped = import_job_task_failed(job)
        context.update(
            job=job,
            stopped=stopped,
            refresh=self.REFRESH_SECONDS if job.working and not stopped else None,
            preview=outcome_from_dict(job.preview),
            result=outcome_from_dict(job.result),
            waiting=timezone.now() - job.updated_at,
            form=RosterUploadForm(),
        )
        return context


class RosterConfirmView(RosterJobView):
    """Her "Confirm": the import is queued once; a repeated confirmation queues nothing."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if self.job is None:
            raise Http404
        services.import_job_confirm_request(job=self.job, user=request.user)
        return HttpResponseRedirect(reverse("telar_reports:roster_job", args=[self.job.pk]), status=303)


def roster_template(request):
    """A blank roster with the headers in the admin's language, to fill in Excel."""
    labels = column_labels()
    dataset = tablib.Dataset(headers=[labels[column] for column in labels])
    response = HttpResponse(exports.render(dataset, "xlsx"), content_type=CONTENT_TYPES["xlsx"])
    name = export_filename(_("roster template"), file_format="xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ExportView(ReportsView):
    page_title = gettext_lazy("Export data")
    header_icon = "download"
    template_name = "reports/admin/export.html"

    def kinds(self):
        return [(kind.key, kind.label) for kind in exports.EXPORTS.values()]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ExportForm(kinds=self.kinds(), initial={"kind": "artisans", "file_format": "xlsx"}))
        return context

    def post(self, request):
        form = ExportForm(request.POST, kinds=self.kinds())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        centre, cohort, kind, file_format = data.get("centre"), data.get("cohort"), data["kind"], data["file_format"]
        programme = data.get("programme")
        dataset = exports.EXPORTS[kind].build(centre=centre, cohort=cohort, programme=programme)
        filters = {"centre": str(centre) if centre else "", "cohort": str(cohort) if cohort else ""}
        if programme is not None:
            filters["programme"] = programme.title
        services.export_logged(
            user=request.user, kind=kind, file_format=file_format, rows=len(dataset), filters=filters
        )
        response = HttpResponse(exports.render(dataset, file_format), content_type=CONTENT_TYPES[file_format])
        name = exports.filename(kind, file_format, centre=centre, cohort=cohort, programme=programme)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class PersonalDataView(ReportsView):
    """Find an artisan to answer an access or cancellation request (ARCO rights)."""

    page_title = gettext_lazy("Personal data requests")
    header_icon = "user"
    template_name = "reports/admin/personal_data.html"
    LIMIT = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ArtisanSearchForm(self.request.GET or None)
        results = []
        if form.is_valid() and form.cleaned_data["q"]:
            q = form.cleaned_data["q"]
            results = list(
                ArtisanProfile.objects.filter(
                    Q(full_name__icontains=q)
                    | Q(preferred_name__icontains=q)
                    | Q(external_id__iexact=q)
                    | Q(user__username__iexact=q)
                )
                .select_related("cohort__centre", "user")
                .order_by("full_name", "pk")[: self.LIMIT]
            )
        context.update(form=form, results=results, searched=form.is_bound)
        return context


class ArtisanPrivacyView(ReportsView):
    """One artisan: what Telar holds about her, the data-access download and anonymisation."""

    header_icon = "user"
    template_name = "reports/admin/artisan_privacy.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.profile = get_object_or_404(
            ArtisanProfile.objects.select_related("cohort__centre", "user"), pk=kwargs["pk"]
        )

    def get_page_title(self):
        return _("Personal data: %(name)s") % {"name": self.profile.full_name}

    def get_breadcrumbs_items(self):
        return [
            HOME,
            {"url": reverse("telar_reports:personal_data"), "label": _("Personal data requests")},
            {"url": "", "label": self.profile.full_name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AnonymiseForm(profile=self.profile))
        context.update(
            profile=self.profile,
            anonymised=privacy.is_anonymised(self.profile),
            summary=privacy.artisan_data_summary(self.profile),
        )
        return context

    def post(self, request, pk):
        form = AnonymiseForm(request.POST, profile=self.profile)
        if privacy.is_anonymised(self.profile):
            messages.info(request, _("This artisan was already anonymised."))
            return HttpResponseRedirect(request.path)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        privacy.artisan_anonymise(profile=self.profile, by=request.user)
        messages.success(request, _("The artisan was anonymised. Her progress still counts in the totals."))
        return HttpResponseRedirect(reverse("telar_reports:artisan_privacy", args=[pk]))


def artisan_data_download(request, pk):
    """Everything Telar holds about one artisan, as one JSON file (right of access). POST: it is logged."""
    profile = get_object_or_404(ArtisanProfile.objects.select_related("cohort__centre", "user"), pk=pk)
    data = privacy.artisan_personal_data(profile)
    log(profile, "reports.personal_data_download", user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    name = export_filename(_("personal data"), profile.pk, timezone.localdate().isoformat(), file_format="json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
