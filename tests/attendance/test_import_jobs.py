"""The attendance import as a background job: upload → preview task → her job's page → confirm task.

With the immediate backend each task runs inside the request that queues it (tests/attendance/
test_spreadsheets.py); here the production path too: tasks wait in django_tasks_db's table until the
worker takes them, and the page refreshes itself meanwhile.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from attendance.models import AttendanceRecord
from core import imports
from core.models import ImportJob
from tests.worker import run_queued_tasks

from .conftest import login
from .factories import SessionFactory, artisans

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def sheet(sessions, people, status="presente") -> bytes:
    """A Spanish Excel's CSV: Windows-1252, semicolons, Spanish headers, one row per session and artisan."""
    lines = ["sesión;artesana;estado;nota"]
    lines += [f"{session.pk};{person.user_id};{status};Llegó" for session in sessions for person in people]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def start(client, cohort, content, name="asistencia.csv"):
    response = client.post(
        reverse("attendance:cohort_import", args=[cohort.pk]), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302
    return response["Location"]


@pytest.fixture
def forty(cohort, session, facilitator):
    """40 rows: 4 sessions × 10 artisans."""
    people = artisans(cohort, 10)
    sessions = [session, *(SessionFactory(cohort=cohort, date=f"2026-04-0{day}") for day in (1, 2, 3))]
    return sessions, people


def test_the_database_worker_previews_and_confirms_once(client, facilitator, cohort, forty):
    sessions, people = forty
    login(client, facilitator)
    with override_settings(TASKS=DATABASE_TASKS):
        location = start(client, cohort, sheet(sessions, people))
        job = ImportJob.objects.get(owner=facilitator, kind="attendance")
        assert job.status == ImportJob.Status.PREVIEWING  # queued, not run
        html = client.get(location).content.decode()
        assert re.search(r'<meta http-equiv="refresh" content="\d+">', html)
        assert "Revisando cada fila de la hoja." in html and "/confirm/" not in html
        # While it previews, "Confirm" cannot jump the queue.
        client.post(reverse("attendance:import_confirm", args=[cohort.pk, job.pk]))
        job.refresh_from_db()
        assert job.status == ImportJob.Status.PREVIEWING

        assert run_queued_tasks() == 1
        html = client.get(location).content.decode()
        assert 'http-equiv="refresh"' not in html and "40 registros nuevos" in html
        assert not AttendanceRecord.objects.exists()

        confirm = reverse("attendance:import_confirm", args=[cohort.pk, job.pk])
        client.post(confirm)
        client.post(confirm)  # a double tap
        from django_tasks_db.models import DBTaskResult

        assert DBTaskResult.objects.filter(task_path="core.tasks.confirm_import").count() == 1
        assert "Guardando la asistencia." in client.get(location).content.decode()
        assert run_queued_tasks() == 1
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE and AttendanceRecord.objects.count() == 40
        assert run_queued_tasks() == 0
        # The task itself, run again (a worker retrying), does nothing either.
        AttendanceRecord.objects.all().delete()
        assert imports.import_job_confirm(job_id=str(job.pk)).status == ImportJob.Status.DONE
        assert not AttendanceRecord.objects.exists()


def test_the_confirmation_is_all_or_nothing(client, facilitator, cohort, forty):
    """A session deleted between preview and confirm: its rows are now wrong, and none of the sheet's rows is
    saved, not even the valid ones; the page says which rows and columns."""
    sessions, people = forty
    login(client, facilitator)
    location = start(client, cohort, sheet(sessions, people))
    job = ImportJob.objects.get(owner=facilitator)
    assert job.status == ImportJob.Status.PREVIEWED, job.preview
    sessions[-1].delete()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("attendance:import_confirm", args=[cohort.pk, job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not AttendanceRecord.objects.exists()
    html = client.get(location).content.decode()
    assert "No se guardó nada." in html and "Fila 32, columna A:" in html
    assert job.upload is not None  # not imported: the file stays (until it expires) with its job


def test_a_facilitator_who_lost_the_cohort_imports_nothing(client, facilitator, cohort, forty):
    """The cohort is taken from her between preview and confirm: the confirmation refuses, saves nothing."""
    sessions, people = forty
    login(client, facilitator)
    start(client, cohort, sheet(sessions, people))
    job = ImportJob.objects.get(owner=facilitator)
    assert job.status == ImportJob.Status.PREVIEWED
    cohort.facilitators.remove(facilitator)
    for session in sessions:
        session.facilitators.remove(facilitator)
    assert imports.import_job_confirm_request(job=job, user=facilitator)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not AttendanceRecord.objects.exists()
    assert "no facilitas" in job.result["file_error"]
    assert client.get(reverse("attendance:import_job", args=[cohort.pk, job.pk])).status_code == 403


def test_the_job_page_shows_problems_by_row_and_column_and_lists_recent_imports(client, facilitator, cohort, session):
    people = artisans(cohort, 2)
    login(client, facilitator)
    content = (
        f"sesión;artesana;estado\r\n{session.pk};{people[0].user_id};dormida\r\n9999;{people[1].user_id};presente\r\n"
    )
    html = client.get(start(client, cohort, content.encode("cp1252"), name="mala.csv")).content.decode()
    assert "Fila 2, columna C:" in html and "Fila 3, columna A:" in html and "/confirm/" not in html
    assert ImportJob.objects.get().status == ImportJob.Status.REFUSED
    listing = client.get(reverse("attendance:cohort_import", args=[cohort.pk])).content.decode()
    assert "Tus importaciones recientes" in listing and "mala.csv" in listing
    assert "Tiene problemas que corregir" in listing


def test_queries_grow_with_the_rows_only(facilitator, cohort, forty, django_assert_max_num_queries):
    """Measured: 40 rows preview in 595 queries and confirm in 588 (about 14 a row: import-export's lookups,
    checks and savepoints; the job itself a fixed few). Pinned so a change that adds queries per row shows."""
    sessions, people = forty
    content = sheet(sessions, people)
    with django_assert_max_num_queries(40 + 15 * 40):
        job = imports.import_job_start(
            owner=facilitator, kind="attendance", files={"file": ("a.csv", content)}, params={"cohort": cohort.pk}
        )
    assert job.status == ImportJob.Status.PREVIEWED
    with django_assert_max_num_queries(40 + 15 * 40):
        imports.import_job_confirm_request(job=job, user=facilitator)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and AttendanceRecord.objects.count() == 40
