"""Admin screens beyond create/edit: set or reset an artisan's PIN, unlock her account.

Both are allowed to admins and to the facilitators of her cohort only
(people.permissions.can_manage_artisan); every change is a POST with CSRF.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import PinForm, suggest_pin
from .models import ArtisanProfile
from .permissions import can_manage_artisan
from .services import artisan_pin_set, artisan_unlock, pin_status

INDEX_URL = "people_artisans:index"


def _managed_profile(request, pk: int) -> ArtisanProfile:
    profile = get_object_or_404(ArtisanProfile.objects.select_related("user", "cohort__centre"), pk=pk)
    if not can_manage_artisan(request.user, profile):
        raise PermissionDenied
    return profile


def _context(profile: ArtisanProfile, title: str, action: str, **extra) -> dict:
    return {
        "object": profile,
        "page_title": title,
        "page_subtitle": str(profile),
        "header_icon": "key",
        "action_url": reverse(action, args=[profile.pk]),
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse(INDEX_URL), "label": _("Artisans")},
            {"url": "", "label": title},
        ],
        **extra,
    }


@require_http_methods(["GET", "POST"])
def pin_set(request, pk: int):
    """Set or reset her PIN; this also lifts any lockout."""
    profile = _managed_profile(request, pk)
    form = PinForm(request.POST or None, initial={"pin": suggest_pin()})
    if request.method == "POST" and form.is_valid():
        artisan_pin_set(user=profile.user, pin=form.cleaned_data["pin"], by=request.user)
        messages.success(request, _("PIN saved for %(name)s.") % {"name": profile.full_name})
        return redirect(INDEX_URL)
    context = _context(
        profile,
        _("Set PIN"),
        "people_artisans:pin",
        form=form,
        submit_button_label=_("Save PIN"),
        status=pin_status(user=profile.user),
    )
    return TemplateResponse(request, "people/admin/pin_form.html", context)


@require_http_methods(["GET", "POST"])
def unlock(request, pk: int):
    """Let her try her PIN again now, instead of waiting out the 15 minutes."""
    profile = _managed_profile(request, pk)
    if request.method == "POST":
        artisan_unlock(user=profile.user, by=request.user)
        messages.success(request, _("%(name)s can sign in again.") % {"name": profile.full_name})
        return redirect(INDEX_URL)
    context = _context(
        profile,
        _("Unlock"),
        "people_artisans:unlock",
        submit_button_label=_("Unlock now"),
        status=pin_status(user=profile.user),
    )
    return TemplateResponse(request, "people/admin/unlock.html", context)
