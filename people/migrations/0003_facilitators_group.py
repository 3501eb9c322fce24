"""The Facilitators group: may open the Wagtail admin, where they see only their own cohorts.

What a facilitator may do to artisans (set a PIN, unlock, correct a name) is decided per
cohort by people.roles and the admin permission policy, not by model permissions.
"""

from django.db import migrations


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    facilitators, _ = Group.objects.get_or_create(name="Facilitators")
    facilitators.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_pincredential"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
