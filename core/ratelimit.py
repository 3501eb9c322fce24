"""Counters for rate limits and lockouts, in the cache every worker shares.

In production the cache is Redis (``REDIS_URL``) or, without it, the database cache
(``lms.settings.base``): never a worker's own memory, so three workers count one limit
once (``tests/core/test_ratelimit.py`` counts from two processes). Used by the certificate
verification limit, the PIN sign-in's per-client slowdown and the staff sign-in's
per-username lock.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address; behind ``CERTIFICATES_TRUSTED_PROXIES`` proxies, the one the last trusted proxy saw."""
    proxies = int(getattr(settings, "CERTIFICATES_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def digest(value: str) -> str:
    """Keys never carry an address or a username as such."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _window_key(name: str, window: int) -> str:
    return f"{name}:{int(time.time() // window)}"


def hit(name: str, *, window: int) -> int:
    """Count one event under ``name`` for the current window of ``window`` seconds; the count so far."""
    key = _window_key(name, window)
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def count(name: str, *, window: int) -> int:
    return int(cache.get(_window_key(name, window), 0))


def clear(name: str, *, window: int) -> None:
    cache.delete(_window_key(name, window))


def retry_after(window: int) -> int:
    return max(1, int(window - time.time() % window))
