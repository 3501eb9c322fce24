"""Admin wiring: sessions, with a bulk "series" creator for a cohort.

Attendance itself is taken and corrected on the facilitator pages
(/facilitator/), where editors and admins see every cohort.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import DeleteView, IndexView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from .access import may_use_workspace
from .forms import SessionSeriesForm, programme_modules
from .models import Session
from .services import sessions_create_series


class SessionSeriesView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Create a cohort's sessions at once: weekly (or every N days), one per module or a number of them."""

    model = Session
    permission_required = "add"
    form_class = SessionSeriesForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = gettext_lazy("Create a series of sessions")
    header_icon = "date"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("attendance_sessions:series")
        context["submit_button_label"] = _("Create sessions")
        return context

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("attendance_sessions:index"), "label": _("Sessions")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        data = form.cleaned_data
        result = sessions_create_series(
            cohort=data["cohort"],
            first_date=data["first_date"],
            start_time=data["start_time"],
            every_days=data["every_days"],
            count=None if data["one_per_module"] else data["count"],
            modules=list(programme_modules(data["cohort"].programme)) if data["one_per_module"] else (),
            place=data["place"],
            created_by=self.request.user,
        )
        messages.success(
            self.request,
            _("%(created)s sessions created for %(cohort)s; %(existing)s already existed and were kept.")
            % {"created": len(result.created), "cohort": data["cohort"], "existing": len(result.existing)},
        )
        return redirect(reverse("attendance_sessions:index") + f"?cohort={data['cohort'].pk}")


class SessionIndexView(IndexView):
    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(
                HeaderButton(_("Create a series"), url=reverse("attendance_sessions:series"), icon_name="list-ul")
            )
        return buttons


class SessionDeleteView(DeleteView):
    """Attendance is never lost by deleting its session: refuse, and say why (records PROTECT the session)."""

    def form_valid(self, form):
        if self.object.records.exists():
            messages.error(
                self.request,
                _("This session has attendance recorded, so it cannot be deleted. Correct its date or module instead."),
            )
            return redirect(reverse("attendance_sessions:edit", args=[self.object.pk]))
        return super().form_valid(form)


class SessionViewSet(ModelViewSet):
    model = Session
    icon = "date"
    menu_label = gettext_lazy("Sessions")
    name = "attendance_sessions"
    add_to_admin_menu = True
    index_view_class = SessionIndexView
    delete_view_class = SessionDeleteView
    list_display = ["__str__", "cohort", "module", "place"]
    list_filter = ["cohort", "date"]
    form_fields = ["cohort", "module", "date", "start_time", "place", "facilitators"]
    ordering = ["-date", "-start_time"]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Session.objects.select_related("cohort__centre", "module")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("series/", SessionSeriesView.as_view(), name="series")]


@hooks.register("register_admin_viewset")
def register_session_viewset():
    return SessionViewSet()


class WorkspaceMenuItem(MenuItem):
    """A way from the admin (where staff sign in) to the facilitator pages."""

    def is_shown(self, request):
        return may_use_workspace(request.user)


@hooks.register("register_admin_menu_item")
def register_workspace_menu_item():
    return WorkspaceMenuItem(
        gettext_lazy("Facilitator workspace"), reverse_lazy("attendance:cohorts"), icon_name="group", order=150
    )
