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

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
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

    # The site's header, built once per worker for its policy: every learner page sends the same one (django-csp
    # builds it, copying the whole policy to do so, on every response: 0.05 ms of each page, issue 17).
    _site: tuple[object, str] | None = None

    def process_response(self, request, response):
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        plain = (
            not settings.DEBUG
            and policy
            and not policy.get("EXCLUDE_URL_PREFIXES")
            and getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) is None
            and not request.path_info.startswith(ADMIN_PREFIX)
            and getattr(request, "_csp_nonce", None) is None
            and all(getattr(response, name, None) is None for name in _CUSTOMISED)
        )
        if not plain:
            return super().process_response(request, response)
        kept = TelarCSPMiddleware._site
        if kept is None or kept[0] is not policy:  # built again for another policy (a test's settings)
            kept = TelarCSPMiddleware._site = (policy, build_policy())
        if HEADER not in response and getattr(response, "_csp_exempt", False) is False:
            response[HEADER] = kept[1]
        # As django-csp does: a nonce asked for after the header was written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = default_config(settings.TELAR_ADMIN_CSP["DIRECTIVES"])
        return parts


# What a view may set on its response to change the policy (django-csp's decorators, lms.views): such a
# response has its header built for it.
_CUSTOMISED = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
