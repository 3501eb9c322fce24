"""What may be kept in a worker's memory between requests: the page tree and what is drawn from it.

Every learner page is drawn from the same few dozen live pages, which change only when an editor
publishes. So a worker keeps, in its own memory (``memo``), what it learnt from the tree: which
URL is which page (``courses.routing``), each lesson's navigation, the language links, rendered
fragments that hold nothing personal (``{% memo %}`` in lms/templatetags/telar.py).

All of it is keyed by the **tree version**, one short value in the shared cache (so every worker
sees the same one; one cache read per request, memoised on the request). Any change an editor can
make that shows on a page bumps it — a page saved, published, unpublished, moved or deleted, an
image or its renditions changed, a locale, a site or a view restriction changed (``connect``) — and
a worker that sees a new version drops everything it kept. The bump happens at once and again after
the transaction commits, so no worker can keep what it read in between. The rendering code is part of
the key too (``code_version``): a deployment with new templates or catalogues never serves old fragments.

Nothing personal is ever kept here: keys name pages, languages and hosts, never a person.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

# "~" sorts after every other key: the database cache, when full, drops the keys that sort first, and
# losing this one makes every worker draw every page again.
KEY = "~courses:tree-version"
MAX_ENTRIES = 20_000  # pages × languages × fragments; a bound, not a tuning knob

_lock = threading.Lock()
_state: dict = {"version": None, "entries": {}}
_code_version: str | None = None


# The version read during the request being served by this thread (request_started clears it,
# request_finished forgets it): code that has no request at hand — a selector — reads the shared cache
# once per request too. Outside a request (a task, a command) every call reads the cache.
_current = threading.local()


def _request_started(**_ignored) -> None:
    _current.serving, _current.version, _current.along = True, None, {}


def _request_finished(**_ignored) -> None:
    _current.serving, _current.version, _current.along = False, None, {}


def tree_version(request=None) -> str:
    """The current tree version (1 cache read per request, memoised on ``request`` and on the thread)."""
    if request is not None:
        found = getattr(request, "_telar_tree_version", None)
        if found is not None:
            return found
    serving = getattr(_current, "serving", False)
    version = _current.version if serving else None
    if version is None:
        version = cache.get(KEY)
        if version is None:
            cache.add(KEY, uuid.uuid4().hex)
            version = cache.get(KEY) or "none"
        if serving:
            _current.version = version
    if request is not None:
        request._telar_tree_version = version
    return version


def read_with_tree_version(key: str, along: tuple[str, ...] = ()):
    """``cache.get(key)``, with the tree version read in the same round trip when the request being served has
    not read it yet, and the keys ``along`` (what her pages read about her: ``read_along`` hands them out for
    the rest of the request). An artisan's every page reads her kept account (people.backends) and the tree
    version: one shared-cache read for all of them (``get_many``: one query on the database cache, one MGET
    on Redis)."""
    serving = getattr(_current, "serving", False)
    keys = [key, *along] if serving else [key]
    if serving and _current.version is None:
        keys.append(KEY)
    if len(keys) == 1:
        return cache.get(key)
    found = cache.get_many(keys)
    if serving:
        if found.get(KEY) is not None:
            _current.version = found[KEY]
        _current.along.update({name: found.get(name) for name in along})
    return found.get(key)


def read_along(key: str) -> tuple[bool, Any]:
    """(True, its value or None) when ``key`` was read with her account in this request; (False, None) when
    it was not (outside a request, for staff, after ``forget_kept``): then the caller reads it itself."""
    along = getattr(_current, "along", None) or {}
    if key in along:
        return True, along[key]
    return False, None


def kept_along(key: str, read, seconds: int):
    """Her value under ``key``: as read with her account in this request, else ``read()`` (then kept for her
    next requests, ``seconds`` at most, when her request asked for it). Outside her own request (staff, a
    task) it is always ``read()``, never kept."""
    found, value = read_along(key)
    if value is None:
        value = read()
        if found:
            cache.set(key, value, seconds)
    return value


def forget_kept(keys) -> None:
    """These kept values are out of date (their owner wrote): dropped now, not handed out again in this
    request, and dropped again once the transaction commits, so a request that read the old rows meanwhile
    cannot keep them."""
    keys = [key for key in keys if key is not None]
    if not keys:
        return
    cache.delete_many(keys)
    along = getattr(_current, "along", None)
    if along:
        for key in keys:
            along.pop(key, None)
    transaction.on_commit(lambda: cache.delete_many(keys))


def address_exists(request) -> None:
    """The view found what its address names (a quiz by its id, say): what is drawn for this address alone
    and for everyone (the header's language links) may be kept for it. Never called before the view has
    found it, so no address a visitor makes up is kept."""
    request._telar_address_exists = True


def bump(**_ignored) -> None:
    """The tree changed: every worker drops what it kept (now, and again once the change is committed)."""
    cache.set(KEY, uuid.uuid4().hex, None)
    _state["version"] = None
    _current.version = None
    transaction.on_commit(_bump_committed)


def _bump_committed() -> None:
    cache.set(KEY, uuid.uuid4().hex, None)
    _state["version"] = None
    _current.version = None


def _entries(version: str) -> dict:
    if _state["version"] != version or len(_state["entries"]) > MAX_ENTRIES:
        with _lock:
            _state["version"] = version
            _state["entries"] = {}
    return _state["entries"]


def memo(request, key: tuple, compute):
    """``compute()`` once per tree version and ``key`` in this worker; ``key`` must name nothing personal."""
    entries = _entries(tree_version(request))
    full_key = (code_version(), *key)
    try:
        return entries[full_key]
    except KeyError:
        value = entries[full_key] = compute()
        return value


def forget(request, key: tuple) -> None:
    """Drop what ``memo`` kept under ``key`` (e.g. a None for a URL that does not exist)."""
    _entries(tree_version(request)).pop((code_version(), *key), None)


def code_version() -> str:
    """A digest of the files that shape a page (templates, catalogues, Telar's code, the static manifest):
    their names, sizes and modification times, read once per worker."""
    global _code_version
    if _code_version is None:
        digest = hashlib.sha256()
        roots = [Path(settings.BASE_DIR) / "templates", *map(Path, settings.LOCALE_PATHS)]
        base = Path(settings.BASE_DIR).resolve()
        for config in apps.get_app_configs():
            path = Path(config.path).resolve()
            if path.is_relative_to(base):
                roots.append(path)
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        files = [manifest] if manifest.exists() else []
        for root in roots:
            for pattern in ("**/*.html", "**/*.mo", "**/*.py"):
                files.extend(root.glob(pattern))
        for file in sorted(set(files)):
            stat = file.stat()
            digest.update(f"{file}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        _code_version = digest.hexdigest()[:12]
    return _code_version


def _bump_for_pages(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        bump()


def connect() -> None:
    """Wire the bumps (CoursesConfig.ready: the image model is known once the registry is ready)."""

    request_started.connect(_request_started, dispatch_uid="courses.cache.request_started")
    request_finished.connect(_request_finished, dispatch_uid="courses.cache.request_finished")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump, dispatch_uid=f"courses.cache.bump.{id(signal)}")
    post_save.connect(_bump_for_pages, dispatch_uid="courses.cache.page_saved")
    post_delete.connect(_bump_for_pages, dispatch_uid="courses.cache.page_deleted")
    image = get_image_model()
    from .models import Narration  # a narration replaced in place changes the lessons that play it

    for model in (image, Narration, Locale, Site, PageViewRestriction):
        post_save.connect(bump, sender=model, dispatch_uid=f"courses.cache.saved.{model._meta.label}")
    # A new rendition changes no page already drawn (the page that asked for it is being drawn); a
    # deleted one (its image changed) may be named in a kept fragment.
    for model in (image, image.get_rendition_model(), Narration, Locale, Site, PageViewRestriction):
        post_delete.connect(bump, sender=model, dispatch_uid=f"courses.cache.deleted.{model._meta.label}")
