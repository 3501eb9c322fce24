"""What a module weighs on the phone: its pages and the files they use, with byte sizes.

"Guardar sin conexión" shows the size before anything is downloaded, so the
server lists every URL the phone will fetch for a module (the module page, its
lessons, its quiz page, and the images and audio those pages show) with its
size in bytes. Pages are measured by rendering them exactly as a guest gets
them (the copy kept for anyone on the device); files by their size in storage.
The list is cached until a page of the module or its quiz is published again.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import asdict, dataclass, field
from importlib import import_module
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import Count, Max
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation
from wagtail.models import Page

from assessments.models import Quiz
from assessments.selectors import quiz_for_page
from courses.models import ModulePage
from courses.selectors import module_lessons

# The budget of one module kept for offline: pages, images and audio together.
MODULE_BUDGET = 1024 * 1024
CACHE_SECONDS = 24 * 60 * 60

MEDIA_SOURCES = re.compile(r'<(?:img|audio|source|video)\b[^>]*?\s(?:src|poster)="([^"]+)"', re.IGNORECASE)


@dataclass
class Item:
    url: str
    bytes: int


@dataclass
class Bundle:
    id: int
    title: str
    url: str
    language: str
    version: str = ""  # changes when a page of the module or its quiz is published again
    pages: list[Item] = field(default_factory=list)
    files: list[Item] = field(default_factory=list)

    @property
    def page_bytes(self) -> int:
        return sum(item.bytes for item in self.pages)

    @property
    def file_bytes(self) -> int:
        return sum(item.bytes for item in self.files)

    def as_dict(self, *, personal: bool) -> dict:
        """The JSON the phone reads. Signed in, the pages are kept twice: a copy for her, one for anyone."""
        data = asdict(self)
        total = self.page_bytes * (2 if personal else 1) + self.file_bytes
        data.update(bytes=total, budget=MODULE_BUDGET, personal=personal)
        return data


def _stamp(module: ModulePage) -> str:
    """Changes whenever a page of the module or its quiz is published, added or removed (2 queries)."""
    pages = Page.objects.filter(path__startswith=module.path, live=True).aggregate(
        n=Count("pk"), at=Max("last_published_at")
    )
    quizzes = Quiz.objects.filter(page__translation_key=module.translation_key, live=True).aggregate(
        n=Count("pk"), at=Max("last_published_at")
    )
    return "-".join(str(value) for value in (pages["n"], pages["at"], quizzes["n"], quizzes["at"]))


def _guest_html(url: str, *, host: str, secure: bool) -> bytes:
    """The page at `url` as a guest receives it (rendered in-process, uncompressed)."""
    request = RequestFactory().get(url, HTTP_HOST=host, secure=secure)
    request.user = AnonymousUser()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        request.LANGUAGE_CODE = language
        match = resolve(request.path_info)
        request.resolver_match = match
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
    if response.status_code != 200:
        return b""
    return response.content


def _file_size(url: str) -> int | None:
    path = urlsplit(url).path
    media = urlsplit(settings.MEDIA_URL).path
    if not path.startswith(media):
        return None
    name = path[len(media) :]
    try:
        return default_storage.size(name)
    except OSError:
        return None


def _measure(module: ModulePage, *, host: str, secure: bool, version: str) -> Bundle:
    language = module.locale.language_code
    with translation.override(language):
        urls = [module.get_url(), *[lesson.get_url() for lesson in module_lessons(module)]]
        quiz = quiz_for_page(module)
        if quiz is not None and quiz.locale_id == module.locale_id:
            urls.append(reverse("assessments:take", args=[quiz.pk]))
    bundle = Bundle(id=module.pk, title=module.title, url=urls[0], language=language, version=version)
    files: dict[str, int] = {}
    for url in urls:
        content = _guest_html(url, host=host, secure=secure)
        if not content:
            continue
        bundle.pages.append(Item(url=url, bytes=len(content)))
        for source in MEDIA_SOURCES.findall(content.decode("utf-8")):
            source = html.unescape(source)
            if source not in files:
                size = _file_size(source)
                if size is not None:
                    files[source] = size
    bundle.files = [Item(url=url, bytes=size) for url, size in files.items()]
    return bundle


def module_bundle(module: ModulePage, *, host: str, secure: bool) -> Bundle:
    """The module's URLs and sizes; 2 queries when cached, a render of each page when not."""
    stamp = _stamp(module)
    key = f"offline:bundle:{module.pk}:{host}:{secure}:{stamp}".replace(" ", "_")
    bundle = cache.get(key)
    if bundle is None:
        version = hashlib.sha256(stamp.encode()).hexdigest()[:12]
        bundle = _measure(module, host=host, secure=secure, version=version)
        cache.set(key, bundle, CACHE_SECONDS)
    return bundle
