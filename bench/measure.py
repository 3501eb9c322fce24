"""The measurements behind `make bench` (bench.run parses the arguments, picks the data set, sets Django up).

Imported only once Django is set up on the benchmark's database (bench.datagen.ensure), so
Telar's models are imported here at the top. Every measurement runs in its own function: one
that fails gives a row that says so, never a crashed run.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import django
import wagtail
from django.conf import settings
from django.contrib.sessions.models import Session as WebSession
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import get_finders
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from assessments.models import Attempt, QuestionKind, Quiz
from assessments.selectors import quiz_questions
from attendance.models import AttendanceRecord, Session
from certificates.models import Certificate, CohortBundle
from certificates.pdf import render_pdf
from certificates.rendering import bundle_build, certificate_pdf_ready
from certificates.selectors import cohort_valid_certificates
from core.tokens import make_token
from courses.models import LessonPage, ModulePage
from people.models import ArtisanProfile, Cohort, User
from progress.models import LessonCompletion

BASE_DIR = Path(__file__).resolve().parent.parent

PAGE_BUDGET = 14_336
NOT_BUILT = "not yet built"


class NotBuilt(Exception):
    """The feature this measurement needs has not landed (yet)."""


# --- Results ---------------------------------------------------------------------------------------


@dataclass
class PageRow:
    name: str
    who: str
    url: str = ""
    status: int | None = None
    html: int | None = None
    css: int | None = None
    js: int | None = None
    requests: int | None = None
    queries: int | None = None
    budget: int | None = PAGE_BUDGET
    note: str = ""
    fetches: dict | None = None
    headers: int | None = None  # response headers of every fetch of the first visit (status line included)
    worker: int | None = None  # the service worker's fetches, bodies and headers
    worker_fetches: int = 0
    worker_again: int = 0  # of which the CSS and script the page already loaded (the HTTP cache may answer them)
    wire: int | None = None  # everything the phone receives on a first visit: every body and every header

    @property
    def total(self) -> int | None:
        if self.html is None:
            return None
        return self.html + (self.css or 0) + (self.js or 0)


@dataclass
class LoadRow:
    name: str
    method: str = "GET"
    path: str = ""
    size: int | None = None
    status: int | None = None
    dynamic: dict | None = None
    static: dict | None = None
    note: str = ""


@dataclass
class Results:
    meta: dict
    pages: list[PageRow] = field(default_factory=list)
    load: list[LoadRow] = field(default_factory=list)
    load_setup: str = ""
    pdf: list[tuple[str, ...]] = field(default_factory=list)  # what, median, p95, CPU median, size, note
    notes: list[str] = field(default_factory=list)
    notes_machine: str = ""
    workers: list[tuple[int, float, float]] = field(default_factory=list)  # pid, RSS MB, PSS MB
    grid_cpu: dict | None = None  # the cohort grid for 200: CPU ms per request, in process, with a static file
    audio: dict | None = None  # narrations: how many, minutes, bytes per minute, the bench lesson's first visit
    install: dict | None = None  # the production install (bench.install_size --json): mb, content_mb, top, ...


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fatal(error: BaseException) -> bool:
    """Only an interrupt stops the run (some libraries raise BaseException subclasses for their own errors)."""
    return isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit)


def _failure(error: BaseException) -> str:
    if isinstance(error, NotBuilt):
        return NOT_BUILT + (f" ({error})" if str(error) else "")
    tail = traceback.format_exception_only(type(error), error)[-1].strip()
    return f"failed: {tail[:160]}"


# --- Static files ----------------------------------------------------------------------------------


def collect_static() -> None:
    """The production pipeline: hashed names, gzip and brotli copies (WhiteNoise), under var/bench/static."""
    Path(settings.WHITENOISE_ROOT).mkdir(parents=True, exist_ok=True)
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists() and manifest.stat().st_mtime > _newest_static_source():
        return  # nothing changed since the last run (collecting and compressing takes half a minute)
    call_command("collectstatic", interactive=False, verbosity=0)


def _newest_static_source() -> float:
    newest = 0.0
    for finder in get_finders():
        for _path, storage in finder.list([]):
            newest = max(newest, storage.get_modified_time(_path).timestamp())
    return newest


def static_compressed_size(url: str) -> int | None:
    """Bytes on the wire for a static URL: the .gz WhiteNoise serves, else the file gzipped here."""
    path = urlsplit(url).path
    if not path.startswith(settings.STATIC_URL):
        return None
    name = path[len(settings.STATIC_URL) :]
    candidate = Path(settings.STATIC_ROOT) / name
    if Path(f"{candidate}.gz").exists():
        return Path(f"{candidate}.gz").stat().st_size
    found = candidate if candidate.exists() else finders.find(name)
    if not found:
        return None
    data = Path(found).read_bytes()
    return min(len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))


LINK = re.compile(r"<link\b[^>]*>", re.I)
SCRIPT = re.compile(r"<script\b[^>]*\bsrc=[\"']([^\"']+)[\"']", re.I)
IMG = re.compile(r"<img\b[^>]*\bsrc=[\"']([^\"']+)[\"']", re.I)
HREF = re.compile(r"\bhref=[\"']([^\"']+)[\"']", re.I)
REL = re.compile(r"\brel=[\"']([^\"']+)[\"']", re.I)


def subresources(html: str) -> dict[str, list[str]]:
    """What a browser fetches after the HTML on a first visit (data: URIs cost no request)."""
    found: dict[str, list[str]] = {"css": [], "js": [], "img": [], "manifest": [], "other": []}
    for tag in LINK.findall(html):
        rel, href = REL.search(tag), HREF.search(tag)
        if not (rel and href) or href.group(1).startswith("data:"):
            continue
        kinds = rel.group(1).lower().split()
        if "stylesheet" in kinds:
            found["css"].append(href.group(1))
        elif "manifest" in kinds:
            found["manifest"].append(href.group(1))
        elif {"icon", "preload", "modulepreload"} & set(kinds):
            found["other"].append(href.group(1))
    found["js"] = [src for src in SCRIPT.findall(html) if not src.startswith("data:")]
    found["img"] = [src for src in IMG.findall(html) if not src.startswith("data:")]
    return {kind: list(dict.fromkeys(urls)) for kind, urls in found.items()}


# --- Pages -----------------------------------------------------------------------------------------


def _client(user=None, backend: str | None = None):
    client = Client(HTTP_ACCEPT_ENCODING="gzip, br")
    if user is not None:
        client.force_login(user, backend=backend)
    return client


def _artisan_client(meta):
    return _client(User.objects.get(pk=meta["artisan_id"]), backend="people.backends.PinBackend")


def _staff_client(user_id: int):
    return _client(User.objects.get(pk=user_id), backend="people.backends.StaffBackend")


def _reverse(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch as error:
        raise NotBuilt(f"no URL {name}") from error


# What gunicorn adds to Django's headers on every response (Date is always 29 characters).
SERVER_HEADERS = ("Server: gunicorn", "Date: Wed, 02 Dec 2026 06:00:00 GMT", "Connection: keep-alive")


def header_bytes(response) -> int:
    """The response's status line and headers as the server sends them (Django's, its cookies, gunicorn's)."""
    lines = [f"HTTP/1.1 {response.status_code} {response.reason_phrase}"]
    lines += [f"{name}: {value}" for name, value in response.items()]
    lines += [f"Set-Cookie: {morsel.OutputString()}" for morsel in response.cookies.values()]
    lines += [header for header in SERVER_HEADERS if not response.has_header(header.split(":", 1)[0])]
    return len("\r\n".join(lines).encode("latin-1", "replace")) + 4  # each line's CRLF and the blank line


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _html(response) -> str:
    """The page's text, whether GZipMiddleware compressed it or not."""
    body = _body(response)
    return (gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body).decode("utf-8", "replace")


