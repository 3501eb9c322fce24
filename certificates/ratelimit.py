"""A per-client counter for public code lookups, kept in the cache.

Here the client's IP address is the right key (unlike the PIN lockout, which
is per account because thirty women share one centre's address): the limit
stops someone from trying codes in bulk, and a person checking a handful of
certificates never meets it. Behind a reverse proxy, set
CERTIFICATES_TRUSTED_PROXIES to the number of proxies that append to
X-Forwarded-For, so the address the last trusted proxy saw is used.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = 30  # lookups
DEFAULT_WINDOW = 10 * 60  # seconds


def limits() -> tuple[int, int]:
    return (
        int(getattr(settings, "CERTIFICATES_VERIFY_LIMIT", DEFAULT_LIMIT)),
        int(getattr(settings, "CERTIFICATES_VERIFY_WINDOW", DEFAULT_WINDOW)),
    )


def client_ip(request) -> str:
    proxies = int(getattr(settings, "CERTIFICATES_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(request, window: int) -> str:
    digest = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    return f"certificates:verify:{digest}:{int(time.time() // window)}"


def allow(request) -> bool:
    """Count one lookup for this client; False once it is over the limit for the current window."""
    limit, window = limits()
    key = _key(request, window)
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def retry_after() -> int:
    _limit, window = limits()
    return max(1, int(window - time.time() % window))
