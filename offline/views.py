"""The service worker, the web app manifest, the offline page, module sizes and the queue's way home.

Everything here enhances pages that already work without it: a browser
without service workers (or with them blocked) never asks for these URLs.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.tokens import MAX_AGE
from courses.models import ModulePage

from .selectors import module_bundle
from .services import QUEUEABLE, queued_write_accept

SERVICE_WORKER = "js/sw.js"
MAX_ITEMS = 50  # writes per sync request; the phone sends the rest next time
MAX_BODY = 64 * 1024  # one kept form; an attendance list of 40 artisans is ~4 KB
SENTINEL = 987654321


def _read_static(name: str) -> bytes:
    path = finders.find(name)
    if path:
        with open(path, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(name) as handle:
        return handle.read()


def _url_pattern(name: str, argument: str | None = None) -> str:
    """A JavaScript regular expression for a URL name, in any language (ids as \\d+)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, kwargs={argument: SENTINEL} if argument else None)
    others = "|".join(re.escape(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
    pattern = re.escape(path).replace(str(SENTINEL), r"\d+")
    return f"^(?:/(?:{others}))?{pattern}$"


def _per_language(name: str) -> dict[str, str]:
    urls = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls[code] = reverse(name)
    return urls


def service_worker_config() -> dict:
    """What the service worker needs from the server: URLs of its files, pages and queueable forms."""
    return {
        "precache": [static("css/telar.css"), static("js/telar.js")],
        "offlinePages": _per_language("offline:page"),
        "syncUrl": reverse("offline:sync"),
        "queueable": {str(kind): _url_pattern(name, argument) for name, (kind, argument, _h) in QUEUEABLE.items()},
        "signOutPattern": _url_pattern("people:sign_out"),
        "signOutUrl": reverse("people:sign_out"),
        "mediaPrefix": urlsplit(settings.MEDIA_URL).path,
        "idleSeconds": settings.SESSION_COOKIE_AGE,
        "defaultLanguage": settings.LANGUAGE_CODE,
    }


@require_GET
def service_worker(request):
    """/sw.js at the site root, so it may control every page. Revalidated on each update check."""
    config = service_worker_config()
    body = _read_static(SERVICE_WORKER)
    for name in ("css/telar.css", "js/telar.js"):
        body += _read_static(name)  # only hashed into the version, so a change to either reinstalls
    version = hashlib.sha256(json.dumps(config).encode() + body).hexdigest()[:12]
    config["version"] = version
    script = f"const CONFIG={json.dumps(config, separators=(',', ':'))};\n".encode() + _read_static(SERVICE_WORKER)
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def manifest(request):
    """The web app manifest, in the page's language, so Telar can be added to the home screen."""
    data = {
        "name": _("Telar — workshops for artisans"),
        "short_name": "Telar",
        "description": _("Lessons, quizzes and progress for the artisans' workshops, also without a connection."),
        "lang": translation.get_language(),
        "start_url": reverse("wagtail_serve", args=[""]),
        "scope": "/",
        "display": "standalone",
        "background_color": "#fffaf3",
        "theme_color": "#8e3b46",
        "icons": [
            {
                "src": static(f"icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@require_GET
def page(request):
    """What this device keeps: modules saved, answers waiting to be sent, and what happens at sign-out.

    The lists are filled in by the script from the device's own storage; the
    page itself is the same for everyone (the service worker keeps a guest's
    copy of it to show when a page is not on the device).
    """
    return render(request, "offline/page.html", {"days": MAX_AGE // (24 * 60 * 60), "words": offline_page_words()})


def offline_page_words() -> dict:
    """The words the script writes on /offline/, in the page's language (a JSON block in the page)."""
    return {
        "kinds": {
            "lesson": _("A lesson finished"),
            "quiz": _("Quiz answers"),
            "attendance": _("An attendance list"),
        },
        "states": {
            "waiting": _("Waiting for a connection"),
            "sending": _("Being sent…"),
            "recorded": _("Sent"),
            "already": _("Already saved before"),
            "partly": _("Sent"),
            "late": _("Sent, but it does not count"),
            "rejected": _("Not saved"),
        },
        "made": _("Done on %s"),
        "kept": _("%s · kept on %s"),
        "link": _("See my result"),
        "space": _("Space used on this phone: %s"),
        # A count's forms for 1 and for 2 (ngettext), "%s" where the number goes: the script picks one.
        "queue": [
            ngettext("%(n)s thing waiting to be sent", "%(n)s things waiting to be sent", n) % {"n": "%s"}
            for n in (1, 2)
        ],
        "modules": [
            ngettext("%(n)s module kept on this phone", "%(n)s modules kept on this phone", n) % {"n": "%s"}
            for n in (1, 2)
        ],
    }


@require_GET
def module(request, page_id: int):
    """The URLs and byte sizes of one module, for "Guardar sin conexión" to show before downloading."""
    found = ModulePage.objects.live().select_related("locale").filter(pk=page_id).first()
    if found is None:
        raise Http404
    bundle = module_bundle(found, host=request.get_host(), secure=request.is_secure())
    response = JsonResponse(bundle.as_dict(personal=request.user.is_authenticated))
    response["Cache-Control"] = "private, no-store" if request.user.is_authenticated else "no-cache"
    return response


def _when(value) -> datetime.datetime | None:
    """The phone's clock (milliseconds since 1970), bounded later by the token."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def sync(request):
    """GET: a CSRF token for the service worker. POST: the writes a phone kept, answered one by one.

    Each write is checked on its own signed token and recorded for the person
    it names (see offline.services); the session, whoever it belongs to, plays
    no part. The POST still needs the CSRF token like every other form.
    """
    if request.method == "GET":
        return JsonResponse({"csrf": get_token(request)})
    try:
        data = json.loads(request.body)
        items = data["items"]
        if not isinstance(items, list):
            raise TypeError
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: JSON nested thousands deep
        return HttpResponseBadRequest(_("Nothing could be read."))
    results = []
    for item in items[:MAX_ITEMS]:
        if not isinstance(item, dict):
            continue
        path, body = item.get("url"), item.get("body")
        if not isinstance(path, str) or not isinstance(body, str) or len(body) > MAX_BODY:
            answer = {"status": "rejected", "message": _("Something could not be sent: it is not valid.")}
        else:
            result = queued_write_accept(path=path.split("?", 1)[0], body=body, made_at=_when(item.get("at")))
            answer = {"status": result.status, "message": result.message, "url": result.url}
        results.append({"id": item.get("id"), **answer})
    return JsonResponse({"results": results})
