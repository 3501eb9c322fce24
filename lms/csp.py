"""Content-Security-Policy: one strict policy for the site, a looser one for the Wagtail admin only.

The site (artisan, facilitator and public pages) runs no inline script and no ``eval``: its one
script is ``static/js/telar.js`` (its words come from data attributes) and the service worker.
Style attributes are allowed (``style-src-attr``): module colours and avatars come from the
content as ``style="--band:…"``; ``<style>`` elements are not, except the self-contained error
page, whose block is allowed by its hash (``inline_style_hash``).

Wagtail's admin still writes inline scripts (date pickers, inline panels), so under ``/admin/``
inline scripts and styles are allowed — and nothing else is loosened: no ``unsafe-eval``, no
other origin, no plugins, no framing by other sites.
"""

from __future__ import annotations

import base64
import hashlib
import re

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings

ADMIN_PREFIX = "/admin/"

_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def inline_style_hash(html: str) -> list[str]:
    """The CSP sources that allow the ``<style>`` blocks of this page, by their hash."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
        for block in _STYLE.findall(html)
    ]


class TelarCSPMiddleware(CSPMiddleware):
    """django-csp's middleware; under /admin/ the admin's policy (settings.TELAR_ADMIN_CSP) replaces the site's."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = default_config(settings.TELAR_ADMIN_CSP["DIRECTIVES"])
        return parts
