"""Editors write quizzes in the Wagtail admin (questions and options inline) and in spreadsheets (CSV/XLSX)."""

import csv
import io
import re

import openpyxl
import pytest
from django.test import TestCase
from wagtail.test.utils.form_data import querydict_from_html

from assessments.models import Option, Question, Quiz
from tests import factories
from tests.assessments.conftest import STAFF_BACKEND, sign_in_as

pytestmark = pytest.mark.django_db

SNIPPETS = "/admin/snippets/assessments/quiz/"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor, backend=STAFF_BACKEND)
    return client


# --- The quiz editor -----------------------------------------------------------------------------


def test_editor_sees_the_quizzes_and_edits_one_with_its_questions_and_options(editor_client, module_quiz):
    listing = editor_client.get(SNIPPETS)
    assert listing.status_code == 200
    assert module_quiz.title in listing.content.decode()
    assert f"/admin/quiz-sheets/{module_quiz.pk}/" in listing.content.decode(), "the spreadsheet screen is linked"
    edit = editor_client.get(f"{SNIPPETS}edit/{module_quiz.pk}/")
    assert edit.status_code == 200
    html = edit.content.decode()
    first = module_quiz.questions.order_by("sort_order").first()
    assert first.text in html
    assert "questions-0-options-0-label" in html, "options are edited inline inside their question"


def _edit_data(client, quiz):
    html = client.get(f"{SNIPPETS}edit/{quiz.pk}/").content.decode()
    data = querydict_from_html(html, form_id="w-editor-form")
    for key in data:
        if key.endswith("-is_correct"):
            data[key] = "on"  # a ticked checkbox without a value attribute: browsers send "on"
    return data


def test_saving_a_question_without_a_correct_option_is_refused(editor_client, module_quiz):
    data = _edit_data(editor_client, module_quiz)
    option_fields = [key for key in data if key.startswith("questions-0-options-") and key.endswith("-is_correct")]
    assert option_fields
    for key in option_fields:
        del data[key]
    response = editor_client.post(f"{SNIPPETS}edit/{module_quiz.pk}/", data)
    assert response.status_code == 200
    assert "Marca exactamente una opción como correcta." in response.content.decode()
    assert Option.objects.filter(question__quiz=module_quiz, question__sort_order=0, is_correct=True).count() == 1


