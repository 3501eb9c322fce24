"""Exports: every kind, filtered by centre or cohort, CSV and XLSX, and the roster round trip."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from people.models import ArtisanProfile
from reports import exports
from reports.services import roster_import
from tests import factories
from tests.reports.bulk import build_programme, cohorts_of

pytestmark = pytest.mark.django_db


def xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def download(client, kind, file_format="xlsx", **filters):
    data = {"kind": kind, "file_format": file_format, **{key: value.pk for key, value in filters.items()}}
    return client.post(reverse("telar_reports:export"), data)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_roster_round_trip_changes_nothing(admin_user, modules, file_format):
    profiles = build_programme(9, tag="rt")
    ArtisanProfile.objects.filter(pk=profiles[0].pk).update(external_id="=HYPERLINK(1)", privacy_notice_version="v2")
    cohort = cohorts_of(profiles)[0]
    with translation.override("es"):
        content = exports.render(exports.export_artisans(cohort=cohort), file_format)
        outcome = roster_import(content=content, filename=f"export.{file_format}", user=admin_user, dry_run=False)
    assert outcome.ok, outcome.errors
    assert outcome.totals == {"new": 0, "update": 0, "skip": 3, "invalid": 0}
    assert ArtisanProfile.objects.get(pk=profiles[0].pk).external_id == "=HYPERLINK(1)"


def test_csv_is_utf8_with_a_bom_and_formulae_are_neutralised(client, admin_user, cohort):
    factories.ArtisanProfileFactory(cohort=cohort, full_name="=cmd|' /C calc'!A0", external_id="@SUM(1)")
    factories.ArtisanProfileFactory(cohort=cohort, full_name="Ñañá Gómez")
    client.force_login(admin_user)
    response = download(client, "artisans", "csv", cohort=cohort)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "Ñañá Gómez" in text
    assert "'=cmd" in text and "'@SUM(1)" in text
    assert text.splitlines()[0].startswith("Identificador externo,Nombre completo")


def test_each_export_in_xlsx_with_filters(client, admin_user, modules):
    profiles = build_programme(12, tag="x")
    cohorts = cohorts_of(profiles)
    client.force_login(admin_user)

    rows = xlsx_rows(download(client, "artisans", cohort=cohorts[0]).content)
    assert len(rows) == 1 + 4 and rows[0][1] == "Nombre completo"

    rows = xlsx_rows(download(client, "progress", cohort=cohorts[0]).content)  # a Programa column (issue 18)
    assert len(rows) == 1 + 4 * 6  # one row per artisan and module
    assert rows[0][4:] == [
        "Programa",
        "Módulo",
        "Título del módulo",
        "Lecciones terminadas",
        "Lecciones del módulo",
        "Evaluación aprobada",
        "Estado",
    ]
    first_artisan = [row for row in rows[1:] if row[1] == "Artesana x 0"]
    assert first_artisan[0][10] == "Terminado" and first_artisan[1][10] == "Sin empezar"

    rows = xlsx_rows(download(client, "quiz_attempts", centre=cohorts[0].centre).content)
    assert len(rows) == 1 + 4  # even artisans at centre 0 (cohorts 0 and 2): 0, 2(c2), 6, 8(c2)
    assert {row[9] for row in rows[1:]} == {90} and {row[10] for row in rows[1:]} == {"sí"}

    rows = xlsx_rows(download(client, "attendance", cohort=cohorts[1]).content)
    assert len(rows) == 1 + 4 * 2
    assert {row[8] for row in rows[1:]} == {"Presente", "Ausente"}

    rows = xlsx_rows(download(client, "certificates").content)
    mine = [row for row in rows[1:] if row[1] in {"Artesana x 0", "Artesana x 10"}]
    assert len(mine) == 2 and all(row[7] == "Válida" for row in mine)
    assert all(row[-1].startswith("http") and row[-1].endswith(f"{row[6]}/") for row in mine)  # the code's link


def test_exports_run_a_fixed_number_of_queries(modules, django_assert_max_num_queries):
    profiles = build_programme(30, tag="q")
    cohort = cohorts_of(profiles)[0]
    for kind in exports.EXPORTS.values():
        with django_assert_max_num_queries(6):
            kind.build(cohort=cohort)
    build_programme(300, tag="q2")
    for kind in exports.EXPORTS.values():
        with django_assert_max_num_queries(6):
            kind.build()


def test_every_export_is_logged_with_who_and_what(client, admin_user, cohort):
    client.force_login(admin_user)
    download(client, "attendance", "csv", cohort=cohort)
    entry = ModelLogEntry.objects.filter(action="reports.export").latest("timestamp")
    assert entry.user == admin_user
    assert entry.data["kind"] == "attendance" and entry.data["format"] == "csv"
    assert entry.data["filters"]["cohort"] == str(cohort)


def test_an_invalid_export_request_shows_the_form_again(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("telar_reports:export"), {"kind": "passwords", "file_format": "csv"})
    assert response.status_code == 200 and "telar-report" in response.content.decode()