def fetch_bytes(client, url: str, *, guest: bool = False) -> tuple[int, int]:
    """(body, headers) bytes of one GET as sent (compressed where the server compresses).

    A file the test client cannot fetch (media served by the web server in production) counts its size
    on disk; a static file WhiteNoise does not answer here counts its ``.gz`` size."""
    path = urlsplit(url).path
    if path.startswith(settings.MEDIA_URL):  # the web server's job in production: Django's file view here
        from django.test import RequestFactory
        from django.views.static import serve

        try:
            response = serve(RequestFactory().get(path), path[len(settings.MEDIA_URL) :], settings.MEDIA_ROOT)
        except Exception:  # noqa: BLE001 - a missing file counts nothing
            return 0, 0
        return len(_body(response)), header_bytes(response)
    response = (_client() if guest else client).get(url)
    if response.status_code == 200:
        return len(_body(response)), header_bytes(response)
    return static_compressed_size(url) or 0, header_bytes(response)


def service_worker_urls() -> list[tuple[str, bool]]:
    """What a first visit's service worker fetches (static/js/sw.js): itself, then at install its precache
    (the CSS and script again: the browser may answer these from its HTTP cache) and the offline page in
    every language, without cookies. (url, as a guest)."""
    from offline.views import service_worker_config

    config = service_worker_config()
    urls = [(_reverse("service_worker"), False)]
    urls += [(url, False) for url in config["precache"]]
    urls += [(url, True) for url in config["offlinePages"].values()]
    return urls


def _registers_worker(resources: dict[str, list[str]]) -> bool:
    """Pages that load telar.js register the service worker (static/js/telar.js)."""
    return any("js/telar" in url for url in resources["js"])


def _measure(row: PageRow, client, url: str, *, clear_cache: bool = False) -> PageRow:
    """GET once to warm per-process caches, then GET again counting queries; sizes from that response."""
    row.url = url
    client.get(url)
    if clear_cache:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    row.status = response.status_code
    if response.status_code == 404:
        raise NotBuilt(f"404 at {url}")
    row.queries = len(queries.captured_queries)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        row.html = len(body)
        html = gzip.decompress(body).decode("utf-8", "replace")
    else:
        row.html = len(gzip.compress(body, compresslevel=6, mtime=0))
        html = body.decode("utf-8", "replace")
    resources = subresources(html)
    row.css = sum(static_compressed_size(url) or 0 for url in resources["css"])
    row.js = sum(static_compressed_size(url) or 0 for url in resources["js"])
    row.requests = 1 + sum(len(urls) for urls in resources.values())
    row.fetches = {kind: len(urls) for kind, urls in resources.items() if urls}
    # On the wire: the page and every subresource with their headers, then the service worker's fetches.
    row.headers = header_bytes(response)
    row.wire = row.html + row.headers
    for sub in (sub for urls in resources.values() for sub in urls):
        body, headers = fetch_bytes(client, sub)
        row.wire += body + headers
        row.headers += headers
    if _registers_worker(resources):
        row.worker = row.worker_again = 0
        precache = set(resources["css"] + resources["js"])
        for sub, guest in service_worker_urls():
            body, headers = fetch_bytes(client, sub, guest=guest)
            row.worker += body + headers
            row.headers += headers
            row.worker_fetches += 1
            if sub in precache:
                row.worker_again += body + headers
        row.wire += row.worker
    return row


def _first_lesson(module_index: int = 0, lesson_index: int = 0, language: str = "es"):
    modules = list(ModulePage.objects.live().filter(locale__language_code=language).order_by("order"))
    if not modules:
        raise NotBuilt("no modules")
    lessons = list(LessonPage.objects.child_of(modules[module_index]).live().order_by("path"))
    return lessons[min(lesson_index, len(lessons) - 1)]


def _module_quiz(module_index: int = 0):
    module = ModulePage.objects.live().filter(locale__language_code="es").order_by("order")[module_index]
    quiz = Quiz.objects.filter(page=module, live=True).first()
    if quiz is None:
        raise NotBuilt("no quiz for the module")
    return quiz


def page_home_guest(meta):
    return PageRow("Home", "guest"), _client(), "/"


def page_home_artisan(meta):
    return PageRow("Home", "artisan"), _artisan_client(meta), "/"


def page_module(meta):
    module = ModulePage.objects.live().filter(locale__language_code="es").order_by("order").first()
    if module is None:
        raise NotBuilt("no modules")
    return PageRow("Module", "guest"), _client(), module.url


def page_lesson_guest(meta):
    return PageRow("Lesson", "guest"), _client(), _first_lesson(2, 1).url


def page_lesson_artisan(meta):
    return PageRow("Lesson", "artisan"), _artisan_client(meta), _first_lesson(2, 1).url


def page_quiz(meta):
    quiz = _module_quiz(4)  # Costs: every question type, numeric included
    return (
        PageRow("Quiz", "artisan", note="images excluded"),
        _artisan_client(meta),
        _reverse("assessments:take", quiz.pk),
    )


def page_mi_avance(meta):
    return PageRow("Mi avance", "artisan"), _artisan_client(meta), _reverse("progress:mine")


def page_sign_in_centres(meta):
    count = meta["counts"]["centres"]
    return PageRow(f"Sign-in 1: centre ({count} centres)", "guest"), _client(), _reverse("people:sign_in")


def page_sign_in_cohorts(meta):
    cohort = Cohort.objects.get(pk=meta["attendance_cohort_id"])
    count = cohort.centre.cohorts.count()
    return (
        PageRow(f"Sign-in 2: group ({count} groups)", "guest"),
        _client(),
        _reverse("people:sign_in_centre", cohort.centre_id),
    )


