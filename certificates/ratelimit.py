"""A per-client counter for public code lookups, kept in the cache.

Here the client's IP address is the right key (unlike the PIN lockout, which
is per account because thirty women share one centre's address): the limit
stops someone from trying codes in bulk, and a person checking a handful of
certificates never meets it. Behind a reverse proxy, set
CERTIFICATES_TRUSTED_PROXIES to the number of proxies that append to
X-Forwarded-For, so the address the last trusted proxy saw is used.
"""

from __future__ import annotations

from django.conf import settings

from core import ratelimit

DEFAULT_LIMIT = 30  # lookups
DEFAULT_WINDOW = 10 * 60  # seconds


def limits() -> tuple[int, int]:
    return (
        int(getattr(settings, "CERTIFICATES_VERIFY_LIMIT", DEFAULT_LIMIT)),
        int(getattr(settings, "CERTIFICATES_VERIFY_WINDOW", DEFAULT_WINDOW)),
    )


def _key(request, window: int) -> str:
    return f"certificates:verify:{ratelimit.digest(ratelimit.client_ip(request))}"


def allow(request) -> bool:
    """Count one lookup for this client; False once it is over the limit for the current window."""
    limit, window = limits()
    return ratelimit.hit(_key(request, window), window=window) <= limit


client_ip = ratelimit.client_ip


def retry_after() -> int:
    _limit, window = limits()
    return ratelimit.retry_after(window)
