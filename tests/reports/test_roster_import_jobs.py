"""The roster import as a background job: upload → preview task → her job's page → confirm task.

With the immediate backend (tests, development) each task runs inside the request that queues
it; ``test_the_database_worker_runs_preview_and_confirm`` runs the production path: the tasks
wait in django_tasks_db's table until the worker (``db_worker``) takes them.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from core import imports
from core.models import ImportJob, PendingUpload
from people.models import ArtisanProfile, User
from reports import services
from tests import factories
from tests.reports.sheets import SPANISH_HEADER, csv_bytes
from tests.worker import run_queued_tasks

pytestmark = pytest.mark.django_db

ROWS = [
    ["HX-001", "María Pérez Gómez", "Mari", "Huixtán", "Huixtán", "Grupo Bordadoras", "sí", "15/03/2026", "v1"],
    ["HX-002", "Juana Díaz López", "", "Huixtán", "Huixtán", "Grupo Bordadoras", "no", "", ""],
    ["HX-002", "Juana Díaz López", "", "Huixtán", "Huixtán", "Grupo Bordadoras", "no", "", ""],
]
SHEET = csv_bytes([SPANISH_HEADER, *ROWS], encoding="cp1252", delimiter=";")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def upload(client, content=SHEET, name="padrón.csv"):
    return client.post(reverse("telar_reports:roster_import"), {"file": SimpleUploadedFile(name, content)})


def imported():
    return ArtisanProfile.objects.filter(external_id__in=["HX-001", "HX-002"]).count()


def test_upload_previews_in_a_task_then_confirm_imports_once(client, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    response = upload(client)
    assert response.status_code == 303
    job = ImportJob.objects.get(owner=admin_user)
    assert response["Location"] == reverse("telar_reports:roster_job", args=[job.pk])
    assert job.status == ImportJob.Status.PREVIEWED and job.task_id
    assert job.upload is not None and PendingUpload.objects.filter(pk=job.upload_id).exists()
    html = client.get(response["Location"]).content.decode()
    assert "Vista previa: todavía no se ha guardado nada" in html
    assert "María Pérez Gómez" in html and "Nueva" in html and "Confirmar e importar" in html
    assert 'http-equiv="refresh"' not in html  # done: nothing left to wait for
    assert "<strong>1</strong> combinadas" in html  # the row typed twice
    assert imported() == 0

    confirm = reverse("telar_reports:roster_confirm", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):  # the test's transaction never commits
        done = client.post(confirm)
    assert done.status_code == 303
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.confirmed_at is not None
    assert imported() == 2
    assert not PendingUpload.objects.filter(pk=job.upload_id or 0).exists() and job.upload_id is None
    html = client.get(done["Location"]).content.decode()
    assert "Padrón importado" in html and "<strong>2</strong> nuevas" in html

    # A double tap, a resent form, another tab: nothing more is imported, nothing is queued.
    task_id = job.task_id
    assert client.post(confirm).status_code == 303
    job.refresh_from_db()
    assert job.task_id == task_id and job.status == ImportJob.Status.DONE
    assert imported() == 2
    # The task itself, run again (a worker retrying), does nothing either.
    assert imports.import_job_confirm(job_id=str(job.pk)).status == ImportJob.Status.DONE
    assert imported() == 2


def test_her_recent_imports_are_listed_and_a_closed_page_is_found_again(client, admin_user):
    client.force_login(admin_user)
    upload(client)
    upload(client, name="segunda lista.csv")
    html = client.get(reverse("telar_reports:roster_import")).content.decode()
    assert "Tus importaciones recientes" in html
    assert html.index("segunda lista.csv") < html.index("padrón.csv")  # newest first
    for job in ImportJob.objects.filter(owner=admin_user):
        assert reverse("telar_reports:roster_job", args=[job.pk]) in html
    other = factories.AdminFactory(username="otra-admin")
    client.force_login(other)
    assert "padrón.csv" not in client.get(reverse("telar_reports:roster_import")).content.decode()


def test_a_job_in_progress_refreshes_itself_without_javascript(client, admin_user):
    client.force_login(admin_user)
    with override_settings(TASKS=DATABASE_TASKS):  # queued, not run: the page shows it working
        response = upload(client)
    html = client.get(response["Location"]).content.decode()
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', html)
    assert "Revisando cada fila del archivo" in html and "Puedes cerrarla y volver" in html
    assert "Confirmar e importar" not in html
    job = ImportJob.objects.get(owner=admin_user)
    # While it previews, "Confirm" cannot jump the queue.
    client.post(reverse("telar_reports:roster_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWING and imported() == 0


def test_a_task_that_stopped_with_an_error_is_said_and_the_page_stops_waiting(client, admin_user):
    from django_tasks_db.models import DBTaskResult

    client.force_login(admin_user)
    with override_settings(TASKS=DATABASE_TASKS):
        location = upload(client)["Location"]
        job = ImportJob.objects.get(owner=admin_user)
        assert 'http-equiv="refresh"' in client.get(location).content.decode()
        DBTaskResult.objects.filter(pk=job.task_id).update(status="FAILED")  # what the worker records on a crash
        html = client.get(location).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "La tarea en segundo plano se detuvo con un error" in html and imported() == 0


def test_a_preview_with_errors_offers_no_confirmation_and_keeps_no_file(client, admin_user):
    from wagtail.users.models import UserProfile

    client.force_login(admin_user)
    bad = csv_bytes([["Full name", "Cohort"], ["Ana Ruiz", "Nowhere"]])
    html = client.get(upload(client, bad)["Location"]).content.decode()
    assert "Fila 2, columna B (Cohort): No existe el grupo “Nowhere”" in html
    assert "Confirmar e importar" not in html
    job = ImportJob.objects.get(owner=admin_user)
    assert job.status == ImportJob.Status.REFUSED and job.upload_id is None
    client.post(reverse("telar_reports:roster_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    html = client.get(upload(client, bad)["Location"]).content.decode()
    assert "Row 2, column B (Cohort): There is no cohort “Nowhere”" in html


def test_an_unreadable_file_is_answered_on_the_jobs_page(client, admin_user):
    client.force_login(admin_user)
    html = client.get(upload(client, b"PK\x03\x04 not a workbook", "x.xlsx")["Location"]).content.decode()
    assert "no se pudo leer" in html.lower() or "no se pudo abrir" in html.lower(), html
    assert ImportJob.objects.get(owner=admin_user).status == ImportJob.Status.REFUSED


def test_someone_elses_or_a_forged_job_is_not_found(client, admin_user):
    client.force_login(admin_user)
    upload(client)
    job = ImportJob.objects.get(owner=admin_user)
    other = factories.AdminFactory(username="otra-admin")
    client.force_login(other)
    assert client.get(reverse("telar_reports:roster_job", args=[job.pk])).status_code == 404
    assert client.post(reverse("telar_reports:roster_confirm", args=[job.pk])).status_code == 404
    assert client.get(f"/admin/reports/import/{job.pk}x/").status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and imported() == 0
    guest = Client()
    response = guest.post(reverse("telar_reports:roster_confirm", args=[job.pk]))
    assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL + "?next=")


def test_confirm_needs_csrf(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    job = ImportJob.objects.create(owner=admin_user, filename="x.csv", language="es", status="previewed")
    assert client.post(reverse("telar_reports:roster_confirm", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED


def test_a_confirmation_after_the_upload_expired_saves_nothing_and_says_why(client, admin_user):
    client.force_login(admin_user)
    upload(client)
    job = ImportJob.objects.get(owner=admin_user)
    PendingUpload.objects.filter(pk=job.upload_id).update(
        created_at=timezone.now() - datetime.timedelta(hours=3), expires_at=timezone.now() - datetime.timedelta(hours=2)
    )
    from core.uploads import uploads_purge_expired

    uploads_purge_expired()
    html = client.get(client.post(reverse("telar_reports:roster_confirm", args=[job.pk]))["Location"]).content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and imported() == 0
    assert "más de una hora" in html


def test_the_confirmation_is_all_or_nothing(admin_user):
    """A row that became ambiguous between preview and confirm (two artisans now share her name in her
    cohort): the confirmation refuses, and nothing of the sheet is saved, not even its valid rows."""
    cohort = factories.CohortFactory(centre__name="Huixtán", name="Grupo Bordadoras")
    sheet = csv_bytes([SPANISH_HEADER, ROWS[0], ["", "Rosa Ruiz", "", "Huixtán", "Huixtán", "Grupo Bordadoras"]])
    job = services.import_job_start(owner=admin_user, filename="p.csv", content=sheet)
    assert job.status == ImportJob.Status.PREVIEWED, job.preview
    for _ in range(2):
        factories.ArtisanProfileFactory(full_name="Rosa Ruiz", cohort=cohort)
    before = (ArtisanProfile.objects.count(), User.objects.count())
    assert services.import_job_confirm_request(job=job, user=admin_user)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert (ArtisanProfile.objects.count(), User.objects.count()) == before
    assert not ArtisanProfile.objects.filter(external_id="HX-001").exists()
    assert any("Fila 3" in error for error in job.result["errors"]), job.result["errors"]


def test_old_jobs_forget_the_names_and_keep_the_counts(admin_user):
    job = services.import_job_start(owner=admin_user, filename="p.csv", content=SHEET)
    assert job.preview["rows"]
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert imports.import_jobs_forget() == 1
    job.refresh_from_db()
    assert "rows" not in job.preview and job.preview["totals"]["new"] == 2
    assert "María" not in str(job.preview)
    assert imports.import_jobs_forget() == 0  # forgotten once


def test_the_database_worker_runs_preview_and_confirm(admin_user):
    """The production path: tasks queued in django_tasks_db's table, then run by its worker."""
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DATABASE_TASKS):
        job = services.import_job_start(owner=admin_user, filename="p.csv", content=SHEET)
        assert job.status == ImportJob.Status.PREVIEWING  # queued, not run
        queued = DBTaskResult.objects.get(pk=job.task_id)
        assert queued.task_path == "core.tasks.preview_import"
        assert run_queued_tasks() == 1
        job.refresh_from_db()
        assert job.status == ImportJob.Status.PREVIEWED
        queued.refresh_from_db()
        assert queued.status == "SUCCESSFUL" and queued.return_value == "previewed"

        assert services.import_job_confirm_request(job=job, user=admin_user)
        assert not services.import_job_confirm_request(job=job, user=admin_user)  # queued once
        assert DBTaskResult.objects.filter(task_path="core.tasks.confirm_import").count() == 1
        assert imported() == 0
        assert run_queued_tasks() == 1
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE and imported() == 2
        assert run_queued_tasks() == 0


@pytest.mark.django_db(transaction=True)
def test_db_worker_command_imports_a_roster():
    """``manage.py db_worker --batch`` itself, on committed rows (a flushed database: the cohort exists, so the
    sheet needs no programme)."""
    admin = factories.AdminFactory(username="admin-worker")
    factories.CohortFactory(centre__name="Huixtán", name="Grupo Bordadoras", programme=None)
    with override_settings(TASKS=DATABASE_TASKS):
        job = services.import_job_start(owner=admin, filename="p.csv", content=SHEET)
        call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.PREVIEWED, job.preview
        services.import_job_confirm_request(job=job, user=admin)
        call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE and imported() == 2
        assert job.upload_id is None  # the kept file went once the import committed
