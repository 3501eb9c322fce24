"""Certificate PDFs and ceremony bundles carry names: they move from the served media to the private storage.

Existing files are moved (copied into the ``"private"`` storage alias, then deleted from MEDIA_ROOT),
keeping their names, so every row still points at its file. Idempotent: a file already moved, or
missing from both places, is left as it is (a missing PDF is rendered again on its next download).
"""

from django.core.files.storage import default_storage, storages
from django.db import migrations, models

import certificates.models
import core.storage


def _move(model, source, target):
    for name in model.objects.exclude(pdf="").values_list("pdf", flat=True):
        if target.exists(name) or not source.exists(name):
            continue
        with source.open(name, "rb") as handle:
            target.save(name, handle)
        source.delete(name)


def forwards(apps, schema_editor):
    private = storages["private"]
    for model_name in ("Certificate", "CohortBundle"):
        _move(apps.get_model("certificates", model_name), default_storage, private)


def backwards(apps, schema_editor):
    private = storages["private"]
    for model_name in ("Certificate", "CohortBundle"):
        _move(apps.get_model("certificates", model_name), private, default_storage)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0004_settings_without_threshold"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="pdf",
            field=models.FileField(
                blank=True,
                editable=False,
                storage=core.storage.private_storage,
                upload_to=certificates.models.certificate_pdf_path,
                verbose_name="PDF",
            ),
        ),
        migrations.AlterField(
            model_name="cohortbundle",
            name="pdf",
            field=models.FileField(
                blank=True,
                editable=False,
                storage=core.storage.private_storage,
                upload_to=certificates.models.bundle_pdf_path,
                verbose_name="PDF",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
