"""Page routing that remembers: which site a host is, which live page a URL is (per tree version).

Wagtail finds a page by reading the site, the locale and one tree level per URL segment (6–7
queries for a lesson), then its view restrictions (2 more). What it finds changes only when the
tree does, so a worker keeps the answer (``courses.cache.memo``, dropped on every publish) and reads
just the page itself: one query. Anything unusual (no site, a 404, a page that routes its own
sub-URLs) takes Wagtail's own path, uncached.
"""

from __future__ import annotations

import uuid
from typing import NamedTuple, TypeVar

from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Page, PageViewRestriction, Site

from . import cache

P = TypeVar("P", bound=Page)


def site_for_request(request: HttpRequest) -> Site | None:
    """Wagtail's site for this host and port, and the sites' root paths (kept per tree version; also set where
    Wagtail looks for them)."""
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        request._wagtail_site = cache.memo(request, ("site", hostname, port), lambda: Site._find_for_request(request))
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        # Where a page's URL is looked up ({% pageurl %}, Page.get_url): Wagtail reads its own copy from
        # the shared cache on every request; the tree version covers every change to it.
        request._wagtail_cached_site_root_paths = cache.memo(request, ("site-root-paths",), Site.get_site_root_paths)
    return request._wagtail_site


def has_view_restrictions(request: HttpRequest) -> bool:
    """Whether any page has a view restriction at all (kept per tree version)."""
    return cache.memo(request, ("view-restrictions",), PageViewRestriction.objects.exists)


class Route(NamedTuple):
    """Which page a URL is: enough to answer "not modified" before reading the page."""

    model: type[Page]
    pk: int
    translation_key: uuid.UUID


def find_route(request: HttpRequest, path: str) -> Route | None:
    """The live page at ``path`` for this request (as Wagtail routes it), or None to let Wagtail answer."""
    site = site_for_request(request)
    if site is None:
        return None

    def route() -> Route | None:
        found = Page.route_for_request(request, path)
        if found is None:
            return None
        page, args, kwargs = found
        if args or kwargs or type(page).route is not Page.route:
            return None  # a page that serves its own sub-URLs: route it every time
        return Route(type(page), page.pk, page.translation_key)

    return cache.memo(request, ("route", site.pk, translation.get_language(), path), route)


def load_page(request: HttpRequest, route: Route) -> Page | None:
    """The page of ``route``, or None if it is gone (kept per tree version: 1 query once per worker, then none).

    Sets ``request._wagtail_route_for_request`` as ``Page.route_for_request`` does.
    """
    routed = getattr(request, "_wagtail_route_for_request", None)

    def read() -> Page | None:
        if routed is not None:  # routed just now
            return routed[0]
        return _read_live(route.model, route.pk)

    # The live page as published: the same for everyone until the tree changes (a publish, an
    # unpublish, a scheduled publish or expiry all bump the tree version). Serving only reads it.
    page = cache.memo(request, ("page", route.model._meta.label, route.pk), read)
    if page is None:
        return None
    request._wagtail_route_for_request = (page, [], {})
    return page


def live_page(request: HttpRequest, model: type[P], pk: int) -> P | None:
    """The live page ``pk`` of ``model`` (its own type), or None: kept per tree version as ``load_page`` keeps
    it (the same object), for a form posted to a page by its id ("I finished this lesson"). An id that names
    no live page is not kept: nobody can fill the worker's memory with made-up ids."""
    key = ("page", model._meta.label, pk)
    page = cache.memo(request, key, lambda: _read_live(model, pk))
    if page is None:
        cache.forget(request, key)
    return page


def _read_live(model: type[P], pk: int) -> P | None:
    pages = model.objects.live().filter(pk=pk).select_related("locale")
    if any(field.name == "narration" for field in model._meta.get_fields()):
        pages = pages.select_related("narration")  # the lesson's "Listen" button: read with the page
    return pages.first()
