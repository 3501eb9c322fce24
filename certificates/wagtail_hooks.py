"""Certificates in the Wagtail admin: list, filter, revoke with a reason, reissue, issue by hand.

A certificate is never edited in place nor deleted: its fields are what was
printed. "Manage" shows the record and offers the two changes that exist —
revoke (the code then says "revoked") and reissue (a new certificate and code;
the old code says "replaced"). "Issue by hand" needs a written reason. The
list shows each PDF's state (being prepared, ready, failed); a PDF that is
not ready can be prepared again from its page or, all at once, from the list.
The certificate template (threshold, organisation, logo, signature) is in
Settings → Certificate settings.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from people.models import ArtisanProfile, Cohort

from . import permissions, services
from .forms import ReasonForm
from .models import Certificate


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Model permissions, except that nobody deletes a certificate: revoke it instead."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


def _visible(user):
    return permissions.visible_certificates(user).select_related("issued_by")


class CertificateFilterSet(WagtailFilterSet):
    cohort = django_filters.ModelChoiceFilter(
        label=_("Cohort"), field_name="user__artisan__cohort", queryset=Cohort.objects.select_related("centre")
    )
    issued_on = django_filters.DateFromToRangeFilter(label=_("Issue date"), widget=DateRangePickerWidget)

    class Meta:
        model = Certificate
        fields = ["status", "issued_how", "pdf_status", "cohort", "issued_on"]


def _pdfs_not_ready(user):
    return _visible(user).exclude(pdf_status=Certificate.PdfStatus.READY)


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return _visible(self.request.user)

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if _pdfs_not_ready(self.request.user).exists():
            buttons.append(
                HeaderButton(_("Prepare the pending PDFs"), url=reverse("certificate:retry_pdfs"), icon_name="rotate")
            )
        return buttons


class AdminPermissionMixin:
    permission_action = "change"

    def dispatch(self, request, *args, **kwargs):
        policy = CertificatePermissionPolicy(Certificate)
        if not policy.user_has_permission(request.user, self.permission_action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CertificateAdminPage(AdminPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """An admin page under Certificates: its icon and its breadcrumbs (Certificates › this page)."""

    header_icon = "doc-full"

    def crumb_label(self) -> str:
        return str(self.page_title)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("certificate:index"), "label": Certificate._meta.verbose_name_plural},
            {"url": "", "label": self.crumb_label()},
        ]


class ManageView(CertificateAdminPage):
    """The record, then the changes a certificate can have: revoke and reissue (and a PDF prepared again)."""

    template_name = "certificates/admin/manage.html"
    page_title = _("Certificate")

    def get(self, request, *args, **kwargs):
        self.object = get_object_or_404(_visible(request.user), pk=kwargs["pk"])  # after the permission check
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def crumb_label(self) -> str:
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("revoke_form", ReasonForm(prefix="revoke"))
        context.setdefault("reissue_form", ReasonForm(prefix="reissue"))
        context["object"] = self.object
        context["download_url"] = reverse("certificates:download", args=[self.object.pk])
        return context

    def post(self, request, *args, **kwargs):
        self.object = get_object_or_404(_visible(request.user), pk=kwargs["pk"])
        action = request.POST.get("action")
        if action == "retry_pdf":
            services.certificate_pdf_retry(certificate=self.object)
            messages.success(request, _("The PDF is being prepared again."))
            return redirect("certificate:edit", self.object.pk)
        if action not in {"revoke", "reissue"}:
            return self.render_to_response(self.get_context_data(), status=400)
        form = ReasonForm(request.POST, prefix=action)
        if form.is_valid():
            service = services.certificate_revoke if action == "revoke" else services.certificate_reissue
            try:
                result = service(certificate=self.object, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if action == "revoke":
                    messages.success(request, _("Certificate revoked: its code now shows “revoked”."))
                else:
                    messages.success(request, _("Certificate reissued with a new code: the old code shows “replaced”."))
                return redirect("certificate:edit", result.pk)
        return self.render_to_response(self.get_context_data(**{f"{action}_form": form}), status=400)


class RetryPdfsView(CertificateAdminPage):
    """Prepare again every PDF this user can see that is not ready (a confirmation, then one POST)."""

    template_name = "certificates/admin/retry_pdfs.html"
    page_title = _("Prepare the pending PDFs")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending"] = _pdfs_not_ready(self.request.user).order_by("issued_at", "pk")
        return context

    def post(self, request, *args, **kwargs):
        pending = list(_pdfs_not_ready(request.user))
        for certificate in pending:
            services.certificate_pdf_retry(certificate=certificate)
        messages.success(request, _("%(count)s PDFs are being prepared again.") % {"count": len(pending)})
        return redirect("certificate:index")


class ManualIssueForm(ReasonForm):
    artisan = forms.ModelChoiceField(label=_("Artisan"), queryset=ArtisanProfile.objects.none())

    field_order = ["artisan", "reason"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        profiles = permissions.issuable_profiles(user).exclude(user__certificates__status=Certificate.Status.VALID)
        self.fields["artisan"].queryset = profiles.order_by("cohort__name", "full_name")
        self.fields["artisan"].label_from_instance = lambda profile: f"{profile.full_name} · {profile.cohort}"


class IssueView(CertificateAdminPage):
    """Issue a certificate by hand: an exception, so the reason is required and kept."""

    permission_action = "add"
    template_name = "certificates/admin/issue.html"
    page_title = _("Issue a certificate by hand")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ManualIssueForm(user=self.request.user))
        return context

    def post(self, request, *args, **kwargs):
        form = ManualIssueForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                certificate = services.certificate_issue_manual(
                    user=form.cleaned_data["artisan"].user, issued_by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Certificate issued."))
                return redirect("certificate:edit", certificate.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 300
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = CertificateIndexView
    form_fields = ["reason"]  # unused: the generic create/edit views are replaced below
    filterset_class = CertificateFilterSet
    search_fields = ["printed_name", "code"]
    list_display = [
        TitleColumn("printed_name", label=_("Name"), url_name="certificate:edit"),
        Column("display_code", label=_("Code")),
        Column("get_status_display", label=_("Status")),
        DateColumn("issued_on", label=_("Issue date")),
        Column("get_issued_how_display", label=_("Issued")),
        Column("get_pdf_status_display", label=_("PDF")),
        Column("cohort", label=_("Cohort"), accessor="user.artisan.cohort.name"),
    ]
    list_export = ["printed_name", "display_code", "status", "issued_on", "issued_how", "programme_title"]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["delete_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        kept = {"index", "index_results", "history", "history_results", "usage"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in kept] + [
            path("new/", IssueView.as_view(), name="add"),
            path("edit/<int:pk>/", ManageView.as_view(), name="edit"),
            path("pdfs/retry/", RetryPdfsView.as_view(), name="retry_pdfs"),
        ]


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet("certificate")
