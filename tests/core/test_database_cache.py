"""The embedded default's shared cache (the database) as configured: a hundred women signed in at once do not
fill it, and when it is full the tree version survives the cull (every worker would draw every page again)."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from courses import cache as tree_cache
from lms.settings import base

pytestmark = pytest.mark.django_db

CONFIGURED = {"default": {**base.CACHES["default"], "LOCATION": "telar_cache_full_test"}}


def test_the_tree_version_outlives_a_full_database_cache():
    with override_settings(CACHES=CONFIGURED):
        call_command("createcachetable", verbosity=0)
        cache = caches["default"]
        cache.clear()
        version = tree_cache.tree_version()
        limit = CONFIGURED["default"]["OPTIONS"]["MAX_ENTRIES"]
        # Three entries a woman (her account, her programmes, her certificates): a hundred and more fit.
        assert limit >= 3 * 300
        cache.set("people:artisan-user:0", 0, 900)
        with connection.cursor() as cursor:  # filled to the bound as sets would fill it, in one statement
            cursor.execute(
                "SELECT value, expires FROM telar_cache_full_test WHERE cache_key = %s",
                [cache.make_key("people:artisan-user:0")],
            )
            value, expires = cursor.fetchone()
            cursor.executemany(
                "INSERT INTO telar_cache_full_test (cache_key, value, expires) VALUES (%s, %s, %s)",
                [(cache.make_key(f"people:artisan-user:{index}"), value, expires) for index in range(1, limit)],
            )
        cache.set("people:artisan-user:last", "last", 900)  # past the bound: a cull
        assert cache.get("people:artisan-user:1") is None  # a quarter went, the keys that sort first
        assert cache.get("people:artisan-user:last") == "last"
        assert cache.get(tree_cache.KEY) == version
        cache.clear()
