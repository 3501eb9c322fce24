"""Budget helpers for the whole suite: bytes as sent (gzip), subresources, query counts.

Budgets are pinned where they are deterministic (bytes, queries); time is measured by
`make bench`, never asserted here.
"""

import gzip
import re
from collections.abc import Callable
from typing import Any

from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

# A first visit: HTML + CSS (+ the script where a page loads it), compressed, fits in the first
# ten TCP segments of a slow connection's first round trips.
PAGE_BUDGET = 14_336
# The page script and the service worker together, compressed as sent.
SCRIPT_BUDGET = 15 * 1024


def gzipped(data: bytes) -> int:
    """Bytes on the wire for `data` as the server compresses it."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def static_bytes(name: str) -> bytes:
    with open(finders.find(name), "rb") as handle:
        return handle.read()


def css_bytes() -> int:
    """The one stylesheet, compressed."""
    return gzipped(static_bytes("css/telar.css"))


def subresources(html: str) -> list[str]:
    """Everything the browser fetches besides the page itself, lesson media aside."""
    found = re.findall(r'<link[^>]+rel="(?:stylesheet|icon|preload|manifest)"[^>]*href="([^"]+)"', html)
    found += re.findall(r'<script[^>]+src="([^"]+)"', html)
    return [url for url in found if not url.startswith("data:")]


def main_of(html: str) -> str:
    """The page's own content (the site-wide header and footer aside)."""
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def query_count(function: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
    """How many queries one call of `function` makes in a worker that has kept nothing yet (courses.cache:
    the programme structures, quiz rules, attendance rule, titles are read, not taken from the last call)."""
    from tests.fixtures import forget_kept

    forget_kept()
    with CaptureQueriesContext(connection) as context:
        function(*args, **kwargs)
    return len(context.captured_queries)


def page_query_count(client, url: str) -> int:
    """Queries for a warm GET of `url` (the first GET warms per-process caches and renditions)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)
