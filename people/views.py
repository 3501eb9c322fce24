"""Sign-in on a shared device: centre → cohort → her name → her PIN; and sign-out.

Everything works without JavaScript. The keypad is a form of large digit
buttons: each tap is a small POST and the digits so far wait in the server-side
session (never in the page), so nothing of the PIN is left in the browser's
history. The fourth digit tries the PIN. Staff sign in with a username and a
strong password on the Wagtail login page, linked from every sign-in screen.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.text import fold

from . import pictures, throttle
from .models import ArtisanProfile, Cohort, CommunityCentre
from .naming import name_labels
from .services import PIN_LENGTH, artisan_pin_check, pin_status

KEYPAD_SESSION_KEY = "telar_keypad"
PENDING_DONE_SESSION_KEY = "telar_pending_done"
COHORT_COOKIE = "telar_cohort"
COHORT_COOKIE_AGE = 365 * 24 * 60 * 60
PIN_BACKEND = "people.backends.PinBackend"


def safe_next(request: HttpRequest) -> str:
    """The `next` URL from the query or form, only if it stays on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _cohort_choices(centre: CommunityCentre | None, cohorts, next_url: str) -> dict:
    return {"centre": centre, "cohorts": cohorts, "next_url": next_url}


def _steps(step: int, *, one_centre: bool) -> dict:
    """ "Paso 1 de 3": the screen she sees first is always step 1 (the centre screen is skipped when there
    is only one centre, so the group screen is then the first of three)."""
    if one_centre:
        return {"step": step - 1, "steps": 3}
    return {"step": step, "steps": 4}


def _one_centre(centre_id: int) -> bool:
    """No centre but this one (1 query): the sign-in started at the group screen."""
    return not CommunityCentre.objects.exclude(pk=centre_id).exists()


def _remembered_cohort(request: HttpRequest):
    value = request.COOKIES.get(COHORT_COOKIE, "")
    if not value.isdigit():
        return None
    return Cohort.objects.select_related("centre").filter(pk=int(value)).first()


@require_GET
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: the community centre (skipped when there is only one), and the group this device used last."""
    next_url = safe_next(request)
    centres = list(CommunityCentre.objects.order_by("name"))
    context = {"next_url": next_url, "remembered": _remembered_cohort(request)}
    if len(centres) == 1:
        centre = centres[0]
        context.update(_cohort_choices(centre, centre.cohorts.order_by("-start_date", "name"), next_url))
        context.update(_steps(2, one_centre=True))
        return render(request, "people/sign_in_cohorts.html", context)
    context["centres"] = centres
    context.update(_steps(1, one_centre=False))
    return render(request, "people/sign_in_centres.html", context)


@require_GET
def sign_in_centre(request: HttpRequest, centre_id: int) -> HttpResponse:
    """Step 2: her group (cohort) at that centre, newest first."""
    centre = get_object_or_404(CommunityCentre, pk=centre_id)
    next_url = safe_next(request)
    context = _cohort_choices(centre, centre.cohorts.order_by("-start_date", "name"), next_url)
    context["remembered"] = None
    context.update(_steps(2, one_centre=False))
    return render(request, "people/sign_in_cohorts.html", context)


@require_GET
def sign_in_cohort(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Step 3: her name, alphabetically, with a picture no one else in her group has (people.pictures):
    3 queries for any group size."""
    cohort = get_object_or_404(Cohort.objects.select_related("centre"), pk=cohort_id)
    group = list(
        ArtisanProfile.objects.filter(cohort=cohort)
        .select_related("user")
        .only("id", "user_id", "preferred_name", "full_name", "cohort_id", "photo", "user__is_active")
    )
    faces = pictures.group_pictures(group)  # over the whole group: an inactive woman keeps her place
    profiles = [profile for profile in group if profile.user.is_active]
    labels = name_labels(profiles)
    people = sorted(
        ({"profile": profile, "label": labels[profile.pk], "picture": faces[profile.pk]} for profile in profiles),
        key=lambda item: fold(item["label"]),
    )
    context = {"cohort": cohort, "people": people, "next_url": safe_next(request)}
    context.update(_steps(3, one_centre=_one_centre(cohort.centre_id)))
    return render(request, "people/sign_in_names.html", context)


@require_GET
def sign_in_photo(request: HttpRequest, token: str) -> HttpResponse:
    """Her photo, for the name screen of her own group only: the link is signed by that screen, names her
    current group and lasts a day (people.pictures); anything else is 404. Never under /media/."""
    profile = pictures.photo_profile(token)
    if profile is None:
        raise Http404
    with profile.photo.open("rb") as photo:
        response = HttpResponse(photo.read(), content_type="image/webp")
    response["Cache-Control"] = f"private, max-age={pictures.PHOTO_LINK_DAYS * 24 * 60 * 60}"
    response["X-Robots-Tag"] = "noindex"
    return response