def page_sign_in_names_200(meta):
    return (
        PageRow("Sign-in 3: name (200 artisans)", "guest"),
        _client(),
        _reverse("people:sign_in_cohort", meta["grid_cohort_id"]),
    )


def page_sign_in_pin(meta):
    return PageRow("Sign-in 4: PIN keypad", "guest"), _client(), _reverse("people:sign_in_pin", meta["artisan_id"])


def page_attendance_40(meta):
    return (
        PageRow("Attendance for 40", "facilitator"),
        _staff_client(meta["attendance_facilitator_id"]),
        _reverse("attendance:session", meta["attendance_session_id"]),
    )


def page_cohort_grid_200(meta):
    return (
        PageRow("Cohort grid for 200", "facilitator"),
        _staff_client(meta["grid_facilitator_id"]),
        _reverse("workspace:cohort_progress", meta["grid_cohort_id"]),
    )


def page_verification(meta):
    if not meta.get("certificate_code"):
        raise NotBuilt("no certificates in the data set")
    return (
        PageRow("Certificate verification", "guest"),
        _client(),
        _reverse("certificates:verify_code", meta["certificate_code"]),
    )


class Absent(Exception):
    """A page another branch adds: its row appears once that branch is merged (never a failing row here)."""


def page_staff_sign_in(meta):
    """The staff sign-in (username and password), where the facilitator's day starts."""
    try:
        url = reverse("staff:sign_in")
    except NoReverseMatch as error:
        raise Absent("staff:sign_in") from error
    return PageRow("Staff sign-in", "guest"), _client(), url


def page_admin_dashboard(meta):
    row = PageRow("Admin dashboard (cold cache)", "admin", budget=None, note="Wagtail admin assets")
    return row, _staff_client(meta["admin_id"]), _reverse("telar_reports:dashboard")


PAGES = [
    page_home_guest,
    page_home_artisan,
    page_module,
    page_lesson_guest,
    page_lesson_artisan,
    page_quiz,
    page_mi_avance,
    page_sign_in_centres,
    page_sign_in_cohorts,
    page_sign_in_names_200,
    page_sign_in_pin,
    page_attendance_40,
    page_cohort_grid_200,
    page_verification,
    page_staff_sign_in,
    page_admin_dashboard,
]


def measure_pages(results: Results) -> None:
    for builder in PAGES:
        label = builder.__name__.removeprefix("page_")
        row = PageRow(label, "")
        try:
            row, client, url = builder(results.meta)
            _measure(row, client, url, clear_cache="dashboard" in label)
        except Absent:
            continue
        except BaseException as error:  # noqa: BLE001 - one page must not stop the others
            if _fatal(error):
                raise
            row.note = _failure(error)
        _say(f"  page {row.name}: {row.total} bytes, {row.requests} requests, {row.queries} queries {row.note}")
        results.pages.append(row)


def _cpu_ms_per_get(client, url: str, runs: int) -> float:
    """Median CPU time (this process: Django, the ORM, SQLite) of one GET of ``url``, warm."""
    client.get(url)
    times = []
    for _ in range(runs):
        before = time.process_time()
        response = client.get(url)
        _body(response)
        times.append((time.process_time() - before) * 1000)
    return statistics.median(times)


def measure_audio(results: Results) -> None:
    """Narration (issue 15): bytes per minute of the stored Opus, and what the narrated bench lesson costs on a
    first visit when she does not tap "Escuchar" (the page row's bytes; the recording is not among its fetches)."""
    from django.db.models import Count, Sum

    from courses.models import Narration

    try:
        totals = Narration.objects.aggregate(count=Count("pk"), seconds=Sum("seconds"), size=Sum("size"))
        lesson = _first_lesson(2, 1)
        narration = lesson.narration
        client = _client()
        response = client.get(lesson.url)
        html = _html(response)
        assert narration is None or narration.url in html, "the bench lesson does not show its narration"
        fetched = [url for urls in subresources(html).values() for url in urls]
        row = next((row for row in results.pages if row.name == "Lesson" and row.who == "guest"), None)
        results.audio = {
            "count": totals["count"] or 0,
            "minutes": (totals["seconds"] or 0) / 60,
            "bytes": totals["size"] or 0,
            "lesson": lesson.title,
            "lesson_audio": narration.size if narration else 0,
            "lesson_seconds": narration.seconds if narration else 0,
            "audio_fetched": any(narration and narration.url in url for url in fetched),
            "lesson_total": row.total if row else None,
        }
    except BaseException as error:  # noqa: BLE001 - a missing feature gives a row that says so
        if _fatal(error):
            raise
        results.audio = {"error": _failure(error)}


def render_audio(audio: dict | None) -> list[str]:
    lines = ["", "## Narration", ""]
    if not audio:
        return lines + ["Not measured."]
    if "error" in audio:
        return lines + [audio["error"]]
    per_minute = audio["bytes"] / audio["minutes"] if audio["minutes"] else 0
    fetched = "FETCHED (❌)" if audio["audio_fetched"] else 'not among its fetches (✅, preload="none")'
    lines += [
        f"- {audio['count']:,} narrations, {audio['minutes']:.0f} min, {_kb(audio['bytes'])} in all: "
        f"**{_kb(per_minute)} per minute** ({per_minute * 8 / 60 / 1000:.1f} kbit/s, mono Opus; uploads are "
        "transcoded to about 20 kbit/s, the demo's synthetic voice is 9 kbit/s).",
        f"- The bench lesson (“{audio['lesson']}”) carries {_kb(audio['lesson_audio'])} of narration "
        f"({audio['lesson_seconds']} s); its first visit without playing is the page row above "
        f"({audio['lesson_total']:,} B compressed HTML + CSS + JS) and the recording is "
        f"{fetched}.",
    ]
    return lines


def measure_grid_cpu(results: Results, runs: int = 10) -> None:
    """The cohort grid for 200 (issue 17: ≤ 40 ms CPU), in this process through the whole middleware stack,
    next to the stylesheet served by WhiteNoise in the same process. CPU time, so other work on the machine
    slows it little (caches and frequency scaling still do)."""
    try:
        row, client, url = page_cohort_grid_200(results.meta)
        grid = _cpu_ms_per_get(client, url, runs)
        html = _html(client.get(url))
        static_url = next(iter(subresources(html)["css"]), None)
        baseline = _cpu_ms_per_get(client, static_url, runs) if static_url else None
        results.grid_cpu = {"ms": grid, "static_ms": baseline, "runs": runs}
    except BaseException as error:  # noqa: BLE001
        if _fatal(error):
            raise
        results.grid_cpu = {"note": _failure(error)}
    _say(f"  cohort grid for 200: {results.grid_cpu}")


