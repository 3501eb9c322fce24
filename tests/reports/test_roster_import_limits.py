"""The bombs of issue 13 through the roster import and its job: refused with a sentence, nothing kept, no 500.

The bombs are bench.imports' (one way to make them; the bench times them, these tests do not).
tests/core/test_spreadsheet_limits.py pins the reader's limits themselves.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from bench.imports import long_cell_csv, shared_string_bomb, wide_row_bomb
from core.models import ImportJob, PendingUpload
from people.models import ArtisanProfile
from reports.roster import roster_import
from tests import factories
from tests.reports.sheets import xlsx_bytes
from tests.reports.test_roster_import import MESSY_HEADER, MESSY_ROWS

pytestmark = pytest.mark.django_db

BOMBS = {
    # Past the 40 MB the reader allows for a whole workbook (the bench makes the 400 MB one of the issue).
    "shared-string": lambda: shared_string_bomb(expanded=60_000_000),
    "two-million-cells": wide_row_bomb,
    "long-csv-cell": long_cell_csv,
}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_a_bomb_is_refused_by_the_import_with_a_sentence(kind):
    content, filename = BOMBS[kind](), "x.csv" if "csv" in kind else "x.xlsx"
    with translation.override("es"):
        outcome = roster_import(content=content, filename=filename, user=None, dry_run=True)
    assert not outcome.ok and outcome.file_error
    assert outcome.rows == [] and outcome.totals == {}
    assert ("CSV UTF-8" in outcome.file_error) if kind != "long-csv-cell" else ("caracteres" in outcome.file_error)


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_a_bomb_uploaded_ends_as_a_refused_job_and_keeps_no_copy(client, admin_user, kind):
    client.force_login(admin_user)
    name = "padrón.csv" if "csv" in kind else "padrón.xlsx"
    response = client.post(reverse("telar_reports:roster_import"), {"file": SimpleUploadedFile(name, BOMBS[kind]())})
    assert response.status_code == 303
    page = client.get(response["Location"])
    assert page.status_code == 200
    job = ImportJob.objects.get(owner=admin_user)
    assert job.status == ImportJob.Status.REFUSED and job.preview["file_error"]
    assert job.preview["file_error"] in page.content.decode()
    assert not PendingUpload.objects.filter(owner=admin_user).exists()


def test_a_staff_workbook_through_the_jobs_imports_then_changes_nothing(client, admin_user):
    """The workbook as staff keep it (Comunidad, split surnames, Tsotsil, sí/SI/x, a date cell, blank rows,
    a row typed twice) through upload, preview task, confirm task; uploaded again, everything is unchanged."""
    factories.CohortFactory(centre__name="Huixtán", name="Grupo Bordadoras")
    rows = [row[:] for row in MESSY_ROWS]
    rows[2][10] = datetime.date(2026, 2, 3)
    content = xlsx_bytes([MESSY_HEADER, *rows])
    client.force_login(admin_user)

    def through_the_job():
        location = client.post(
            reverse("telar_reports:roster_import"), {"file": SimpleUploadedFile("padrón.xlsx", content)}
        )["Location"]
        job = ImportJob.objects.filter(owner=admin_user).latest("created_at")
        assert job.status == ImportJob.Status.PREVIEWED, job.preview
        client.post(reverse("telar_reports:roster_confirm", args=[job.pk]))
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE, job.result
        assert client.get(location).status_code == 200
        return job

    first = through_the_job()
    assert first.result["totals"]["new"] == 4 and first.result["merged"] == 1
    names = set(ArtisanProfile.objects.filter(external_id__in=["1", "2", "3", "4"]).values_list("full_name", flat=True))
    assert names == {"María Guadalupe Pérez Gómez", "Loxaʼ Hernández Santiz", "Xunkaʼ López", "Petrona Ñuñez Díaz"}
    stored = list(ArtisanProfile.objects.order_by("pk").values())
    again = through_the_job()
    assert again.preview["totals"] == {"new": 0, "update": 0, "skip": 4, "invalid": 0}
    assert list(ArtisanProfile.objects.order_by("pk").values()) == stored
