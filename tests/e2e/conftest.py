"""Real-browser journeys: Playwright (Python, sync API) driving Debian's chromium against live_server.

Never downloads a browser: /usr/bin/chromium comes from apt (`.ci/run` installs it). Without it,
or without the playwright package, every journey is skipped with the reason printed by `-ra`.
Screenshots of every step go to test-artifacts/e2e/<test>/ (git-ignored).

live_server implies transactional_db: each journey starts from an empty database and loads the
curriculum and the people it needs itself (see journeys.py).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("TELAR_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 640}


def _skip_reason() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (
            f"browser journeys skipped: Debian chromium not found at {CHROMIUM} "
            "(apt-get install -y chromium; .ci/run installs it)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser journeys skipped: the playwright package is not installed (pip install -r requirements.txt)"
    return None


SKIP_REASON = _skip_reason()


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            if SKIP_REASON:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


_running: dict = {}


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One chromium for the whole session, started after (and closed before) the test database.

    Other suites import this fixture into their conftest (tests/offline does), which makes pytest
    hold a second session-scoped instance; Playwright allows one sync driver per thread, so the
    second instance shares the first one's browser instead of starting another.

    Playwright's sync API keeps an asyncio loop in this thread; Django refuses ORM calls when it
    sees one unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The calls are synchronous all the same, so
    the flag is set for the browser's lifetime only.
    """
    if "browser" in _running:
        yield _running["browser"]
        return
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            # Playwright gives every launch a fresh temporary user-data-dir (it refuses --user-data-dir
            # in launch()), and each journey gets its own incognito-like context on top of it.
            _running["browser"] = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                yield _running["browser"]
            finally:
                _running.pop("browser").close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Journey:
    """One browser context (a phone, with or without JavaScript, maybe on 2G) and its screenshots."""

    page: object
    context: object
    base_url: str
    folder: Path
    steps: list[str] = field(default_factory=list)
    javascript: bool = True

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def shot(self, name: str) -> Path:
        """A full-page screenshot of this step: test-artifacts/e2e/<test>/<nn>-<name>.png."""
        path = self.folder / f"{len(self.steps) + 1:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.steps.append(name)
        return path


@pytest.fixture
def journey_factory(browser, live_server, request):
    contexts = []
    violations: list[str] = []  # Content-Security-Policy refusals the browser reported (lms/csp.py)
    requested: list[str] = []
    test_folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    shutil.rmtree(test_folder, ignore_errors=True)

    def make(name: str = "", *, javascript: bool = True, viewport: dict | None = None, network: dict | None = None):
        context = browser.new_context(
            viewport=viewport or PHONE,
            device_scale_factor=2 if (viewport or PHONE)["width"] < 500 else 1,
            is_mobile=(viewport or PHONE)["width"] < 500,
            has_touch=(viewport or PHONE)["width"] < 500,
            java_script_enabled=javascript,
            locale="es-MX",
            accept_downloads=True,
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        # Every request the browser makes, service worker included: none may go to another host (issue 19).
        context.on("request", lambda request: requested.append(request.url))
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
            ),
        )
        if network:
            session = context.new_cdp_session(page)
            session.send("Network.enable")
            session.send("Network.emulateNetworkConditions", {"offline": False, **network})
        folder = test_folder / name if name else test_folder
        folder.mkdir(parents=True, exist_ok=True)
        return Journey(page=page, context=context, base_url=live_server.url, folder=folder, javascript=javascript)

    yield make
    for context in contexts:
        context.close()
    assert not violations, "the page broke its Content-Security-Policy:\n" + "\n".join(violations)
    site = urlsplit(live_server.url).netloc
    elsewhere = [url for url in requested if urlsplit(url).scheme in ("http", "https", "ws", "wss")]
    elsewhere = [url for url in elsewhere if urlsplit(url).netloc != site]
    assert not elsewhere, "the browser asked another host:\n" + "\n".join(elsewhere)