# --- Load ------------------------------------------------------------------------------------------

LUA = r"""
-- Cycles through prepared requests (one per line: cookie TAB body, and TAB path where each has its own);
-- one offset per wrk thread so no two threads send the same one-time token. done() prints one JSON line
-- with the percentiles.
local lines = {}
local counter = 0
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")
local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local file = os.getenv("BENCH_REQUESTS")

function setup(thread)
  thread_index = (thread_index or 0) + 1
  thread:set("id", thread_index)
end

function init(args)
  for line in io.lines(file) do
    local tab = line:find("\t", 1, true)
    local rest = line:sub(tab + 1)
    local second = rest:find("\t", 1, true)  -- a third field: this request's own path
    if second then
      table.insert(lines, {line:sub(1, tab - 1), rest:sub(1, second - 1), rest:sub(second + 1)})
    else
      table.insert(lines, {line:sub(1, tab - 1), rest})
    end
  end
  counter = (id or 1) - 1
end

function request()
  local item = lines[(counter % #lines) + 1]
  counter = counter + thread_count
  local headers = {["Cookie"] = item[1]}
  local body = nil
  if method == "GET" and item[2] ~= "-" then
    headers["If-None-Match"] = item[2]  -- a repeat visit: the ETag her phone kept
  end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    body = item[2]
  end
  return wrk.format(method, item[3] or path, headers, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    '\nBENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "status_errors": %d, "connect_errors": %d, "read_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.mean, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.timeout))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LoadPlan:
    row: LoadRow
    lines: list[str]  # cookie TAB body, and TAB path where each request has its own
    expected_status: int = 200
    one_time: bool = False  # each line is meant to be sent once (a one-time token, a first tap)
    opens: Callable[[str], str] | None = None  # a POST's path → the page she opens before (the warm-up GETs it)


def _csrf_pair() -> tuple[str, str]:
    """A CSRF cookie secret and a masked token for the form, as a browser would hold them."""
    secret = _get_new_csrf_string()
    return secret, _mask_cipher_secret(secret)


def _session_cookie(user, backend: str) -> str:
    client = _client(user, backend=backend)
    return client.cookies["sessionid"].value


def plan_lesson(meta) -> LoadPlan:
    lesson = _first_lesson(2, 1)
    profiles = list(ArtisanProfile.objects.select_related("user").order_by("pk")[:50])
    lines = [f"sessionid={_session_cookie(p.user, 'people.backends.PinBackend')}\t-" for p in profiles]
    size = len(_client(profiles[0].user, backend="people.backends.PinBackend").get(lesson.url).content)
    return LoadPlan(LoadRow("Lesson page (artisan)", "GET", lesson.url, size), lines)


def _artisan_cookies(count: int = 50) -> list[str]:
    profiles = list(ArtisanProfile.objects.select_related("user").order_by("pk")[:count])
    return [f"sessionid={_session_cookie(p.user, 'people.backends.PinBackend')}" for p in profiles]


def plan_lesson_repeat(meta) -> LoadPlan:
    """Her second visit to an unchanged lesson: the ETag she received comes back (each artisan her own)."""
    lesson = _first_lesson(2, 1)
    lines = []
    for cookie in _artisan_cookies():
        client = Client()
        client.cookies["sessionid"] = cookie.split("=", 1)[1]
        etag = client.get(lesson.url)["ETag"]
        lines.append(f"{cookie}\t{etag}")
    return LoadPlan(LoadRow("Lesson repeat visit (artisan, If-None-Match)", "GET", lesson.url, 0), lines, 304)


def plan_quiz_page(meta) -> LoadPlan:
    quiz = _module_quiz(4)
    return LoadPlan(
        LoadRow("Quiz page (artisan)", "GET", _reverse("assessments:take", quiz.pk), 0),
        [f"{cookie}\t-" for cookie in _artisan_cookies()],
    )


def plan_mi_avance(meta) -> LoadPlan:
    return LoadPlan(
        LoadRow("Mi avance (artisan)", "GET", _reverse("progress:mine"), 0),
        [f"{cookie}\t-" for cookie in _artisan_cookies()],
    )


QUIZ_SUBMIT_ARTISANS = 700


def plan_quiz_submit(meta, count: int) -> LoadPlan:
    """Fresh one-time tokens for every request: each POST grades and records a real attempt."""
    quiz = _module_quiz(0)
    path = _reverse("assessments:take", quiz.pk)
    answers = []
    for question in quiz_questions(quiz):
        name = f"q{question.pk}"
        if question.kind == QuestionKind.NUMERIC:
            answers.append((name, str(Decimal(question.answer))))
        else:
            answers += [(name, str(option.pk)) for option in question.options.all() if option.is_correct]
    # Artisans without any attendance: a submit there grades, records and checks the certificate rule
    # without ever issuing one (that would render a PDF inside the measurement). Each artisan's first pass
    # asks the rule; her later passes of the same quiz do not (nothing new is complete:
    # certificates.services.who_may_earn). QUIZ_SUBMIT_ARTISANS of them, in turn, so that each makes about
    # ten attempts in a run, as a woman who retakes a quiz a few times might: with 100, each made 70, and
    # reading her attempts (is this module's quiz passed already?) grew with them. The lesson-done row takes
    # its artisans from the other end.
    profiles = list(
        ArtisanProfile.objects.select_related("user")
        .filter(user__attendance_records__isnull=True)
        .order_by("pk")[:QUIZ_SUBMIT_ARTISANS]
    )
    if len(profiles) < QUIZ_SUBMIT_ARTISANS:
        raise NotBuilt(f"{len(profiles)} artisans without attendance, {QUIZ_SUBMIT_ARTISANS} wanted")
    cookies = [(p.user.pk, _session_cookie(p.user, "people.backends.PinBackend")) for p in profiles]
    secret, masked = _csrf_pair()
    lines = []
    for index in range(count):
        user_id, session = cookies[index % len(cookies)]
        token = make_token(user_id=user_id, scope=f"quiz:{quiz.pk}")
        body = urlencode([("csrfmiddlewaretoken", masked), ("token", token), *answers])
        lines.append(f"sessionid={session}; csrftoken={secret}\t{body}")
    row = LoadRow("Quiz submit (grade + record)", "POST", path, 0)
    return LoadPlan(row, lines, expected_status=303, one_time=True, opens=lambda posted: posted)  # the quiz page


# First taps the lesson-done row prepares: more than a run sends (about 1,000 a second for 10 s here).
LESSON_DONE_TAPS = 16_000


def plan_lesson_done(meta) -> LoadPlan:
    """Her tap on "I finished this lesson", each request a lesson she had not finished: the completion
    recorded, the certificate rule asked, "Well done!" kept for the next page and the redirect to the next
    lesson. Artisans without any attendance (no certificate can be due, so no PDF is drawn inside the
    measurement), from the last one back (the quiz submit takes the first without progress), each taking the
    lessons she has not finished in their order, one request per artisan in turn. What the run records is
    deleted afterwards (``_restore_after_load``)."""
    lessons = list(LessonPage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path"))
    without = ArtisanProfile.objects.filter(user__attendance_records__isnull=True)
    done: dict[int, set] = defaultdict(set)  # what each of them has finished: one read for all
    rows = LessonCompletion.objects.filter(user__artisan__in=without).values_list("user_id", "lesson_key")
    for user_id, key in rows.iterator():
        done[user_id].add(key)
    taps: list[list[tuple[int, int]]] = []  # per artisan: (user id, lesson id) she has not finished, in order
    total = 0
    for user_id in without.order_by("-pk").values_list("user_id", flat=True):
        mine = [(user_id, lesson.pk) for lesson in lessons if lesson.translation_key not in done[user_id]]
        if mine:
            taps.append(mine)
            total += len(mine)
        if total >= LESSON_DONE_TAPS:
            break
    if total < LESSON_DONE_TAPS // 4:
        raise NotBuilt(f"only {total} lessons not yet done by artisans without attendance")
    cookies = {
        profile.user_id: _session_cookie(profile.user, "people.backends.PinBackend")
        for profile in ArtisanProfile.objects.select_related("user").filter(user_id__in=[mine[0][0] for mine in taps])
    }
    secret, masked = _csrf_pair()
    body = urlencode([("csrfmiddlewaretoken", masked)])
    lines = []
    for turn in range(max(len(mine) for mine in taps)):
        for mine in taps:
            if turn < len(mine):
                user_id, lesson_id = mine[turn]
                path = _reverse("progress:lesson_done", lesson_id)
                lines.append(f"sessionid={cookies[user_id]}; csrftoken={secret}\t{body}\t{path}")
    urls = {_reverse("progress:lesson_done", lesson.pk): lesson.url for lesson in lessons}
    row = LoadRow("Lesson done (record + next lesson)", "POST", lines[0].rsplit("\t", 1)[1], 0)
    return LoadPlan(row, lines, expected_status=302, one_time=True, opens=lambda posted: urls[posted])


def plan_attendance_save(meta) -> LoadPlan:
    """The whole list of 40 in one POST, as the form sends it (each line's mark and note, and what the page
    showed), alternating two versions so every save changes rows: the facilitator corrects six marks of a
    list she loaded after the other version was saved."""
    facilitator = User.objects.get(pk=meta["attendance_facilitator_id"])
    session = Session.objects.get(pk=meta["attendance_session_id"])
    path = _reverse("attendance:session", session.pk)
    artisan_ids = list(session.cohort.artisans.order_by("user_id").values_list("user_id", flat=True))
    cookie = _session_cookie(facilitator, "people.backends.StaffBackend")
    secret, masked = _csrf_pair()
    lines = []
    for version in range(2):
        fields = [("csrfmiddlewaretoken", masked)]
        for index, artisan_id in enumerate(artisan_ids):
            status = "late" if version and index % 7 == 0 else "present"
            shown = "late" if not version and index % 7 == 0 else "present"
            fields += [
                (f"s{artisan_id}", status),
                (f"n{artisan_id}", ""),
                (f"w{artisan_id}", shown),  # the shown note (v) only for a line that had one: none here
            ]
        lines.append(f"sessionid={cookie}; csrftoken={secret}\t{urlencode(fields)}")
    return LoadPlan(LoadRow(f"Attendance save ({len(artisan_ids)} artisans)", "POST", path, 0), lines, 302)


def _check_plan(plan: LoadPlan) -> None:
    """One request through the test client first: a plan that does not work is reported, not timed."""
    cookie, body, *own_path = plan.lines[0].split("\t")
    path = own_path[0] if own_path else plan.row.path
    client = Client()
    for part in cookie.split("; "):
        key, value = part.split("=", 1)
        client.cookies[key] = value
    if plan.row.method == "POST":
        response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
    elif body != "-":
        response = client.get(path, HTTP_IF_NONE_MATCH=body)
    else:
        response = client.get(path)
    if response.status_code != plan.expected_status:
        raise RuntimeError(f"{plan.row.method} {path} answered {response.status_code}")
    plan.row.size = len(response.content)
    plan.row.status = response.status_code


def _wrk(
    port: int,
    plan_path: str,
    method: str,
    path: str,
    *,
    duration: int,
    threads: int,
    connections: int,
    requests_file: Path,
) -> dict:
    env = {
        **os.environ,
        "BENCH_THREADS": str(threads),
        "BENCH_METHOD": method,
        "BENCH_PATH": path,
        "BENCH_REQUESTS": str(requests_file),
    }
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        plan_path,
        f"http://127.0.0.1:{port}{path}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, env=env, timeout=duration + 60, check=True)
    line = next((line for line in output.stdout.splitlines() if line.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result: {output.stdout[-300:]} {output.stderr[-300:]}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = data["duration_us"] / 1e6
    data["rps"] = data["requests"] / seconds if seconds else 0.0
    data["errors"] = data["status_errors"] + data["connect_errors"] + data["read_errors"] + data["timeouts"]
    return data


def _server_cpu_seconds(master: int) -> float | None:
    """CPU time (user + system) used so far by gunicorn's master and workers, from /proc (Linux only).

    Divided by the requests served, it gives CPU milliseconds per request: a number that does not
    depend on what else the machine is doing, unlike throughput and latency.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid = int(entry.name), int(fields[1])
            if pid == master or ppid == master:
                total += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return None
    return total / ticks


