"""Load before the first request what every first request would load: once, in gunicorn's master.

With ``--preload`` (gunicorn.conf.py) the master imports the WSGI application and forks the workers.
Whatever the master has loaded, the workers share (copy-on-write); whatever a worker loads itself
on its first request — the URL configuration with every view module, the template tag libraries,
the compiled templates of the pages, the catalogues of each language — it holds alone, once per
worker. ``warm_up`` loads those in the master. It reads no database and opens no connection (a
connection must never cross a fork): what depends on the data (the page tree, the sites) stays
for each worker to read. Without ``--preload`` it runs as each worker starts, which costs what its
first request would have.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import formats, translation
from django.utils.module_loading import import_string

from courses.cache import code_version


def warm_up() -> int:
    """Load the URLs, catalogues and Telar's templates; returns how many templates were compiled."""
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 — imports every urls.py and view, builds this language's reverse map
            formats.get_format_modules(code)
    for alias in settings.CACHES:
        caches[alias]  # noqa: B018 — the cache backends (no connection yet)
    for alias in connections:
        connections[alias].ops.compiler("SQLCompiler")  # imports the SQL compiler; connects to nothing
    import_module(settings.SESSION_ENGINE)
    import_string(settings.SESSION_SERIALIZER)
    import_string(settings.MESSAGE_STORAGE)
    compiled = 0
    for engine in engines.all():  # the engine imports every template tag library when it is made
        getattr(engine, "engine", engine).template_context_processors  # noqa: B018
        for name in _telar_templates():
            try:
                engine.get_template(name)  # the cached loader keeps it compiled
            except TemplateSyntaxError:  # pragma: no cover — a broken template shows on its own page
                continue
            compiled += 1
    code_version()  # the digest of Telar's files that keys every kept fragment (courses.cache): read once here
    connections.close_all()
    return compiled


def _telar_templates() -> list[str]:
    """Every template in Telar's own folders (the project's and its apps'), by name."""
    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    folders += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if base in Path(app.path).resolve().parents and "site-packages" not in Path(app.path).parts
    ]
    names = set()
    for folder in folders:
        if folder.is_dir():
            names.update(
                path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.suffix in (".html", ".txt")
            )
    return sorted(names)
