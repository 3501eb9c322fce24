"""Admin wiring for reports: URLs, the Reports menu items, the admin-home panel, log actions, permissions.

Every view is wrapped here with its permission test (reports.permissions); Wagtail's
``require_admin_access`` already guards everything under /admin/.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.auth import user_passes_test
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import views
from .permissions import can_manage_personal_data, can_view_dashboard
from .selectors import dashboard

dashboard_required = user_passes_test(can_view_dashboard)
personal_data_required = user_passes_test(can_manage_personal_data)

urlpatterns = [
    path("", dashboard_required(views.DashboardView.as_view()), name="dashboard"),
    path("import/", personal_data_required(views.RosterImportView.as_view()), name="roster_import"),
    path("import/<uuid:job_id>/", personal_data_required(views.RosterJobView.as_view()), name="roster_job"),
    path(
        "import/<uuid:job_id>/confirm/",
        personal_data_required(views.RosterConfirmView.as_view()),
        name="roster_confirm",
    ),
    path("import/template.xlsx", personal_data_required(views.roster_template), name="roster_template"),
    path("export/", personal_data_required(views.ExportView.as_view()), name="export"),
    path("personal-data/", personal_data_required(views.PersonalDataView.as_view()), name="personal_data"),
    path("personal-data/<int:pk>/", personal_data_required(views.ArtisanPrivacyView.as_view()), name="artisan_privacy"),
    path(
        "personal-data/<int:pk>/download/",
        personal_data_required(require_POST(views.artisan_data_download)),
        name="artisan_data_download",
    ),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("programme/", include((urlpatterns, "telar_reports")))]


class PermittedMenuItem(MenuItem):
    def __init__(self, *args, test, **kwargs):
        super().__init__(*args, **kwargs)
        self.test = test

    def is_shown(self, request):
        return self.test(request.user)


@hooks.register("register_reports_menu_item")
def dashboard_menu_item():
    return PermittedMenuItem(
        _("Programme dashboard"),
        reverse("telar_reports:dashboard"),
        name="programme-dashboard",
        icon_name="table",
        order=100,
        test=can_view_dashboard,
    )


@hooks.register("register_reports_menu_item")
def import_menu_item():
    return PermittedMenuItem(
        _("Import artisans"),
        reverse("telar_reports:roster_import"),
        name="roster-import",
        icon_name="upload",
        order=110,
        test=can_manage_personal_data,
    )


@hooks.register("register_reports_menu_item")
def export_menu_item():
    return PermittedMenuItem(
        _("Export data"),
        reverse("telar_reports:export"),
        name="programme-export",
        icon_name="download",
        order=120,
        test=can_manage_personal_data,
    )


@hooks.register("register_reports_menu_item")
def personal_data_menu_item():
    return PermittedMenuItem(
        _("Personal data requests"),
        reverse("telar_reports:personal_data"),
        name="personal-data",
        icon_name="user",
        order=130,
        test=can_manage_personal_data,
    )


class ProgrammePanel(Component):
    """The admin home's summary: headline numbers and the funnel, from the same cache as the dashboard."""

    name = "programme_summary"
    order = 50
    template_name = "reports/admin/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        data = dashboard()
        return {
            "data": data,
            "funnel_chart": views.dashboard_charts(data)["funnel_chart"],
            "attendance_percent": views.charts.percent(data.attendance_rate),
        }


@hooks.register("construct_homepage_panels")
def add_programme_panel(request, panels):
    if can_view_dashboard(request.user):
        panels.append(ProgrammePanel(request))


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("reports.export", _("Export"), _("Exported programme data"))
    actions.register_action(
        "reports.personal_data_download", _("Data-access download"), _("Downloaded all her data for an access request")
    )
    actions.register_action("reports.anonymise", _("Anonymise"), _("Anonymised at her request"))


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label="reports", codename__in=["view_dashboard", "manage_personal_data"]
    )