def _measured(port: int, master: int, script: Path, method: str, path: str, **options) -> dict:
    before = _server_cpu_seconds(master)
    data = _wrk(port, str(script), method, path, **options)
    after = _server_cpu_seconds(master)
    if before is not None and after is not None and data["requests"]:
        data["cpu_ms"] = (after - before) * 1000 / data["requests"]
    return data


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _warm_up(port: int, plans: list[LoadPlan], script: Path, work: Path, *, threads: int, connections: int) -> None:
    """Two seconds of GETs first, not counted: every worker has connected and compiled its templates. For a
    form's row, each woman who posts opens the page of the form once first (``LoadPlan.opens``), as she does
    before she taps: her account is kept then, not on her first post."""
    for plan in plans:
        if plan.row.method == "GET":
            lines = plan.lines
        elif plan.opens is not None:
            seen: dict[str, str] = {}
            for line in plan.lines:
                cookie, _body, *own = line.split("\t")
                seen.setdefault(cookie, plan.opens(own[0] if own else plan.row.path))
            lines = [f"{cookie}\t-\t{path}" for cookie, path in seen.items()]
        else:
            continue
        requests_file = work / "warm-up.tsv"
        requests_file.write_text("\n".join(lines) + "\n")
        _wrk(
            port,
            str(script),
            "GET",
            plan.row.path,
            duration=2,
            threads=threads,
            connections=connections,
            requests_file=requests_file,
        )


