"""The database cache's table (settings.CACHES without REDIS_URL): rate limits and lockouts are shared by
every worker through it. ``createcachetable`` makes the table of every database cache configured, and
nothing when the cache is elsewhere (Redis, tests' local memory); it is idempotent."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_pending_upload")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
