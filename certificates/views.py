"""Certificate views: public verification, downloads, and a facilitator's cohort page.

Views stay thin: reads come from selectors, writes from services, the rule from rules.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from core.storage import private_file_response
from people.models import ArtisanProfile
from people.permissions import facilitator_required
from people.roles import artisan_required

from . import codes, permissions, ratelimit, rendering, selectors, services
from .forms import ReasonForm, VerifyForm
from .models import Certificate, CohortBundle

PDF_CACHE_CONTROL = "private, no-store"
PDF_RETRY_AFTER = 60  # seconds: a render takes well under that


def _rate_limited(request) -> HttpResponse:
    response = render(request, "certificates/rate_limited.html", status=429)
    response["Retry-After"] = str(ratelimit.retry_after())
    return response


def _not_found(request, form: VerifyForm | None = None) -> HttpResponse:
    return render(request, "certificates/verify.html", {"form": form or VerifyForm(), "not_found": True}, status=404)


@require_GET
def index(request):
    return redirect("certificates:verify")


@never_cache
@require_safe
def verify(request):
    """Type a code (a GET form: works without JavaScript and the result can be bookmarked)."""
    if "code" not in request.GET:
        return render(request, "certificates/verify.html", {"form": VerifyForm()})
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return _not_found(request, form)
    return redirect("certificates:verify_code", code=codes.display(form.cleaned_data["code"]))


@never_cache
@require_safe
def verify_code(request, code: str):
    """What the QR code opens: valid, revoked or replaced, with the printed name, programme and date only."""
    normalised = codes.normalise(code)
    if normalised is None:
        return _not_found(request, VerifyForm(initial={"code": code[:64]}))
    if code != codes.display(normalised):
        return redirect("certificates:verify_code", code=codes.display(normalised), permanent=True)
    if not ratelimit.allow(request):
        return _rate_limited(request)
    certificate = selectors.certificate_by_code(normalised)
    if certificate is None:
        return _not_found(request, VerifyForm(initial={"code": code}))
    return render(request, "certificates/verify.html", {"form": VerifyForm(), "result": certificate})


def _pdf_response(file_field, filename: str) -> HttpResponseBase:
    """The PDF from the private storage (Django streams it, or nginx through X-Accel-Redirect)."""
    response = private_file_response(file_field, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = PDF_CACHE_CONTROL
    return response


def _certificate_filename(certificate: Certificate) -> str:
    return f"{_('certificate')}-{certificate.display_code}.pdf"


def _certificate_pdf(request, certificate: Certificate) -> HttpResponse:
    """The stored PDF; one not rendered yet is rendered now, and one that cannot be gets a kind "being prepared".

    Runs outside any transaction (the views are `non_atomic_requests`), so a
    render never holds a database lock. The certificate is valid either way.
    """
    certificate = rendering.certificate_pdf_ready(certificate)
    if not certificate.pdf_ready:
        response = render(request, "certificates/pdf_pending.html", {"certificate": certificate}, status=202)
        response["Retry-After"] = str(PDF_RETRY_AFTER)
        response["Cache-Control"] = PDF_CACHE_CONTROL
        return response
    return _pdf_response(certificate.pdf, _certificate_filename(certificate))


@transaction.non_atomic_requests
@never_cache
@require_GET
@artisan_required
def mine(request):
    """Her own valid certificate (linked from Mi avance): of ``?programme=<translation key>``, else her latest."""
    try:
        key = uuid.UUID(request.GET["programme"]) if request.GET.get("programme") else None
    except ValueError:
        raise Http404 from None
    certificate = selectors.user_valid_certificate(request.user, key)
    if certificate is None:
        raise Http404
    return _certificate_pdf(request, certificate)


@transaction.non_atomic_requests
@require_GET
def download(request, pk: int):
    """One certificate: her own for an artisan, any of her cohorts' for a facilitator, any for editors and admins."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    certificate = selectors.certificate_for_download(request.user, pk)
    if certificate is None:
        raise Http404
    return _certificate_pdf(request, certificate)


@require_GET
@facilitator_required
def cohorts(request):
    return render(
        request,
        "certificates/cohorts.html",
        {"cohorts": permissions.certificate_cohorts(request.user).order_by("centre__name")},
    )


def _cohort_for(request, cohort_id: int):
    return get_object_or_404(permissions.certificate_cohorts(request.user), pk=cohort_id)


@require_GET
@facilitator_required
def cohort(request, cohort_id: int):
    """A cohort's artisans with their certificate or eligibility; issue by hand; the ceremony PDF."""
    group = _cohort_for(request, cohort_id)
    return render(
        request,
        "certificates/cohort.html",
        {
            "cohort": group,
            "rows": selectors.cohort_rows(group),
            "bundle": selectors.latest_bundle(group),
            "reason_form": ReasonForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@facilitator_required
def issue(request, cohort_id: int, user_id: int):
    """Issue by hand with a written reason (an exception the rule did not cover)."""
    group = _cohort_for(request, cohort_id)
    profile = get_object_or_404(ArtisanProfile.objects.select_related("user"), cohort=group, user_id=user_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_issue_manual(
                user=profile.user, issued_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Certificate issued for %(name)s.") % {"name": profile.full_name})
            return redirect("certificates:cohort", cohort_id=group.pk)
    status = 400 if request.method == "POST" else 200
    context = {"cohort": group, "profile": profile, "form": form}
    return render(request, "certificates/issue.html", context, status=status)


@require_POST
@facilitator_required
def bundle_create(request, cohort_id: int):
    group = _cohort_for(request, cohort_id)
    try:
        bundle = services.bundle_request(cohort=group, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("certificates:cohort", cohort_id=group.pk)
    return redirect("certificates:bundle", pk=bundle.pk)


def _bundle_for(request, pk: int) -> CohortBundle:
    return get_object_or_404(
        CohortBundle.objects.select_related("cohort__centre"),
        pk=pk,
        cohort__in=permissions.certificate_cohorts(request.user),
    )


@never_cache
@require_GET
@facilitator_required
def bundle(request, pk: int):
    """Being prepared (the page refreshes itself, no JavaScript), then a download link."""
    found = _bundle_for(request, pk)
    return render(
        request,
        "certificates/bundle.html",
        {"bundle": found, "cohort": found.cohort, "refresh": found.status == CohortBundle.Status.PENDING},
    )


@require_GET
@facilitator_required
def bundle_pdf(request, pk: int):
    found = _bundle_for(request, pk)
    if found.status != CohortBundle.Status.READY or not found.pdf:
        raise Http404
    name = f"{_('certificates')}-{found.cohort.name}.pdf".replace(" ", "-")
    return _pdf_response(found.pdf, name)