def measure_load(results: Results, *, duration: int, workers: int, threads: int, connections: int) -> None:
    if not shutil.which("wrk"):
        results.load_setup = "wrk is not installed (apt-get install -y wrk): load not measured."
        return
    if not shutil.which("gunicorn", path=str(BASE_DIR / ".venv" / "bin")) and not shutil.which("gunicorn"):
        results.load_setup = "gunicorn is not installed: load not measured."
        return
    started = datetime.datetime.now(datetime.UTC)  # what is written from here on is deleted afterwards
    # One fresh one-time token per quiz submit the run can send (2,500 a second is more than this machine serves):
    # a token sent twice would measure the repeat's shorter path.
    expected = max(2000, int(duration * 2500))
    plans: list[LoadPlan] = []
    for name, maker in (
        ("Lesson page (artisan)", lambda: plan_lesson(results.meta)),
        ("Lesson repeat visit", lambda: plan_lesson_repeat(results.meta)),
        ("Quiz page", lambda: plan_quiz_page(results.meta)),
        ("Mi avance", lambda: plan_mi_avance(results.meta)),
        ("Quiz submit", lambda: plan_quiz_submit(results.meta, expected)),
        ("Lesson done", lambda: plan_lesson_done(results.meta)),
        ("Attendance save", lambda: plan_attendance_save(results.meta)),
    ):
        try:
            plan = maker()
            _check_plan(plan)
            plans.append(plan)
        except BaseException as error:  # noqa: BLE001
            if _fatal(error):
                raise
            results.load.append(LoadRow(name, note=_failure(error)))
    if not plans:
        return

    # Baselines: a static file of each response's size, served by the same gunicorn (WhiteNoise).
    www = Path(settings.WHITENOISE_ROOT)
    shutil.rmtree(www, ignore_errors=True)
    www.mkdir(parents=True)
    for index, plan in enumerate(plans):
        (www / f"baseline-{index}.html").write_bytes(b"x" * (plan.row.size or 0))

    work = Path(tempfile.mkdtemp(prefix="telar-bench-"))
    script = work / "bench.lua"
    script.write_text(LUA)
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(BASE_DIR / ".venv" / "bin")) or "gunicorn"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [
        gunicorn,
        "lms.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--timeout",
        "60",
        "--preload",
        "--config",
        "gunicorn.conf.py",  # as in production (README): gc.freeze() before each fork
    ]
    results.load_setup = (
        f"gunicorn {workers} sync workers on 127.0.0.1 (DEBUG off, SQLite WAL); "
        f"wrk -t{threads} -c{connections} -d{duration}s per row; the static baseline is a file of the same size "
        f"served by WhiteNoise in the same gunicorn, measured right after its row."
    )
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    try:
        _wait_for(port, process)
        _warm_up(port, plans, script, work, threads=threads, connections=connections)
        for index, plan in enumerate(plans):
            requests_file = work / f"requests-{index}.tsv"
            requests_file.write_text("\n".join(plan.lines) + "\n")
            static_file = work / f"static-{index}.tsv"
            static_file.write_text(plan.lines[0].split("\t")[0] + "\t-\n")
            try:
                options = {"duration": duration, "threads": threads, "connections": connections}
                plan.row.dynamic = _measured(
                    port, process.pid, script, plan.row.method, plan.row.path, requests_file=requests_file, **options
                )
                if plan.one_time and plan.row.dynamic["requests"] > len(plan.lines):
                    repeated = plan.row.dynamic["requests"] - len(plan.lines)
                    plan.row.note = f"{repeated:,} of {plan.row.dynamic['requests']:,} requests repeated a prepared one"
                plan.row.static = _measured(
                    port, process.pid, script, "GET", f"/baseline-{index}.html", requests_file=static_file, **options
                )
            except BaseException as error:  # noqa: BLE001
                if _fatal(error):
                    raise
                plan.row.note = _failure(error)
            _say(
                f"  load {plan.row.name}: {plan.row.dynamic and round(plan.row.dynamic['rps'])} req/s "
                f"(static {plan.row.static and round(plan.row.static['rps'])}) {plan.row.note}"
            )
            results.load.append(plan.row)
        results.workers = _worker_memory(process.pid)
    finally:
        _restore_after_load(results.meta, started)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(work, ignore_errors=True)


