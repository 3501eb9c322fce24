"""The facilitator's workspace pages that need more than one app: the cohort progress grid, her artisans.

The grid has the same access as the attendance pages (`attendance.access`): her own cohorts for a
facilitator, every cohort for programme staff and admins, a plain 403 page otherwise. Her artisans
(add one, her preferred name, her PIN, unlock her) follow ``people.permissions.managed_cohorts`` /
``can_manage_artisan``: the facilitators of her cohort and admins. Every change is a POST with CSRF,
answered by a redirect (a reload never sends it again) with a message that says what was saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from attendance.access import facilitator_required, require_cohort
from people.forms import PinForm, suggest_pin
from people.models import ArtisanProfile, Cohort
from people.permissions import can_manage_artisan, managed_cohorts
from people.pictures import picture_for
from people.services import artisan_pin_set, artisan_rename, artisan_unlock, set_artisan_photo

from .forms import ArtisanAddForm, PreferredNameForm
from .selectors import artisan_sign_in, cohort_artisans, cohort_grid
from .services import cohort_artisan_add


def _forbidden(request):
    return render(request, "attendance/forbidden.html", status=403)


@require_GET
@facilitator_required
def cohort_progress(request, cohort_id: int):
    try:
        cohort = require_cohort(request.user, cohort_id)
    except PermissionDenied:
        return _forbidden(request)
    ready_only = request.GET.get("ready") == "1"  # "lista para constancia"
    grid = cohort_grid(cohort, ready_only=ready_only)
    return render(request, "workspace/progress.html", {"cohort": cohort, "grid": grid, "ready_only": ready_only})


@require_http_methods(["GET", "POST"])
@facilitator_required
def artisans(request, cohort_id: int):
    """Her cohort's artisans with their sign-in state, and the form to add one."""
    cohort = get_object_or_404(Cohort.objects.select_related("centre"), pk=cohort_id)
    if not managed_cohorts(request.user).filter(pk=cohort.pk).exists():
        return _forbidden(request)
    form = ArtisanAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = cohort_artisan_add(cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(name)s is now in the group. Give her a PIN.") % {"name": profile.preferred_name}
            )
            return redirect("workspace:artisan", profile_id=profile.pk)
    context = {"cohort": cohort, "artisans": cohort_artisans(cohort), "form": form}
    return render(request, "workspace/artisans.html", context, status=400 if form.errors else 200)


ACTIONS = ("name", "pin", "unlock", "photo", "photo_remove")


@require_http_methods(["GET", "POST"])
@facilitator_required
def artisan(request, profile_id: int):
    """One artisan: her sign-in (unlock, with her wrong PINs), a new PIN, the name she prefers, her photo
    for the sign-in list (``people.services.set_artisan_photo``: a ≤ 3 KB square, private)."""
    profile = get_object_or_404(ArtisanProfile.objects.select_related("user", "cohort__centre"), pk=profile_id)
    if not can_manage_artisan(request.user, profile):
        return _forbidden(request)
    action = request.POST.get("action") if request.method == "POST" else None
    photo_errors: list[str] = []
    name_form = PreferredNameForm(
        request.POST if action == "name" else None, initial={"preferred_name": profile.preferred_name}
    )
    pin_form = PinForm(request.POST if action == "pin" else None, initial={"pin": suggest_pin()})
    if action == "name" and name_form.is_valid():
        try:
            changed = artisan_rename(profile=profile, preferred_name=name_form.cleaned_data["preferred_name"])
        except ValidationError as error:
            profile.refresh_from_db()
            name_form.add_error("preferred_name", error)
        else:
            if changed:
                messages.success(request, _("Saved: she is now called %(name)s.") % {"name": profile.preferred_name})
            return redirect("workspace:artisan", profile_id=profile.pk)
    elif action == "pin" and pin_form.is_valid():
        artisan_pin_set(user=profile.user, pin=pin_form.cleaned_data["pin"], by=request.user)
        messages.success(
            request, _("PIN saved for %(name)s. She can sign in with it now.") % {"name": profile.preferred_name}
        )
        return redirect("workspace:artisan", profile_id=profile.pk)
    elif action == "unlock":
        artisan_unlock(user=profile.user, by=request.user)
        messages.success(request, _("%(name)s can sign in again.") % {"name": profile.preferred_name})
        return redirect("workspace:artisan", profile_id=profile.pk)
    elif action == "photo" and request.FILES.get("photo"):
        try:
            set_artisan_photo(profile, request.FILES["photo"])
        except ValidationError as error:
            photo_errors = error.messages
        else:
            messages.success(
                request, _("Photo saved: %(name)s sees it beside her name.") % {"name": profile.preferred_name}
            )
            return redirect("workspace:artisan", profile_id=profile.pk)
    elif action == "photo_remove":
        set_artisan_photo(profile, None)
        messages.success(request, _("Photo removed."))
        return redirect("workspace:artisan", profile_id=profile.pk)
    elif action == "photo":
        photo_errors = [_("Choose or take a photo first.")]
    elif action is not None and action not in ACTIONS:
        return redirect("workspace:artisan", profile_id=profile.pk)
    invalid = name_form.errors or pin_form.errors or photo_errors
    context = {
        "cohort": profile.cohort,
        "profile": profile,
        "sign_in": artisan_sign_in(profile),
        "name_form": name_form,
        "pin_form": pin_form,
        "picture": picture_for(profile),
        "photo_errors": photo_errors,
    }
    return render(request, "workspace/artisan.html", context, status=400 if invalid else 200)
