"""The text policy for notes already stored: NFC, no control characters but newline and tab.

A NUL stored in a note made every attendance XLSX of its cohort fail; this repairs such rows.
"""

from django.db import migrations

from core.text import clean_text


def repair(apps, schema_editor):
    record_model = apps.get_model("attendance", "AttendanceRecord")
    for record in record_model.objects.exclude(note="").only("pk", "note").iterator():
        clean = clean_text(record.note, multiline=True)
        if clean != record.note:
            record_model.objects.filter(pk=record.pk).update(note=clean)


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
