"""The reports screens in the Wagtail admin: the import flow, exports and the permission matrix."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.reports.sheets import SPANISH_HEADER, csv_bytes

pytestmark = pytest.mark.django_db

SHEET = csv_bytes(
    [
        SPANISH_HEADER,
        ["HX-001", "María Pérez Gómez", "Mari", "Huixtán", "Huixtán", "Grupo Bordadoras", "sí", "15/03/2026", "v1"],
        ["HX-002", "Juana Díaz López", "", "Huixtán", "Huixtán", "Grupo Bordadoras", "no", "", ""],
    ],
    encoding="cp1252",
    delimiter=";",
)


def upload(client, content=SHEET, name="padrón.csv"):
    return client.post(reverse("telar_reports:roster_import"), {"file": SimpleUploadedFile(name, content)})


# The upload → preview → confirm flow (tasks, the job's page): tests/reports/test_roster_import_jobs.py


def test_the_template_has_the_headers_in_the_admins_language(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("telar_reports:roster_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in next(sheet.iter_rows())]
    assert headers[:3] == ["Identificador externo", "Nombre completo", "Nombre preferido"]


def test_an_oversized_upload_is_refused_with_a_message(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, b"a" * 4_000_001)
    assert "pesa más de 4000 KB" in response.content.decode()


# --- The permission matrix ---------------------------------------------------------------------

PERSONAL_DATA_GETS = ["roster_import", "roster_template", "export", "personal_data"]


def urls_for(artisan_profile):
    return {
        "dashboard": ("get", reverse("telar_reports:dashboard")),
        **{name: ("get", reverse(f"telar_reports:{name}")) for name in PERSONAL_DATA_GETS},
        "artisan_privacy": ("get", reverse("telar_reports:artisan_privacy", args=[artisan_profile.pk])),
        "download": ("post", reverse("telar_reports:artisan_data_download", args=[artisan_profile.pk])),
        "anonymise": ("post", reverse("telar_reports:artisan_privacy", args=[artisan_profile.pk])),
        "export_post": ("post", reverse("telar_reports:export")),
    }


ALLOWED = {
    "guest": set(),
    "artisan": set(),
    "facilitator": set(),
    "editor": {"dashboard"},
    "admin": {"dashboard", *PERSONAL_DATA_GETS, "artisan_privacy", "download", "anonymise", "export_post"},
}


def test_permission_matrix(role_client, artisan):
    role, client, _user = role_client
    for name, (method, url) in urls_for(artisan).items():
        data = {"confirm": artisan.full_name, "upload": "x", "kind": "artisans", "file_format": "csv"}
        response = getattr(client, method)(url, data if method == "post" else None)
        if name in ALLOWED[role]:
            assert response.status_code in (200, 302), (role, name, response.status_code)
            if response.status_code == 302:
                assert "login" not in response["Location"] and response["Location"] != "/admin/", (role, name)
        else:
            assert response.status_code == 302, (role, name, response.status_code)
            assert response["Location"].startswith(("/staff/sign-in/", "/admin/")), (role, name)
            assert "programme" not in response["Location"].split("?")[0], (role, name)
    artisan.refresh_from_db()
    if role != "admin":
        assert artisan.full_name == "María Pérez Gómez"  # nobody else could anonymise her


def test_a_group_granted_manage_personal_data_may_import(client):
    group = Group.objects.create(name="Coordinación")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="reports", codename="manage_personal_data"),
    )
    user = factories.StaffUserFactory(username="coordinadora")
    user.groups.add(group)
    client.force_login(user)
    assert client.get(reverse("telar_reports:roster_import")).status_code == 200
    assert client.get(reverse("telar_reports:dashboard")).status_code == 200


def test_menu_items_follow_the_permissions(client, editor, admin_user):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("telar_reports:dashboard") in html
    assert reverse("telar_reports:roster_import") not in html
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    for name in ("dashboard", "roster_import", "export", "personal_data"):
        assert reverse(f"telar_reports:{name}") in html
