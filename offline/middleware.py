"""Headers that tell the service worker (and the HTTP cache) what a page is.

- ``X-Telar-Who``: who the page was rendered for ("0" for a guest, otherwise a
  short keyed hash of the user id). When it changes — she signed out, her
  session ended, someone else signed in — the service worker deletes every
  personal page it kept on the device.
- ``X-Telar-Keep``: the page may be kept on the device for offline reading
  (lessons, modules, quizzes, her progress, the facilitator's lists). The
  service worker keeps a guest's copy with the content, which stays on the
  device, and a signed-in copy with the personal pages, which do not.
- ``Cache-Control: private, no-store`` on every page rendered for a signed-in
  user: personal pages never sit in the browser's HTTP cache of a shared phone.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac

# URL names of the pages worth having offline (the rest — sign-in keypad, admin, PDFs — never are).
KEEP_VIEWS = frozenset(
    {
        "wagtail_serve",
        "assessments:take",
        "assessments:result",
        "progress:mine",
        "attendance:cohorts",
        "attendance:cohort",
        "attendance:session",
        "workspace:cohort_progress",
        "offline:page",
    }
)


def who(user) -> str:
    if user is None or not user.is_authenticated:
        return "0"
    return salted_hmac("offline.who", str(user.pk)).hexdigest()[:16]


class OfflineHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        user = getattr(request, "user", None)
        response["X-Telar-Who"] = who(user)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        match = getattr(request, "resolver_match", None)
        if request.method == "GET" and response.status_code == 200 and match and match.view_name in KEEP_VIEWS:
            response["X-Telar-Keep"] = "1"
        return response
