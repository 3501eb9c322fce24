"""The limits hold across workers: counted in the shared database cache from two processes (issue 14).

The second worker is forked *before* the first one counts anything, so it shares nothing with it
but the database: with a per-process cache (local memory) it would be allowed 20 lookups of its own.
"""

import os
import traceback

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections
from django.test import RequestFactory, override_settings

from certificates import ratelimit as verification

DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "telar_cache_test"}}
CLIENT = "198.51.100.20"


def _lookups(n: int) -> int:
    request = RequestFactory().get("/certificates/verify/X/", REMOTE_ADDR=CLIENT)
    return sum(verification.allow(request) for _ in range(n))


class OtherWorker:
    """A forked process that waits for "go", makes `n` lookups and reports how many were allowed."""

    def __init__(self, n: int):
        self.go_read, self.go_write = os.pipe()
        self.result_read, self.result_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            self._run(n)

    def _run(self, n: int) -> None:
        outcome = "-1"
        try:
            for alias in connections:
                connections[alias].connection = None  # never close the parent's connection: open our own
            os.read(self.go_read, 1)
            outcome = str(_lookups(n))
        except Exception:  # noqa: BLE001 - reported to the parent, which fails the test with it
            outcome = traceback.format_exc()
        finally:
            os.write(self.result_write, outcome.encode())
            os._exit(0)

    def go(self) -> int:
        os.write(self.go_write, b"g")
        os.close(self.result_write)
        with os.fdopen(self.result_read) as result:
            outcome = result.read()
        os.waitpid(self.pid, 0)
        assert outcome.lstrip("-").isdigit(), outcome
        return int(outcome)


@pytest.mark.django_db(transaction=True)
def test_thirty_lookups_per_ten_minutes_hold_across_two_workers():
    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)
        caches["default"].clear()
        other = OtherWorker(20)  # started before anything is counted: it shares only the database
        here = _lookups(20)
        there = other.go()
        assert (here, there) == (20, 10)  # 30 lookups in all, not 30 each
        assert _lookups(1) == 0
        caches["default"].clear()
