"""The service worker, the manifest, the offline page, module sizes, headers and byte budgets."""

import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image

from courses.models import LessonPage, ModulePage
from lms.settings import base as base_settings
from offline.middleware import who
from offline.selectors import MODULE_BUDGET
from tests.budgets import PAGE_BUDGET, SCRIPT_BUDGET, gzipped, static_bytes, subresources
from tests.offline.conftest import PIN_BACKEND, ROLES, STAFF_BACKEND, form_token, sign_in_as

pytestmark = pytest.mark.django_db


# --- The service worker ---------------------------------------------------------------------------


def test_the_service_worker_is_served_at_the_root_with_its_headers(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "X-Telar-Who" not in response  # not a page
    assert client.get("/en/sw.js").status_code == 404  # one worker, one scope: the whole site
    body = response.content.decode()
    assert body.startswith("const CONFIG={")


def test_the_service_worker_is_told_exactly_which_forms_it_may_keep(client, lesson, session):
    config = json.loads(re.match(r"const CONFIG=(\{.*?\});\n", client.get("/sw.js").content.decode()).group(1))
    patterns = {kind: re.compile(pattern) for kind, pattern in config["queueable"].items()}
    assert set(patterns) == {"lesson", "quiz", "attendance"}
    assert patterns["lesson"].match(reverse("progress:lesson_done", args=[lesson.pk]))
    assert patterns["lesson"].match("/en" + reverse("progress:lesson_done", args=[lesson.pk]))
    assert patterns["quiz"].match("/quizzes/12/")
    assert patterns["attendance"].match(reverse("attendance:session", args=[session.pk]))
    for other in ["/quizzes/12/print.pdf", "/sign-out/", "/progress/", "/facilitator/cohorts/1/", "/quizzes/paper/"]:
        assert not any(pattern.match(other) for pattern in patterns.values()), other
    sign_out = re.compile(config["signOutPattern"])
    assert sign_out.match("/sign-out/") and sign_out.match("/en/sign-out/")
    assert config["offlinePages"] == {"es": "/offline/", "en": "/en/offline/"}
    assert config["idleSeconds"] == 30 * 60
    assert len(config["version"]) == 12


def test_the_version_changes_when_the_worker_or_its_files_change(client, settings):
    first = client.get("/sw.js").content
    settings.SESSION_COOKIE_AGE = 10 * 60
    second = client.get("/sw.js").content
    assert first != second
    assert re.search(rb'"version":"(\w+)"', first).group(1) != re.search(rb'"version":"(\w+)"', second).group(1)


def test_the_scripts_fit_their_budget(client):
    """The page script and the service worker together, compressed, as they travel.

    The sources are readable (names, comments); what goes over the network is compressed:
    WhiteNoise serves the collected telar.js as gzip or brotli, and GZipMiddleware compresses
    /sw.js. Both are measured here as gzip level 6 of the bytes served, like the page budgets.
    """
    assert "Compressed" in base_settings.STORAGES["staticfiles"]["BACKEND"]  # production serves .gz/.br copies
    assert client.get("/sw.js", HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
    page_script = static_bytes("js/telar.js")
    worker = client.get("/sw.js").content
    total = gzipped(page_script) + gzipped(worker)
    print(f"telar.js {len(page_script)} B + sw.js {len(worker)} B raw; {total} B compressed")
    assert total <= SCRIPT_BUDGET, total


def test_no_framework_and_no_third_party_code():
    for name in ("js/telar.js", "js/sw.js"):
        text = static_bytes(name).decode()
        assert "import " not in text and "require(" not in text and "http" not in text, name


# --- The manifest and icons -----------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "lang"), [("", "es"), ("/en", "en")])
def test_the_manifest_lets_the_site_be_added_to_the_home_screen(client, prefix, lang):
    response = client.get(f"{prefix}/offline/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["lang"] == lang and data["short_name"] == "Telar" and data["display"] == "standalone"
    assert data["start_url"] == f"{prefix}/" and data["scope"] == "/"
    sizes = set()
    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with open(path, "rb") as handle:
            raw = handle.read()
        image = Image.open(io.BytesIO(raw))
        assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]
        assert len(raw) <= 8 * 1024, icon  # small
        sizes.add(image.width)
    assert {192, 512} <= sizes


def test_the_manifest_name_is_translated(client):
    spanish = json.loads(client.get("/offline/manifest.webmanifest").content)
    english = json.loads(client.get("/en/offline/manifest.webmanifest").content)
    assert spanish["name"] != english["name"] and spanish["description"] != english["description"]


def test_every_page_links_the_manifest(client, lesson):
    for url in ["/", lesson.url, "/offline/", reverse("people:sign_in")]:
        html = client.get(url, follow=True).content.decode()
        assert 'rel="manifest" href="/offline/manifest.webmanifest"' in html, url


# --- Pages, scripts and budgets -------------------------------------------------------------------


@pytest.mark.parametrize("as_artisan", [False, True], ids=["guest", "artisan"])
def test_lesson_pages_carry_no_script_and_stay_within_three_requests(client, artisan, modules, as_artisan):
    """The decision: no script on lessons (their first-visit budget). A kept lesson works offline without it."""
    if as_artisan:
        client.force_login(artisan.user, backend=PIN_BACKEND)
    css = gzipped(static_bytes("css/telar.css"))
    for lesson in LessonPage.objects.child_of(modules[0]).live():
        response = client.get(lesson.url)
        html = response.content.decode()
        assert "<script" not in html
        assert len(subresources(html)) + 1 <= 3, subresources(html)
        assert gzipped(response.content) + css <= PAGE_BUDGET


@pytest.mark.parametrize("language", ["es", "en"])
def test_pages_that_load_the_script_fit_the_budget_counting_it(client, artisan, language):
    """Module pages, the home page and the offline page load the script (deferred); counted with it."""
    client.force_login(artisan.user, backend=PIN_BACKEND)
    fixed = gzipped(static_bytes("css/telar.css")) + gzipped(static_bytes("js/telar.js"))
    modules = ModulePage.objects.live().filter(locale__language_code=language)
    home = "/" if language == "es" else "/en/"
    urls = [home, *[module.url for module in modules], reverse("offline:page")]
    worst = 0
    for url in urls:
        response = Client().get(url)  # a guest's first visit
        html = response.content.decode()
        assert re.search(r'<script defer src="/static/js/telar\.js"', html), url
        for body in (response.content, client.get(url).content):
            worst = max(worst, gzipped(body) + fixed)
            assert gzipped(body) + fixed <= PAGE_BUDGET, url
    print(f"worst page with the script: {worst} bytes compressed (HTML + CSS + JS)")


def test_the_script_is_deferred_and_its_words_are_translated(client):
    spanish = client.get("/offline/").content.decode()
    english = client.get("/en/offline/").content.decode()
    assert 'data-one="1 cosa por enviar"' in spanish and 'data-many="2 cosas por enviar"' in spanish
    assert 'data-one="1 thing waiting to be sent"' in english


def test_the_module_page_offers_keep_for_offline_only_to_the_script(client, modules):
    html = client.get(modules[0].url).content.decode()
    section = re.search(r'<section id="keep-offline" class="keep-offline" hidden[^>]*data-src="([^"]+)"', html)
    assert section and section.group(1) == reverse("offline:module", args=[modules[0].pk])
    assert "Guardar sin conexión" in html


@pytest.mark.parametrize("role", ROLES)
def test_the_offline_page_is_for_everyone(client, role, request):
    sign_in_as(client, role, request)
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "nunca a nombre de quien entre después" in html  # the sign-out rule, said plainly
    assert 'data-show="nojs"' in html  # without the script the page says what to expect


# --- Headers for the service worker and the HTTP cache ---------------------------------------------


def test_guest_pages_are_content_and_may_be_kept(client, lesson, modules):
    for url in [lesson.url, modules[0].url, "/", "/offline/"]:
        response = client.get(url)
        assert response["X-Telar-Who"] == "0", url
        assert response["X-Telar-Keep"] == "1", url
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_signed_in_pages_are_personal_and_never_in_the_http_cache(client, artisan, lesson):
    client.force_login(artisan.user, backend=PIN_BACKEND)
    for url in [lesson.url, reverse("progress:mine"), "/", "/offline/"]:
        response = client.get(url)
        assert response["X-Telar-Who"] == who(artisan.user) != "0", url
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url
    module = client.get(reverse("offline:module", args=[lesson.get_parent().pk]))
    assert "no-store" in module["Cache-Control"]


def test_who_differs_between_women(artisan, other_artisan):
    assert who(artisan.user) != who(other_artisan.user)


def test_pages_that_must_not_be_kept_say_so(client, artisan):
    assert "X-Telar-Keep" not in client.get(reverse("people:sign_in"), follow=True)
    pin = client.get(reverse("people:sign_in_pin", args=[artisan.user.pk]))
    assert pin.status_code == 200 and "X-Telar-Keep" not in pin
    assert "X-Telar-Keep" not in client.get("/nowhere-at-all/")


def test_forms_carry_a_token_for_the_signed_in_user_only(client, artisan, lesson, facilitator, session):
    from core.tokens import read_token

    assert 'name="token"' not in client.get(lesson.url).content.decode()  # a guest has no form
    client.force_login(artisan.user, backend=PIN_BACKEND)
    action = reverse("progress:lesson_done", args=[lesson.pk])
    token = read_token(form_token(client.get(lesson.url).content.decode(), action), scope=f"lesson:{lesson.pk}")
    assert token.user_id == artisan.user.pk
    staff = Client()
    staff.force_login(facilitator, backend=STAFF_BACKEND)
    url = reverse("attendance:session", args=[session.pk])
    token = read_token(form_token(staff.get(url).content.decode(), url), scope=f"attendance:{session.pk}")
    assert token.user_id == facilitator.pk


# --- Module sizes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_module_sizes_for_every_role(client, role, request, modules):
    sign_in_as(client, role, request)
    response = client.get(reverse("offline:module", args=[modules[0].pk]))
    assert response.status_code == 200
    data = response.json()
    assert data["personal"] is (role != "guest")
    pages = sum(item["bytes"] for item in data["pages"])
    files = sum(item["bytes"] for item in data["files"])
    assert data["bytes"] == pages * (2 if data["personal"] else 1) + files


def test_module_sizes_are_what_the_phone_will_download(client, modules):
    data = client.get(reverse("offline:module", args=[modules[0].pk])).json()
    lessons = list(LessonPage.objects.child_of(modules[0]).live().order_by("path"))
    urls = [item["url"] for item in data["pages"]]
    assert urls[0] == modules[0].url and urls[1 : 1 + len(lessons)] == [lesson.url for lesson in lessons]
    assert urls[-1].startswith("/quizzes/")  # the module's quiz page
    for item in data["pages"]:
        assert len(Client().get(item["url"]).content) == item["bytes"], item["url"]
    assert data["files"], "the lessons' images are part of the module"
    for item in data["files"]:
        assert item["url"].startswith("/media/")
        assert default_storage.size(item["url"].removeprefix("/media/")) == item["bytes"]


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_module_fits_one_megabyte(client, language):
    worst = 0
    for module in ModulePage.objects.live().filter(locale__language_code=language):
        data = client.get(reverse("offline:module", args=[module.pk])).json()
        assert data["budget"] == MODULE_BUDGET
        worst = max(worst, data["bytes"])
        assert data["bytes"] <= MODULE_BUDGET, (module.title, data["bytes"])
    print(f"heaviest module ({language}): {worst} bytes")


def test_module_sizes_cost_a_fixed_number_of_queries_once_measured(client, modules, django_assert_max_num_queries):
    url = reverse("offline:module", args=[modules[2].pk])
    client.get(url)
    with django_assert_max_num_queries(3):
        client.get(url)


def test_a_republished_lesson_is_measured_again(client, modules):
    url = reverse("offline:module", args=[modules[0].pk])
    before = client.get(url).json()
    lesson = LessonPage.objects.child_of(modules[0]).live().first()
    lesson.intro = lesson.intro + " Una frase más para la lección."
    lesson.save_revision().publish()
    after = client.get(url).json()
    assert after["bytes"] > before["bytes"]


def test_only_live_modules_have_sizes(client, modules, lesson):
    assert client.get(reverse("offline:module", args=[lesson.pk])).status_code == 404
    assert client.get(reverse("offline:module", args=[999_999])).status_code == 404
    modules[5].unpublish()
    assert client.get(reverse("offline:module", args=[modules[5].pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_worker_manifest_and_sync_token_are_for_everyone(client, role, request):
    sign_in_as(client, role, request)
    assert client.get("/sw.js").status_code == 200
    assert client.get("/offline/manifest.webmanifest").status_code == 200
    response = client.get("/offline/sync/")
    assert response.status_code == 200 and response.json()["csrf"]
    assert "no-store" in response["Cache-Control"]
