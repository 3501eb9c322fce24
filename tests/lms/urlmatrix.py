"""The URLs the role × URL matrix walks, read from the URL configuration (tests/lms/test_url_matrix.py).

Every Telar URL is in it: the site's own patterns (everything outside /admin/) and, under /admin/,
the screens Telar adds — the viewsets and snippets of Telar's models and the URLs its
``register_admin_urls`` hooks return. Wagtail's own admin screens are not (Wagtail tests them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail import hooks
from wagtail.admin.viewsets import viewsets

ADMIN_PREFIX = "admin/"


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route itself for a pattern without a name
    route: str
    params: tuple[str, ...]


def telar_apps() -> set[str]:
    """The apps whose code is in this repository (not in the virtualenv)."""
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base) and ".venv" not in Path(config.path).parts
    }


def telar_admin_namespaces() -> set[str]:
    """Admin URL namespaces Telar adds: its models' viewsets and snippets, and its own admin URL hooks."""
    labels = telar_apps()
    namespaces = set()
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if isinstance(model, str):  # a "app_label.Model" string (Wagtail resolves it lazily)
            model = apps.get_model(model)
        if model is not None and model._meta.app_label in labels:
            namespaces.add(viewset.url_namespace)
    for hook in hooks.get_hooks("register_admin_urls"):
        if hook.__module__.split(".")[0] in labels:
            for pattern in hook():
                namespaces.update(_namespaces(pattern))
    return namespaces


def _namespaces(pattern) -> set[str]:
    if not isinstance(pattern, URLResolver):
        return set()
    found = {pattern.namespace} if pattern.namespace else set()
    for inner in pattern.url_patterns:
        found |= _namespaces(inner)
    return found


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, namespace, pattern.name


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def telar_routes() -> list[Route]:
    walked = list(_walk(get_resolver().url_patterns))  # loading the admin's URLs registers the viewsets
    admin_namespaces = telar_admin_namespaces()
    routes = {}
    for route, namespace, name in walked:
        if route.startswith(ADMIN_PREFIX):
            outer = (namespace or "").split(":")[0]
            if outer not in admin_namespaces:
                continue
        key = f"{namespace}:{name}" if namespace and name else (name or route)
        params = tuple(a or b for a, b in PARAM.findall(route))
        routes.setdefault(key, Route(key=key, route=route, params=params))
    return sorted(routes.values(), key=lambda r: r.key)