def test_editor_changes_a_question_and_publishes(editor_client, module_quiz):
    data = _edit_data(editor_client, module_quiz)
    data["questions-0-text"] = "¿Qué es la autoestima? (revisada)"
    data["action-publish"] = "action-publish"
    response = editor_client.post(f"{SNIPPETS}edit/{module_quiz.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    module_quiz.refresh_from_db()
    assert module_quiz.questions.order_by("sort_order").first().text == "¿Qué es la autoestima? (revisada)"
    assert module_quiz.revisions.count() >= 2, "every publish is a revision"


def test_a_saved_draft_does_not_change_what_artisans_answer(editor_client, client, module_quiz):
    data = _edit_data(editor_client, module_quiz)
    data["questions-0-text"] = "Borrador sin publicar"
    response = editor_client.post(f"{SNIPPETS}edit/{module_quiz.pk}/", data)
    assert response.status_code == 302
    assert "Borrador sin publicar" not in client.get(f"/quizzes/{module_quiz.pk}/").content.decode()


def test_preview_renders_the_quiz(editor_client, module_quiz):
    data = _edit_data(editor_client, module_quiz)
    url = f"{SNIPPETS}preview/{module_quiz.pk}/"
    assert editor_client.post(url, data).status_code == 200
    html = editor_client.get(url).content.decode()
    assert module_quiz.questions.order_by("sort_order").first().text in html


@pytest.mark.parametrize("role", ["guest", "artisan", "facilitator"])
def test_only_editors_and_admins_edit_quizzes(client, request, role, module_quiz):
    sign_in_as(client, role, request)
    for url in (
        SNIPPETS,
        f"{SNIPPETS}edit/{module_quiz.pk}/",
        f"/admin/quiz-sheets/{module_quiz.pk}/",
        f"/admin/quiz-sheets/{module_quiz.pk}/questions.csv",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), (role, url)


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_reach_the_sheets(client, request, role, module_quiz):
    sign_in_as(client, role, request)
    assert client.get(f"/admin/quiz-sheets/{module_quiz.pk}/").status_code == 200
    assert client.get(f"/admin/quiz-sheets/{module_quiz.pk}/questions.csv").status_code == 200
    assert client.get(f"/admin/quiz-sheets/{module_quiz.pk}/answers.csv").status_code == 404


# --- Spreadsheets --------------------------------------------------------------------------------


def _csv(client, quiz, what) -> list[dict]:
    response = client.get(f"/admin/quiz-sheets/{quiz.pk}/{what}.csv")
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _upload(rows: list[dict], name: str) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = io.BytesIO(out.getvalue().encode("utf-8"))
    upload.name = name
    return upload


def _sheets_page(client, quiz, files: dict):
    """Upload sheets: their preview runs as a task (the immediate backend: at once); the job's page is answered,
    or the upload form when it refused the files themselves."""
    url = f"/admin/quiz-sheets/{quiz.pk}/"
    response = client.post(url, files)
    if response.status_code != 303:
        return response
    assert re.fullmatch(rf"{url}imports/[0-9a-f-]{{36}}/", response["Location"]), response["Location"]
    return client.get(response["Location"])


def _confirm(client, page):
    """Press "Confirm and import" on the job's page; the confirmation's task runs, then its after-commit work."""
    action = re.search(r'action="([^"]+/confirm/)"', page.content.decode())
    assert action, "the page offers a confirmation"
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(action.group(1))


def _preview_then_confirm(client, quiz, files: dict):
    """Upload → preview (nothing saved yet) → confirm, as an editor does."""
    before = list(Question.objects.filter(quiz=quiz).values_list("text", flat=True))
    preview = _sheets_page(client, quiz, files)
    html = preview.content.decode()
    assert preview.status_code == 200, html
    assert "Vista previa: todavía no se guarda nada." in html and "Confirmar e importar" in html
    assert list(Question.objects.filter(quiz=quiz).values_list("text", flat=True)) == before, "a preview saves nothing"
    response = _confirm(client, preview)
    assert response.status_code == 303
    assert "Importado y publicado." in client.get(response["Location"]).content.decode()
    return response


def test_export_csv_and_xlsx(editor_client, costs_quiz):
    questions = _csv(editor_client, costs_quiz, "questions")
    assert [row["number"] for row in questions] == [str(n) for n in range(1, costs_quiz.questions.count() + 1)]
    assert set(questions[0]) == {"number", "type", "text", "explanation", "answer", "tolerance", "unit"}
    numeric = [row for row in questions if row["type"] == "numeric"]
    assert numeric and all(row["answer"] for row in numeric)
    options = _csv(editor_client, costs_quiz, "options")
    assert set(options[0]) == {"question", "number", "label", "correct", "feedback", "image"}
    assert len(options) == Option.objects.filter(question__quiz=costs_quiz).count()
    assert {row["correct"] for row in options} == {"yes", "no"}
    response = editor_client.get(f"/admin/quiz-sheets/{costs_quiz.pk}/options.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == len(options) + 1


def test_a_round_trip_updates_and_adds_questions(editor_client, module_quiz):
    questions = _csv(editor_client, module_quiz, "questions")
    options = _csv(editor_client, module_quiz, "options")
    count = len(questions)
    questions[0]["text"] = "¿Qué es la autoestima? (desde la hoja)"
    questions.append(
        {
            "number": str(count + 1),
            "type": "numeric",
            "text": "¿Cuánto es 2 + 2?",
            "explanation": "",
            "answer": "4",
            "tolerance": "0",
            "unit": "piezas",
        }
    )
    questions.append(
        {
            "number": str(count + 2),
            "type": "true_false",
            "text": "El sol sale de noche.",
            "explanation": "Sale de día.",
            "answer": "",
            "tolerance": "",
            "unit": "",
        }
    )
    options += [
        {"question": str(count + 2), "number": "1", "label": "Verdadero", "correct": "no", "feedback": "", "image": ""},
        {"question": str(count + 2), "number": "2", "label": "Falso", "correct": "sí", "feedback": "", "image": ""},
    ]
    revisions = module_quiz.revisions.count()
    _preview_then_confirm(
        editor_client,
        module_quiz,
        {"questions": _upload(questions, "preguntas.csv"), "options": _upload(options, "opciones.csv")},
    )
    assert module_quiz.questions.count() == count + 2
    assert module_quiz.questions.get(sort_order=0).text == "¿Qué es la autoestima? (desde la hoja)"
    assert module_quiz.questions.get(sort_order=count).answer == 4
    assert module_quiz.questions.get(sort_order=count + 1).options.get(is_correct=True).label == "Falso"
    assert module_quiz.revisions.count() == revisions + 1, "the import is published as a revision"


def test_invalid_rows_are_each_reported_and_nothing_is_saved(editor_client, module_quiz):
    questions = _csv(editor_client, module_quiz, "questions")
    before = list(Question.objects.filter(quiz=module_quiz).order_by("sort_order").values_list("text", flat=True))
    questions[0]["text"] = "Esta fila es válida pero no se debe guardar"
    questions[1]["type"] = "ensayo"
    questions[2]["number"] = "tres"
    questions[3]["text"] = ""
    response = _sheets_page(editor_client, module_quiz, {"questions": _upload(questions, "preguntas.csv")})
    html = response.content.decode()
    assert "No se guardó nada" in html and "Confirmar e importar" not in html
    # Each problem by its row and, when it is one cell's, its column as Excel shows them (type B, text C).
    for row, letter in ((3, "B"), (5, "C")):
        assert f"Preguntas, fila {row}, columna {letter}:" in html, row
    assert "Preguntas, fila 4:" in html  # a number that is no number: the row could not be read
    assert "Tipo desconocido" in html
    after = list(Question.objects.filter(quiz=module_quiz).order_by("sort_order").values_list("text", flat=True))
    assert after == before


def test_an_import_that_would_break_a_question_saves_nothing(editor_client, module_quiz):
    options = _csv(editor_client, module_quiz, "options")
    first_question = [row for row in options if row["question"] == "1"]
    for row in first_question:
        row["correct"] = "yes"
    options[-1]["label"] = "Cambio que no debe guardarse"
    response = _sheets_page(editor_client, module_quiz, {"options": _upload(options, "opciones.csv")})
    assert "Confirmar e importar" not in response.content.decode()
    assert "Pregunta 1: Marca exactamente una opción como correcta." in response.content.decode()
    assert Option.objects.filter(question__quiz=module_quiz, question__sort_order=0, is_correct=True).count() == 1
    assert not Option.objects.filter(label="Cambio que no debe guardarse").exists()


def test_an_option_for_a_question_that_does_not_exist_is_a_row_error(editor_client, module_quiz):
    rows = [
        {"question": "99", "number": "1", "label": "Sola", "correct": "yes", "feedback": "", "image": ""},
        {"question": "1", "number": "1", "label": "Bien", "correct": "tal vez", "feedback": "", "image": ""},
    ]
    response = _sheets_page(editor_client, module_quiz, {"options": _upload(rows, "o.csv")})
    html = response.content.decode()
    assert "Opciones, fila 2: Esta evaluación no tiene pregunta 99." in html
    assert "Opciones, fila 3, columna D: correct:" in html and "Escribe sí o no." in html
    assert not Option.objects.filter(label__in=["Sola", "Bien"]).exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(editor_client, module_quiz):
    upload = io.BytesIO(b"%PDF-1.4 not a sheet")
    upload.name = "preguntas.pdf"
    response = editor_client.post(f"/admin/quiz-sheets/{module_quiz.pk}/", {"questions": upload})
    assert response.status_code == 400
    bad_xlsx = io.BytesIO(b"not a zip")
    bad_xlsx.name = "preguntas.xlsx"
    response = _sheets_page(editor_client, module_quiz, {"questions": bad_xlsx})
    assert "No se pudo leer" in response.content.decode() and "Confirmar e importar" not in response.content.decode()


def test_xlsx_import(editor_client, module_quiz):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["number", "type", "text", "explanation", "answer", "tolerance", "unit"])
    sheet.append([1, "single", "Pregunta desde Excel", "", None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "preguntas.xlsx"
    _preview_then_confirm(editor_client, module_quiz, {"questions": buffer})
    assert module_quiz.questions.get(sort_order=0).text == "Pregunta desde Excel"


def test_quiz_created_with_a_factory_is_editable(editor_client, lesson):
    quiz = factories.QuizFactory(page=lesson, title="Otra evaluación")
    Quiz.objects.filter(pk=quiz.pk).update(live=False)
    assert editor_client.get(f"{SNIPPETS}edit/{quiz.pk}/").status_code == 200


def test_a_sheet_from_a_spanish_excel_imports(editor_client, module_quiz):
    """Bug fixed: quiz sheets were read as UTF-8 only, so a CSV saved by Excel on Windows (Windows-1252,
    semicolons) was "could not be read"; they now read through core.spreadsheets like the other imports."""
    questions = _csv(editor_client, module_quiz, "questions")
    questions[0]["text"] = "¿Qué es la autoestima? Señálala"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(questions[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(questions)
    upload = io.BytesIO(out.getvalue().encode("cp1252"))
    upload.name = "preguntas.csv"
    _preview_then_confirm(editor_client, module_quiz, {"questions": upload})
    assert module_quiz.questions.get(sort_order=0).text == "¿Qué es la autoestima? Señálala"


def test_a_preview_is_confirmed_once_by_the_editor_who_made_it(editor_client, module_quiz):
    from django.test import Client

    from core.models import ImportJob, PendingUpload

    questions = _csv(editor_client, module_quiz, "questions")
    questions[0]["text"] = "Cambiada desde la hoja"
    preview = _sheets_page(editor_client, module_quiz, {"questions": _upload(questions, "preguntas.csv")})
    job = ImportJob.objects.get(kind="questions")
    assert job.params["quiz"] == module_quiz.pk and job.status == ImportJob.Status.PREVIEWED
    page = f"/admin/quiz-sheets/{module_quiz.pk}/imports/{job.pk}/"
    other = Client()
    other.force_login(factories.EditorFactory(username="otra-editora"), backend=STAFF_BACKEND)
    assert other.get(page).status_code == 404  # another editor's job is not hers to see or confirm
    assert other.post(f"{page}confirm/").status_code == 404
    assert module_quiz.questions.get(sort_order=0).text != "Cambiada desde la hoja"
    _confirm(editor_client, preview)
    assert module_quiz.questions.get(sort_order=0).text == "Cambiada desde la hoja"
    assert not PendingUpload.objects.filter(pk=job.upload_id).exists()
    revisions = module_quiz.revisions.count()
    job.refresh_from_db()
    task_id = job.task_id
    assert editor_client.post(f"{page}confirm/").status_code == 303  # again: nothing left to confirm
    job.refresh_from_db()
    assert module_quiz.revisions.count() == revisions and job.task_id == task_id
    assert job.status == ImportJob.Status.DONE
