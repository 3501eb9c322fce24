"""The text policy for names already stored: NFC, no control characters, no reordering marks."""

from django.db import migrations

from core.text import BIDI_CONTROLS, clean_text

_NO_BIDI = str.maketrans(dict.fromkeys(BIDI_CONTROLS))

FIELDS = {
    "ArtisanProfile": ("full_name", "preferred_name"),
    "CommunityCentre": ("name", "municipality"),
    "Cohort": ("name",),
}


def repair(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("people", model_name)
        for row in model.objects.only("pk", *fields).iterator():
            changed = {}
            for name in fields:
                value = getattr(row, name)
                clean = clean_text(value.translate(_NO_BIDI)) if value else value
                if clean != value:
                    changed[name] = clean
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("people", "0006_text_policy")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
