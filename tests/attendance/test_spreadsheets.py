"""Spreadsheets: export per session and per cohort (CSV, XLSX); import with preview, row errors, all or nothing."""

import io
import re

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from attendance.models import AttendanceRecord
from attendance.services import attendance_import

from .conftest import login
from .factories import AttendanceRecordFactory, SessionFactory, artisans

pytestmark = pytest.mark.django_db

HEADERS = ["session", "date", "time", "artisan", "name", "status", "note", "recorded_by", "recorded_at"]


def csv_rows(response):
    assert response.content.startswith("\ufeff".encode()), "a BOM, so Excel reads UTF-8"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    return list(tablib.Dataset().load(text, format="csv").dict)


def test_session_export_lists_the_whole_cohort_ready_to_fill(client, facilitator, session, members):
    AttendanceRecordFactory(
        session=session, artisan=members[0].user, status="late", note="Lluvia", recorded_by=facilitator
    )
    response = login(client, facilitator).get(reverse("attendance:session_csv", args=[session.pk]))
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=") and ".csv" in disposition
    rows = csv_rows(response)
    assert list(rows[0].keys()) == HEADERS
    by_artisan = {int(row["artisan"]): row for row in rows}
    assert set(by_artisan) == {p.user_id for p in members}
    first = by_artisan[members[0].user_id]
    assert (first["status"], first["note"], first["recorded_by"], first["name"]) == (
        "late",
        "Lluvia",
        facilitator.username,
        members[0].full_name,
    )
    assert by_artisan[members[1].user_id]["status"] == ""
    assert {row["session"] for row in rows} == {str(session.pk)}


def test_cohort_export_xlsx_has_every_record_of_the_cohort_only(client, facilitator, cohort, other_cohort, members):
    sessions = [SessionFactory(cohort=cohort) for _ in range(2)]
    for s in sessions:
        for profile in members:
            AttendanceRecordFactory(session=s, artisan=profile.user)
    stranger = artisans(other_cohort, 1)[0]
    AttendanceRecordFactory(session=SessionFactory(cohort=other_cohort), artisan=stranger.user)
    response = login(client, facilitator).get(reverse("attendance:cohort_xlsx", args=[cohort.pk]))
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert list(rows[0]) == HEADERS
    assert len(rows) == 1 + 6
    assert {row[3] for row in rows[1:]} == {p.user_id for p in members}


def upload(client, cohort, name, content):
    """Upload a sheet: its preview runs as a task (the immediate backend: at once); her job's page is answered."""
    url = reverse("attendance:cohort_import", args=[cohort.pk])
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    if response.status_code != 302:
        return response  # the form refused the file itself
    assert re.fullmatch(rf"{url}[0-9a-f-]{{36}}/", response["Location"]), response["Location"]
    return client.get(response["Location"])


def confirm(client, page):
    """Press "Import these records" on a job's page; the confirmation's task runs, then after its commit."""
    action = re.search(r'action="([^"]+/confirm/)"', page.content.decode())
    assert action, "the page offers a confirmation"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(action.group(1))
    assert response.status_code == 302
    return client.get(response["Location"])


def test_round_trip_preview_then_confirm(client, facilitator, session, members):
    login(client, facilitator)
    exported = client.get(reverse("attendance:session_csv", args=[session.pk])).content.decode("utf-8")
    data = tablib.Dataset().load(exported, format="csv")
    statuses = ["presente", "Tarde", "absent"]  # Spanish or English labels, any case
    for index, status in enumerate(statuses):
        row = list(data[index])
        row[5] = status
        data[index] = row
    preview = upload(client, session.cohort, "asistencia.csv", data.export("csv").encode("utf-8"))
    html = preview.content.decode()
    assert preview.status_code == 200, html
    assert "Vista previa: todavía no se guarda nada." in html and "3 registros nuevos" in html
    assert 'http-equiv="refresh"' not in html  # previewed: nothing left to wait for
    for row, label in zip(data, ["Presente", "Tarde", "Ausente"], strict=True):
        assert re.search(rf"<td>{re.escape(row[4])} <small>\(nuevo registro\)</small></td>\s*<td>{label}</td>", html)
    assert not AttendanceRecord.objects.exists()  # the dry run saved nothing
    done = confirm(client, preview).content.decode()
    assert "Asistencia importada." in done and "3 registros nuevos" in done
    saved = {r.artisan_id: (r.status, r.recorded_by_id) for r in AttendanceRecord.objects.all()}
    expected = dict(zip([int(row[3]) for row in data], ["present", "late", "absent"], strict=True))
    assert saved == {k: (v, facilitator.pk) for k, v in expected.items()}
    # Importing the same sheet again updates and never duplicates.
    again = upload(client, session.cohort, "asistencia.csv", data.export("csv").encode("utf-8")).content.decode()
    assert "0 registros nuevos, 3 actualizados" in again
    assert AttendanceRecord.objects.count() == 3


