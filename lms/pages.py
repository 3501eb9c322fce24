"""Serving Wagtail pages cheaply: cached routing, and "not modified" for an unchanged lesson.

``serve`` replaces Wagtail's view of the same name (``wagtail_serve``) for every page URL. It finds
the page through ``courses.routing`` (one query once the worker knows the URL) and then does what
Wagtail's view does: the ``before_serve_page`` and ``on_serve_page`` hooks, ``page.serve``. Wagtail's
view-restriction hook is left out while no page has a restriction (it costs two queries a page).

A lesson carries an ETag computed *before* it is drawn, from everything that can differ in it
(``lesson_etag``): the tree version and the code that draws it, the page, the language, the site, the full
path, and for a signed-in person who she is, the name on her sign-out button, whether she finished
this lesson, her CSRF secret, and the day (the lesson's one-time form token then never outlives its
validity in a page kept by "not modified"). A repeat visit that sends it back gets 304 at the cost of
the session, the user and her completions: no routing, no rendering, no write. A page with a message
waiting is always drawn (showing the message consumes it).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.http import quote_etag
from django.utils.translation import get_language
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.wagtail_hooks import check_view_restrictions

from courses import cache, routing
from courses.models import LessonPage
from people.roles import is_artisan
from progress.selectors import done_lesson_keys


def serve(request: HttpRequest, path: str) -> HttpResponse:
    # Her account first: it is read with the tree version (and what her page reads about her) in one round
    # trip (people.backends), where the route's lookup would read the tree version on its own.
    request.user.is_authenticated  # noqa: B018
    route = routing.find_route(request, path) if request.method in ("GET", "HEAD") else None
    if route is None:
        return wagtail_views.serve(request, path)
    skip_restrictions = not routing.has_view_restrictions(request)
    # Where any page is restricted, Wagtail's check runs before anything is answered, 304 included.
    etag = lesson_etag(request, route) if skip_restrictions and issubclass(route.model, LessonPage) else None
    if etag is not None:
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return _with_page_headers(not_modified, etag)
    page = routing.load_page(request, route)
    if page is None:
        return wagtail_views.serve(request, path)

    chain = wagtail_views.serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        if skip_restrictions and fn is check_view_restrictions:
            continue
        chain = fn(chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, [], {})
        if isinstance(result, HttpResponse):
            return result
    response = chain(page, request, [], {})
    if etag is not None and response.status_code == 200:
        _with_page_headers(response, etag)
    return response


def _with_page_headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def lesson_etag(request: HttpRequest, page: routing.Route) -> str | None:
    """The lesson's ETag for this person now, or None when the page must be drawn anyway."""
    if CookieStorage.cookie_name in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    parts = [
        cache.tree_version(request),
        cache.code_version(),
        str(page.pk),
        get_language(),
        str(request._wagtail_site.pk),  # set by find_route; absolute links differ by site, not by host name
        request.get_full_path(),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
    ]
    if user is not None and user.is_authenticated:
        if request.session.get(SessionStorage.session_key):
            return None
        parts += [str(user.pk), user.get_username(), str(int(time.time() // 86400))]
        if is_artisan(user):
            done = done_lesson_keys(user)
            request._telar_done_keys = done  # the page's own {% done_keys %} reuses it
            parts += [user.artisan.preferred_name, "done" if page.translation_key in done else "todo"]
    return quote_etag(salted_hmac("lms.pages.etag", "\n".join(parts)).hexdigest()[:24])
