"""Editors (programme staff) see the dashboard; only admins handle personal data.

The permissions are created here rather than left to post_migrate, so that the
grant works in the same ``migrate`` run that creates them.
"""

from django.db import migrations

PERMISSIONS = {
    "view_dashboard": "Can see the programme dashboard",
    "manage_personal_data": "Can import, export, download and anonymise artisans' personal data",
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="reports", model="programmedata")
    created = {
        codename: Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS.items()
    }
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(created["view_dashboard"])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="reports", codename__in=PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("courses", "0002_editor_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