def _keypad_digits(request: HttpRequest, user_id: int) -> str:
    entry = request.session.get(KEYPAD_SESSION_KEY)
    if isinstance(entry, dict) and entry.get("user") == user_id:
        return str(entry.get("digits", ""))[:PIN_LENGTH]
    return ""


def _locked_message(status) -> str:
    if status.held:
        return _("To keep your account safe, it is locked. Ask your facilitator to unlock it.")
    locked_until = status.locked_until
    when = formats.time_format(timezone.localtime(locked_until), "H:i")
    return _(
        "To keep your account safe, it is paused for 15 minutes. You can try again at %(time)s, "
        "or ask your facilitator to unlock it now."
    ) % {"time": when}


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_pin(request: HttpRequest, user_id: int) -> HttpResponse:
    """Step 4: her PIN on a large keypad. Wrong PINs count toward a per-account lockout."""
    profile = get_object_or_404(
        ArtisanProfile.objects.select_related("user", "cohort__centre"), user_id=user_id, user__is_active=True
    )
    user = profile.user
    next_url = safe_next(request)
    digits = _keypad_digits(request, user.pk)
    error = ""
    status = pin_status(user=user)

    slowed = request.method == "POST" and throttle.client_must_wait(request)
    if slowed:
        error = _("Many wrong PINs were typed on this phone. Wait a few seconds, then type yours again.")
    elif request.method == "POST" and status.has_pin and not status.locked:
        typed = request.POST.get("pin")
        if typed is not None:
            # A complete PIN typed in one go (a keyboard, assistive technology). A malformed one
            # is not a guess: it gets a plain message and does not count toward the lockout.
            digits = typed.strip()
            if not (len(digits) == PIN_LENGTH and digits.isascii() and digits.isdigit()):
                typed, digits, error = None, "", _("Your PIN is 4 numbers.")
        elif request.POST.get("n") == str(len(digits)):
            # Each tap says how many digits it saw; a repeated or stale tap is ignored (idempotent).
            key = request.POST.get("key", "")
            if key == "del":
                digits = digits[:-1]
            elif len(key) == 1 and key.isdigit() and len(digits) < PIN_LENGTH:
                digits += key
        if typed is not None or len(digits) >= PIN_LENGTH:
            result = artisan_pin_check(user=user, pin=digits)
            digits = ""
            request.session.pop(KEYPAD_SESSION_KEY, None)
            if result.ok:
                return _signed_in(request, profile, next_url)
            throttle.wrong_pin_from(request)
            status = result
            if not result.locked:
                error = ngettext(
                    "That PIN is not the one we have. Please try again. You have %(n)d try left.",
                    "That PIN is not the one we have. Please try again. You have %(n)d tries left.",
                    result.attempts_left,
                ) % {"n": result.attempts_left}
        else:
            request.session[KEYPAD_SESSION_KEY] = {"user": user.pk, "digits": digits}

    context = {
        "profile": profile,
        "digits_entered": len(digits),
        "dots": [index < len(digits) for index in range(PIN_LENGTH)],
        "keys": ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
        "status": status,
        "locked_message": _locked_message(status) if status.locked else "",
        "error": error,
        "next_url": next_url,
        "picture": pictures.picture_for(profile),
    }
    context.update(_steps(4, one_centre=_one_centre(profile.cohort.centre_id)))
    response = render(request, "people/sign_in_pin.html", context, status=429 if slowed else 200)
    if slowed:
        response["Retry-After"] = str(throttle.CLIENT_WAIT)
    return response


def _signed_in(request: HttpRequest, profile: ArtisanProfile, next_url: str) -> HttpResponse:
    """Log her in (a new session key: login() rotates it), remember her group on this device, go on."""
    login(request, profile.user, backend=PIN_BACKEND)
    pending = request.session.pop(PENDING_DONE_SESSION_KEY, None)
    if pending and next_url:
        messages.warning(request, _("Your lesson is not saved yet: tap “I finished this lesson” again."))
    else:
        messages.success(request, _("Hello, %(name)s!") % {"name": profile.preferred_name})
    if not next_url:
        with translation.override(profile.interface_language):
            next_url = reverse("wagtail_serve", args=[""])
    response = redirect(next_url)
    response.set_cookie(
        COHORT_COOKIE,
        str(profile.cohort_id),
        max_age=COHORT_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """End the session on this shared device (its data is flushed) and leave it ready for the next person."""
    logout(request)
    messages.success(request, _("You have signed out. See you soon!"))
    return redirect("people:sign_in")
