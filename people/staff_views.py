"""Staff sign-in: username and password on a page of Telar's own (issue 16).

The Wagtail login weighs ~440 KB with its scripts; a facilitator signs in from a phone on 2G, so
this page is built like the artisans' sign-in pages (no script, inside the page budget). The
password is checked by ``people.backends.StaffBackend`` with its per-username lock
(``people.throttle``). Wagtail's own login redirects here (``lms/urls.py``), keeping ``next``.

Where she lands: ``next`` when it stays on this site; otherwise a facilitator her workspace
(``/facilitator/``), editors, programme staff and admins the Wagtail admin.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import throttle
from .forms import StaffSignInForm
from .models import User
from .roles import is_artisan, is_facilitator
from .views import safe_next

STAFF_BACKEND = "people.backends.StaffBackend"


def staff_start_url(user: User) -> str:
    """Where a staff member starts: her workspace for a facilitator, the Wagtail admin for everyone else.

    Superusers count as facilitators for every rule (``people.roles.is_facilitator``), but they
    start in the admin: only members of the Facilitators group start in the workspace.
    """
    if is_facilitator(user) and not user.is_superuser:
        return reverse("attendance:cohorts")
    return reverse("wagtailadmin_home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def staff_sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    if request.method == "GET" and request.user.is_authenticated and not is_artisan(request.user):
        return redirect(next_url or staff_start_url(request.user))
    form = StaffSignInForm(request, data=request.POST or None)
    if request.method == "POST":
        username = request.POST.get("username", "")
        if username and throttle.staff_locked(username):
            form.add_error(None, _("Too many wrong passwords for this username. Wait 15 minutes and try again."))
        elif form.is_valid():
            user = form.get_user()
            login(request, user, backend=STAFF_BACKEND)
            messages.success(request, _("Hello, %(name)s!") % {"name": user.get_short_name() or user.get_username()})
            return redirect(next_url or staff_start_url(user))
    return render(
        request,
        "people/staff_sign_in.html",
        {"form": form, "next_url": next_url},
    )


@require_http_methods(["GET", "POST"])
def wagtail_login(request: HttpRequest) -> HttpResponse:
    """Wagtail's login page, replaced: a visit goes to Telar's page with the same `next` (when safe);
    a form posted to the old address is answered by the same view, lock included."""
    if request.method == "POST":
        return staff_sign_in(request)
    next_url = safe_next(request)
    url = reverse("staff:sign_in")
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
