"""Sign-in limits per client and per staff username, counted in the shared cache (core.ratelimit).

- **PINs, per client**: a room of thirty shares one phone and one address, so a client is never
  locked out; but once it has typed ``CLIENT_FREE_WRONG_PINS`` wrong PINs (across any accounts)
  within ``CLIENT_WINDOW``, every further wrong PIN makes it wait ``CLIENT_WAIT`` seconds before
  the next PIN is even checked. Thirty women with two typos each are 60: they never notice.
- **Staff passwords, per username** (not per address alone): ``STAFF_MAX_FAILURES`` wrong
  passwords for one username within ``STAFF_WINDOW`` and that username is refused, without
  checking the password, until the window ends (people.backends.StaffBackend).
"""

from __future__ import annotations

from django.core.cache import cache

from core import ratelimit

CLIENT_FREE_WRONG_PINS = 100
CLIENT_WINDOW = 15 * 60  # seconds
CLIENT_WAIT = 10  # seconds between wrong PINs, beyond the free ones

STAFF_MAX_FAILURES = 5
STAFF_WINDOW = 15 * 60


def _client(request) -> str:
    return ratelimit.digest(ratelimit.client_ip(request))


def client_must_wait(request) -> bool:
    return cache.get(f"pin:client-wait:{_client(request)}") is not None


def wrong_pin_from(request) -> None:
    client = _client(request)
    if ratelimit.hit(f"pin:client:{client}", window=CLIENT_WINDOW) > CLIENT_FREE_WRONG_PINS:
        cache.set(f"pin:client-wait:{client}", 1, timeout=CLIENT_WAIT)


def _staff(username: str) -> str:
    return f"staff:failures:{ratelimit.digest(username.strip().casefold())}"


def staff_locked(username: str) -> bool:
    return ratelimit.count(_staff(username), window=STAFF_WINDOW) >= STAFF_MAX_FAILURES


def staff_failed(username: str) -> None:
    ratelimit.hit(_staff(username), window=STAFF_WINDOW)


def staff_succeeded(username: str) -> None:
    ratelimit.clear(_staff(username), window=STAFF_WINDOW)
