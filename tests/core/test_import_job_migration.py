"""reports 0004 moves the roster's import jobs into core.ImportJob: every row survives, with its id and state."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests import factories

BEFORE = [("core", "0003_import_job"), ("reports", "0003_import_jobs")]
AFTER = [("core", "0003_import_job"), ("reports", "0004_import_jobs_move_to_core")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_roster_jobs_survive_the_move_to_core_and_back():
    admin = factories.AdminFactory(username="admin-migration")
    try:
        old = migrate(BEFORE).get_model("reports", "ImportJob")
        updated = timezone.now() - datetime.timedelta(days=3)
        job = old.objects.create(
            owner_id=admin.pk,
            filename="padrón.csv",
            language="es",
            status="done",
            preview={"ok": True, "totals": {"new": 2}},
            result={"ok": True, "rows": [{"row": 2, "full_name": "María"}]},
            task_id="abc",
            confirmed_at=updated,
        )
        old.objects.filter(pk=job.pk).update(updated_at=updated)

        new = migrate(AFTER).get_model("core", "ImportJob")
        moved = new.objects.get(pk=job.pk)
        assert (moved.kind, moved.owner_id, moved.filename, moved.status, moved.task_id) == (
            "roster",
            admin.pk,
            "padrón.csv",
            "done",
            "abc",
        )
        assert moved.preview == {"ok": True, "totals": {"new": 2}} and moved.result["rows"][0]["full_name"] == "María"
        assert moved.updated_at == updated and moved.confirmed_at == updated
        assert "reports_importjob" not in connection.introspection.table_names()

        back = migrate(BEFORE).get_model("reports", "ImportJob")
        assert back.objects.get(pk=job.pk).result == moved.result
    finally:
        migrate(AFTER)  # back where the other tests expect the schema