def test_bad_rows_are_each_named_and_nothing_is_saved(facilitator, session, members, other_cohort, other_session):
    stranger = artisans(other_cohort, 1)[0]
    data = tablib.Dataset(headers=["session", "artisan", "status", "note"])
    data.append([session.pk, members[0].user_id, "present", ""])  # good
    data.append([session.pk, members[1].user_id, "dormida", ""])  # unknown status
    data.append([session.pk, stranger.user_id, "present", ""])  # not in the cohort
    data.append([other_session.pk, members[2].user_id, "present", ""])  # another cohort's session
    data.append([session.pk, members[0].user_id, "late", ""])  # twice for one session
    result = attendance_import(cohort=session.cohort, dataset=data, recorded_by=facilitator, dry_run=False)
    invalid = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(invalid) == {2, 3, 4, 5}
    assert "status" in invalid[2] and "artisan" in invalid[3] and "session" in invalid[4] and "artisan" in invalid[5]
    assert not AttendanceRecord.objects.exists()


def test_the_view_lists_row_errors_by_the_rows_she_sees_in_excel(client, facilitator, session, members):
    """Bug fixed: rows were numbered from under the header (the second data row, Excel's row 3, said "Fila 2")
    and blank lines of a CSV were not counted; the roster and the quiz sheets counted as Excel does.
    Each problem in one cell also names its column, as Excel letters it."""
    login(client, facilitator)
    content = "sesión;artesana;estado\n"  # a Spanish Excel's semicolons
    content += f"{session.pk};{members[0].user_id};presente\n\n{session.pk};{members[1].user_id};x\n"
    response = upload(client, session.cohort, "hoja.csv", content.encode("cp1252"))
    html = response.content.decode()
    assert "No se guardó nada." in html and "Fila 4, columna C:" in html and "«x» no es un estado" in html
    assert "/confirm/" not in html
    assert not AttendanceRecord.objects.exists()


def test_missing_columns_and_unreadable_files(client, facilitator, session, members):
    login(client, facilitator)
    response = upload(client, session.cohort, "hoja.csv", b"nombre,firma\nAna,\n")
    assert "La hoja no tiene la columna" in response.content.decode()
    response = upload(client, session.cohort, "hoja.xlsx", b"not a workbook")
    assert "No se pudo leer el archivo como hoja de cálculo" in response.content.decode()
    assert "/confirm/" not in response.content.decode()
    response = upload(client, session.cohort, "hoja.pdf", b"%PDF")
    assert response.status_code == 400 and "Elige un archivo .csv o .xlsx." in response.content.decode()
    from core.models import ImportJob, PendingUpload

    assert set(ImportJob.objects.values_list("status", flat=True)) == {ImportJob.Status.REFUSED}
    assert not PendingUpload.objects.exists()  # nothing to confirm: no copy of the sheet waits


def test_xlsx_import_with_blank_rows_for_paper_results(client, facilitator, session, members):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["session", "artisan", "status", "note"])
    sheet.append([session.pk, members[0].user_id, "Justificada", "Cita médica"])
    sheet.append([session.pk, members[1].user_id, None, None])  # no status: skipped
    sheet.append([None, None, None, None])  # a blank row
    buffer = io.BytesIO()
    book.save(buffer)
    login(client, facilitator)
    confirm(client, upload(client, session.cohort, "papel.xlsx", buffer.getvalue()))
    record = AttendanceRecord.objects.get()
    assert (record.artisan_id, record.status, record.note) == (members[0].user_id, "excused", "Cita médica")