def _worker_memory(master: int) -> list[tuple[int, float, float]]:
    """Each gunicorn worker's resident memory after the load: (pid, RSS MB, PSS MB) from /proc.

    PSS counts pages shared with the master (``--preload``) and the other workers once, divided among
    them: what each worker really adds. RSS counts them in full in every worker."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) != master:
                continue
            fields = dict(
                line.split(":", 1) for line in (entry / "smaps_rollup").read_text().splitlines() if ":" in line
            )
        except (OSError, ValueError, IndexError):
            continue
        kb = {key: int(value.split()[0]) for key, value in fields.items() if key in ("Rss", "Pss")}
        if "Rss" in kb:
            found.append((int(entry.name), kb["Rss"] / 1024, kb.get("Pss", kb["Rss"]) / 1024))
    return sorted(found)


def _restore_after_load(meta: dict, since: datetime.datetime) -> None:
    """Leave the data set as generated: the quiz attempts, lessons done and attendance written under load go away."""
    Attempt.objects.filter(submitted_at__gte=since).delete()
    LessonCompletion.objects.filter(completed_at__gte=since).delete()
    AttendanceRecord.objects.filter(session_id=meta["attendance_session_id"]).delete()
    WebSession.objects.all().delete()


# --- Certificates ----------------------------------------------------------------------------------


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure_certificate_pdf(results: Results, runs: int = 50) -> None:
    try:
        certificate = Certificate.objects.filter(status="valid").order_by("pk").first()
        if certificate is None:
            raise NotBuilt("no certificate in the data set")
        render_pdf(certificate)  # fonts and template loaded once, as in a running server
        timings, cpu, size = [], [], 0
        for _run in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            data = render_pdf(certificate)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            size = len(data)
        median, cpu_median = statistics.median(timings), statistics.median(cpu)
        # Judged on CPU time: wall-clock time also counts whatever else shares the machine.
        verdict = "✅" if cpu_median <= 300 and size <= 100 * 1024 else "❌"
        results.pdf.append(
            (
                f"Certificate PDF render ({runs} runs)",
                f"{median:.0f} ms",
                f"{_percentile(timings, 95):.0f} ms",
                f"{cpu_median:.0f} ms",
                _kb(size),
                f"{verdict} budget ≤ 300 ms (CPU) and ≤ 100 KB",
            )
        )
    except BaseException as error:  # noqa: BLE001
        if _fatal(error):
            raise
        results.pdf.append(("Certificate PDF render", "", "", "", "", _failure(error)))


def measure_bundle(results: Results) -> None:
    try:
        cohort = Cohort.objects.get(pk=results.meta["grid_cohort_id"])
        certificates = list(cohort_valid_certificates(cohort))
        missing = [c for c in certificates if not (c.pdf and c.pdf.storage.exists(c.pdf.name))]
        started = time.perf_counter()
        for certificate in missing:  # normally rendered once, after issue, by the task; stored here before timing
            certificate_pdf_ready(certificate)
        prepared = time.perf_counter() - started
        by = User.objects.get(pk=results.meta["grid_facilitator_id"])
        timings, cpu = [], []
        for _run in range(3):
            bundle = CohortBundle.objects.create(cohort=cohort, requested_by=by, fingerprint="bench")
            started, started_cpu = time.perf_counter(), time.process_time()
            bundle = bundle_build(bundle_id=bundle.pk)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            if bundle.status != CohortBundle.Status.READY:
                raise RuntimeError(f"bundle status {bundle.status}")
        size = bundle.pdf.size
        note = f"{len(certificates)} stored PDFs joined"
        if missing:
            note += f"; {len(missing)} were rendered first in {prepared:.0f} s (after issue, in a task, in real use)"
        results.pdf.append(
            (
                f"Cohort bundle of {len(certificates)} (3 runs)",
                f"{statistics.median(timings):.0f} ms",
                f"{max(timings):.0f} ms (max)",
                f"{statistics.median(cpu):.0f} ms",
                _kb(size),
                note,
            )
        )
    except BaseException as error:  # noqa: BLE001
        if _fatal(error):
            raise
        results.pdf.append(("Cohort bundle", "", "", "", "", _failure(error)))


# --- Report ----------------------------------------------------------------------------------------


def _kb(size: int | None) -> str:
    if size is None:
        return ""
    return f"{size:,} B" if size < 10_000 else f"{size / 1024:,.1f} KB"


def _ms(microseconds: float | None) -> str:
    return "" if microseconds is None else f"{microseconds / 1000:.1f}"


def _cpu(data: dict) -> str:
    return f"{data['cpu_ms']:.1f}" if data.get("cpu_ms") is not None else ""


FETCH_LABELS = {"css": "CSS", "js": "JS", "img": "image", "manifest": "manifest", "other": "icon/preload"}


def _fetches(row: PageRow) -> str:
    """4 (page, CSS, JS, other): what the count is made of."""
    parts = ["page"]
    for kind, count in (row.fetches or {}).items():
        label = FETCH_LABELS[kind]
        parts.append(label if count == 1 else f"{count} {label}{'s' if kind == 'img' else ''}")
    worker = f" + {row.worker_fetches} by the service worker" if row.worker_fetches else ""
    return f"{row.requests} ({', '.join(parts)}){worker}"


def _worker(row: PageRow) -> str:
    if row.worker is None:
        return "none (no script)"
    return f"{_kb(row.worker)} ({row.worker_fetches} fetches; {_kb(row.worker_again)} of it the CSS and script again)"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    with contextlib.suppress(OSError):
        load = f"; load average {os.getloadavg()[0]:.1f} when the run started (other work shares these CPUs)"
    return f"{platform.node()}: {cpu}, {os.cpu_count()} CPUs{memory}, {platform.system()} {platform.release()}{load}"


def software() -> str:
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, Wagtail {wagtail.__version__}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def _ratio(row: LoadRow | None) -> float | None:
    if row is None or not row.dynamic or not row.static or not row.static["rps"]:
        return None
    return row.dynamic["rps"] / row.static["rps"]


def goals(results: Results) -> list[str]:
    """Issue 17's goals, each with its figure, the static baseline beside it, and ✅ / ❌ (— when not measured)."""
    load = {row.name: row for row in results.load}
    pages = {(row.name, row.who): row for row in results.pages}
    lines = ["", "## Goals (issue 17)", "", "| Goal | Measured | Static file, same run | Met |", "|---|--:|--:|:-:|"]

    def mark(ok: bool | None) -> str:
        return "—" if ok is None else ("✅" if ok else "❌")

    def throughput(goal: str, name: str, at_least: float) -> None:
        row = load.get(name)
        ratio = _ratio(row)
        if ratio is None:
            lines.append(f"| {goal} | not measured | | — |")
            return
        lines.append(
            f"| {goal} | {row.dynamic['rps']:.0f} req/s = 1/{1 / ratio:.1f} of static"
            f" ({_cpu(row.dynamic)} ms CPU/req) | {row.static['rps']:.0f} req/s ({_cpu(row.static)} ms CPU/req)"
            f" | {mark(ratio >= at_least)} |"
        )

    def queries(goal: str, key: tuple[str, str], at_most: int) -> None:
        row = pages.get(key)
        ok = None if row is None or row.queries is None else row.queries <= at_most
        lines.append(f"| {goal} | {row.queries if row else ''} queries | 0 | {mark(ok)} |")

    throughput("Signed-in lesson ≥ 1/5 of static", "Lesson page (artisan)", 1 / 5)
    queries("Signed-in lesson ≤ 8 queries", ("Lesson", "artisan"), 8)
    throughput("Quiz page ≥ 1/5 of static", "Quiz page (artisan)", 1 / 5)
    queries("Quiz page ≤ 8 queries", ("Quiz", "artisan"), 8)
    throughput("Mi avance ≥ 1/5 of static", "Mi avance (artisan)", 1 / 5)
    queries("Mi avance ≤ 8 queries", ("Mi avance", "artisan"), 8)
    throughput("Quiz submit ≥ 1/10 of static", "Quiz submit (grade + record)", 1 / 10)
    throughput("Lesson done ≥ 1/10 of static", "Lesson done (record + next lesson)", 1 / 10)
    attendance = next((name for name in load if name.startswith("Attendance save")), "Attendance save")
    throughput("Attendance save for 40 ≥ 1/15 of static", attendance, 1 / 15)
    repeat = load.get("Lesson repeat visit (artisan, If-None-Match)")
    ok = None if repeat is None or repeat.status is None else repeat.status == 304
    status = repeat.status if repeat else ""
    lines.append(f"| Repeat visit to an unchanged lesson answers 304 | {status} | | {mark(ok)} |")
    throughput("Repeat visit (304) throughput, for reference", "Lesson repeat visit (artisan, If-None-Match)", 0)
    grid = results.grid_cpu or {}
    if grid.get("ms") is not None:
        static_ms = f"{grid['static_ms']:.1f} ms CPU/req (the stylesheet)" if grid.get("static_ms") is not None else ""
        lines.append(
            f"| Cohort grid for 200 ≤ 40 ms CPU (in process, median of {grid['runs']}) | {grid['ms']:.1f} ms CPU/req"
            f" | {static_ms} | {mark(grid['ms'] <= 40)} |"
        )
    else:
        lines.append(f"| Cohort grid for 200 ≤ 40 ms CPU | not measured {grid.get('note', '')} | | — |")
    wired = [row for row in results.pages if row.wire is not None]
    if wired:
        with_worker = sum(1 for row in wired if row.worker is not None)
        lines.append(
            f"| What the phone receives is measured for every page (headers, service worker, images) |"
            f" {len(wired)} of {len(results.pages)} pages ({with_worker} with the service worker) | | "
            f"{mark(len(wired) == len(results.pages))} |"
        )
    if results.workers:
        worst = max(pss for _pid, _rss, pss in results.workers)
        lines.append(f"| A worker ≤ 90 MB (PSS, worst worker) | {worst:.0f} MB | | {mark(worst <= 90)} |")
    else:
        lines.append("| A worker ≤ 90 MB | not measured | | — |")
    install = results.install
    if install and "mb" in install:
        top = ", ".join(f"{name} {size:.0f} MB" for name, size in install["top"][:4])
        lines.append(
            f"| Production install ≤ 250 MB (`python3.11 -m lms.install`, du) | {install['mb']:.0f} MB "
            f"(largest: {top}) | | {mark(install['mb'] <= 250)} |"
        )
    else:
        note = (install or {}).get("note", "not measured")
        lines.append(f"| Production install ≤ 250 MB | {note} | | — |")
    return lines


