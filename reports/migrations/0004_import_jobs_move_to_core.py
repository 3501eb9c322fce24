"""The roster's import jobs move to core.ImportJob (kind "roster"), where every spreadsheet import now lives.

Each row is copied with its id (job pages and bookmarks keep working), its status, preview, result and
task; then reports.ImportJob is dropped. Backwards, the roster jobs move back
(the attendance and quiz jobs have nowhere to go: they are dropped with core's table if core goes back too).
"""

from django.db import migrations

FIELDS = (
    "id",
    "owner_id",
    "upload_id",
    "filename",
    "language",
    "status",
    "preview",
    "result",
    "task_id",
    "created_at",
    "updated_at",
    "confirmed_at",
)


def forwards(apps, schema_editor):
    source = apps.get_model("reports", "ImportJob")
    target = apps.get_model("core", "ImportJob")
    rows = [
        target(**{name: getattr(job, name) for name in FIELDS}, kind="roster", params={})
        for job in source.objects.iterator()
    ]
    target.objects.bulk_create(rows, batch_size=500)
    for job in source.objects.only("id", "updated_at").iterator():  # bulk_create stamped "now" (auto_now)
        target.objects.filter(pk=job.pk).update(updated_at=job.updated_at)


def backwards(apps, schema_editor):
    source = apps.get_model("core", "ImportJob")
    target = apps.get_model("reports", "ImportJob")
    jobs = source.objects.filter(kind="roster")
    target.objects.bulk_create([target(**{name: getattr(job, name) for name in FIELDS}) for job in jobs])
    for job in jobs.only("id", "updated_at").iterator():
        target.objects.filter(pk=job.pk).update(updated_at=job.updated_at)
    jobs.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_import_job"),
        ("reports", "0003_import_jobs"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="ImportJob"),
    ]