def test_a_job_is_bound_to_its_cohort_and_user(client, facilitator, session, members, other_facilitator, other_cohort):
    login(client, facilitator)
    content = f"session,artisan,status\n{session.pk},{members[0].user_id},present\n".encode()
    page = upload(client, session.cohort, "a.csv", content)
    from core.models import ImportJob

    job = ImportJob.objects.get(owner=facilitator)
    assert job.kind == "attendance" and job.params["cohort"] == session.cohort.pk
    page_url = reverse("attendance:import_job", args=[session.cohort.pk, job.pk])
    confirm_url = reverse("attendance:import_confirm", args=[session.cohort.pk, job.pk])
    assert page.request["PATH_INFO"] == page_url
    client.force_login(other_facilitator)  # not her cohort
    assert client.get(page_url).status_code == 403 and client.post(confirm_url).status_code == 403
    other_url = reverse("attendance:import_job", args=[other_cohort.pk, job.pk])  # her cohort, not her job
    assert client.get(other_url).status_code == 404
    from tests.factories import ProgrammeStaffFactory

    client.force_login(ProgrammeStaffFactory(username="coordinadora-token"))  # sees the cohort, not her job
    assert client.get(page_url).status_code == 404 and client.post(confirm_url).status_code == 404
    client.force_login(facilitator)
    assert client.get(reverse("attendance:import_job", args=[other_cohort.pk, job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and not AttendanceRecord.objects.exists()


def test_sheets_as_excel_writes_them_import_and_a_mixed_encoding_is_refused(client, facilitator, session, members):
    """Bug fixed: the attendance import decoded UTF-8 or else Windows-1252 or else Latin-1 (which never fails):
    "Unicode text" (UTF-16) and semicolon CSVs could not be read, and a file mixing encodings was imported garbled.
    It now reads through core.spreadsheets, as the roster import does."""
    login(client, facilitator)
    rows = [["sesión", "artesana", "estado", "nota"], [session.pk, members[0].user_id, "Justificada", "Cita médica"]]
    unicode_text = "\r\n".join("\t".join(str(cell) for cell in row) for row in rows)
    page = upload(
        client, session.cohort, "asistencia.txt.csv", "\ufeff".encode("utf-16-le") + unicode_text.encode("utf-16-le")
    )
    assert "Vista previa" in page.content.decode(), page.content.decode()
    confirm(client, page)
    assert AttendanceRecord.objects.get().note == "Cita médica"
    mixed = f"sesión,artesana,estado,nota\n{session.pk},{members[1].user_id},presente,Llegó tarde\n".encode()
    mixed += f"{session.pk},{members[2].user_id},presente,Lleg\xf3 tarde\n".encode("cp1252")
    response = upload(client, session.cohort, "mezcla.csv", mixed)
    assert "Fila 3, columna D" in response.content.decode() and "/confirm/" not in response.content.decode()
    assert AttendanceRecord.objects.count() == 1


def test_a_cp1252_semicolon_sheet_from_a_spanish_excel_imports(client, facilitator, session, members):
    login(client, facilitator)
    content = "sesión;artesana;estado;nota\r\n"
    content += f"{session.pk};{members[0].user_id};Justificada;Salió a la clínica\r\n"
    content += f"{session.pk};{members[1].user_id};presente;\r\n"
    page = upload(client, session.cohort, "asistencia.csv", content.encode("cp1252"))
    assert "2 registros nuevos" in page.content.decode()
    confirm(client, page)
    assert AttendanceRecord.objects.get(artisan=members[0].user).note == "Salió a la clínica"
    assert AttendanceRecord.objects.count() == 2


def test_a_confirmation_is_hers_once_and_never_served_as_media(client, facilitator, session, members, settings):
    """The sheet waits in private storage (core.uploads), outside MEDIA_ROOT, until she confirms it."""
    from core.models import ImportJob, PendingUpload

    login(client, facilitator)
    content = f"session,artisan,status\n{session.pk},{members[0].user_id},present\n".encode()
    page = upload(client, session.cohort, "a.csv", content)
    job = ImportJob.objects.get(owner=facilitator)
    kept = job.upload
    path = kept.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT))
    confirm(client, page)
    assert AttendanceRecord.objects.count() == 1
    assert not PendingUpload.objects.filter(pk=kept.pk).exists()  # confirmed: no copy stays behind
    # A double tap, a resent form: nothing more is queued or imported.
    job.refresh_from_db()
    task_id = job.task_id
    AttendanceRecord.objects.all().delete()
    url = reverse("attendance:import_confirm", args=[session.cohort.pk, job.pk])
    assert client.post(url).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.task_id == task_id and not AttendanceRecord.objects.exists()


def test_exports_escape_formulas_and_characters_xlsx_cannot_hold(client, facilitator, session, members):
    """A name or note typed as =HYPERLINK(...) is text in the sheet; a stray control character never breaks it."""
    members[0].full_name = '=HYPERLINK("http://x")'
    members[0].save()
    AttendanceRecordFactory(
        session=session, artisan=members[1].user, status="late", note="@llegó\x07 tarde", recorded_by=facilitator
    )
    signed_in = login(client, facilitator)
    rows = csv_rows(signed_in.get(reverse("attendance:session_csv", args=[session.pk])))
    names = {row["name"] for row in rows}
    assert '\'=HYPERLINK("http://x")' in names
    book = openpyxl.load_workbook(
        io.BytesIO(signed_in.get(reverse("attendance:cohort_xlsx", args=[session.cohort.pk])).content)
    )
    cells = [cell for row in book.active.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert any(cell.startswith("'@llegó") and "\x07" not in cell for cell in cells), cells