def measure_install(results: Results) -> None:
    """The production install's size, built afresh in a temporary folder (bench.install_size, no smoke run)."""
    command = [sys.executable, "-m", "bench.install_size", "--no-smoke", "--json"]
    try:
        done = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, timeout=900)
        results.install = json.loads(done.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError) as error:
        results.install = {"note": f"failed: {type(error).__name__}"}


def render(results: Results, started: datetime.datetime, seconds: float) -> str:
    meta = results.meta
    host = results.notes_machine or machine()
    counts = ", ".join(f"{value:,} {key}" for key, value in meta["counts"].items())
    out = [
        "# Telar benchmark results",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC (run took {seconds:.0f} s)",
        f"- Machine: {host}",
        f"- Software: {software()}",
        f"- Data set `{meta['scale']['name']}`: {counts} (bench/datagen.py, generated in {meta['seconds']} s)",
        "- Produced by `make bench` (`python -m bench.run`); see docs/BENCH.md for what each number means.",
        "",
        "## Pages",
        "",
        "Bytes are compressed as sent (HTML: the gzip body from the server's GZipMiddleware; CSS and JS: the "
        "`.gz` files WhiteNoise serves). Requests: the page and what it references on a first visit "
        "(stylesheets, scripts, images, manifest). Queries: on the second request (warm process caches). "
        "On the wire: what the phone receives on a first visit: the page and every request above, each with its "
        "response headers (status line, Django's headers and cookies, gunicorn's Server, Date, Connection), plus, "
        "where the page loads telar.js, the service worker's fetches (/sw.js, then at install the CSS and script "
        "again and the offline page in each language; static/js/sw.js). Static files as WhiteNoise serves them to "
        "a browser that accepts brotli (over HTTPS, as in production); images as Django's file view sends them.",
        "",
        "| Page | As | HTML | CSS | JS | Total | Budget | Requests | SQL queries | Headers | Service worker "
        "| On the wire | Note |",
        "|---|---|--:|--:|--:|--:|---|---|--:|--:|--:|--:|---|",
    ]
    for row in results.pages:
        if row.total is None:
            out.append(f"| {row.name} | {row.who} | | | | | | | | | | | {row.note} |")
            continue
        budget = ""
        if row.budget:
            budget = f"{'✅' if row.total <= row.budget else '❌'} ≤ {row.budget:,}"
        out.append(
            f"| {row.name} | {row.who} | {row.html:,} | {row.css:,} | {row.js:,} | **{row.total:,}** | {budget} | "
            f"{_fetches(row)} | {row.queries} | {_kb(row.headers)} | {_worker(row)} | **{_kb(row.wire)}** | "
            f"{row.note} |"
        )
    out += ["", "## Under load", "", results.load_setup, ""]
    if results.load:
        out += [
            "| Endpoint | Response | Req/s | p50 ms | p95 ms | Server CPU ms/req | Static req/s | Static p50 | "
            "Static p95 | Static CPU ms/req | Req/s vs static | p50 vs static | Errors | Note |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
        ]
        for row in results.load:
            d, s = row.dynamic, row.static
            if not d or not s:
                out.append(f"| {row.name} | | | | | | | | | | | | | {row.note} |")
                continue
            ratio = s["rps"] / d["rps"] if d["rps"] else 0
            latency = d["p50_us"] / s["p50_us"] if s["p50_us"] else 0
            out.append(
                f"| {row.method} {row.name} | {_kb(row.size)} ({row.status}) | {d['rps']:.0f} | {_ms(d['p50_us'])} | "
                f"{_ms(d['p95_us'])} | {_cpu(d)} | {s['rps']:.0f} | {_ms(s['p50_us'])} | {_ms(s['p95_us'])} | "
                f"{_cpu(s)} | 1/{ratio:.0f} | {latency:.0f}× | {d['errors']} | {row.note} |"
            )
    if results.workers:
        out += [
            "",
            "Memory of each gunicorn worker after the load (`--preload`; /proc smaps_rollup): "
            + "; ".join(f"RSS {rss:.0f} MB, PSS {pss:.0f} MB" for _pid, rss, pss in results.workers)
            + ". PSS counts the pages shared with the master and the other workers once: what a worker adds.",
        ]
    out += goals(results)
    out += render_audio(results.audio)
    out += [
        "",
        "## Certificates",
        "",
        "Wall-clock times, and the CPU time of the rendering process: the budget is judged on CPU time, "
        "which does not count whatever else shares the machine.",
        "",
        "| What | Median | p95 | CPU median | Size | Note |",
        "|---|--:|--:|--:|--:|---|",
    ]
    for what, median, p95, cpu, size, note in results.pdf:
        out.append(f"| {what} | {median} | {p95} | {cpu} | {size} | {note} |")
    if results.notes:
        out += ["", "## Notes", ""] + [f"- {note}" for note in results.notes]
    return "\n".join(out) + "\n"
