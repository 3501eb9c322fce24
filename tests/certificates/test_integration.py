"""Certificates through the one hook (`core.events`): every recording path issues once, after commit.

Each path is driven through its real service (or view), with the real rule,
the real database and WeasyPrint. In `db` tests the test's own transaction
never commits, so `django_capture_on_commit_callbacks(execute=True)` runs what
a commit runs; the `transactional_db` tests below see a real commit.
"""

import datetime
import io
import sqlite3
import uuid
from decimal import Decimal

import psycopg
import pytest
import tablib
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.events import PaperResultsRecorded, QuizAttemptRecorded
from assessments.selectors import quiz_for_page, quiz_questions
from assessments.services import attempt_submit, paper_results_record
from attendance.events import AttendanceImported, AttendanceSaved
from attendance.models import Session
from attendance.services import Entry, attendance_import, attendance_save
from certificates import rendering
from certificates.models import Certificate
from certificates.services import issue_earned_certificates
from core import events
from people.events import ArtisansImported
from progress.events import LessonCompleted
from progress.models import LessonCompletion
from progress.services import lesson_mark_done
from reports.services import roster_import
from tests.factories import ArtisanProfileFactory
from tests.fixtures import forget_kept
from tests.reports.sheets import ENGLISH_HEADER, csv_bytes

from .conftest import attend, complete_lessons, default_lessons, take_quizzes

pytestmark = pytest.mark.django_db


def right_answers(quiz) -> dict:
    """Her answers, every one right, as the quiz form gives them to `attempt_submit`."""
    answers = {}
    for question in quiz_questions(quiz):
        if question.kind == "numeric":
            answers[question.pk] = Decimal(question.answer)
        else:
            answers[question.pk] = [option.pk for option in question.options.all() if option.is_correct]
    return answers


def all_but_the_last_lesson(user, cohort, modules):
    complete_lessons(user, modules[:-1])
    complete_lessons(user, [modules[-1]], skip_last_of=modules[-1])
    take_quizzes(user, modules)
    attend(user, cohort, present=5)
    return default_lessons(modules[-1])[-1]


def all_but_the_last_quiz(user, cohort, modules):
    complete_lessons(user, modules)
    take_quizzes(user, modules[:-1])
    attend(user, cohort, present=5)
    return quiz_for_page(modules[-1])


def all_but_attendance(user, cohort, modules):
    """Everything done; attendance 3 of 4 (75%): one more session present makes 4 of 5 (80%)."""
    complete_lessons(user, modules)
    take_quizzes(user, modules)
    attend(user, cohort, present=3, absent=1)


def assert_issued_once_after_commit(user):
    certificates = list(Certificate.objects.filter(user=user))
    assert len(certificates) == 1, certificates
    certificate = certificates[0]
    assert certificate.is_valid and certificate.issued_how == Certificate.IssuedHow.AUTO
    assert certificate.pdf_ready and certificate.pdf.storage.exists(certificate.pdf.name)
    return certificate


def test_the_certificates_subscribe_to_every_recording():
    for event_type in (
        LessonCompleted,
        QuizAttemptRecorded,
        PaperResultsRecorded,
        AttendanceSaved,
        AttendanceImported,
        ArtisansImported,
    ):
        assert issue_earned_certificates in events.handlers_for(event_type), event_type


def test_her_last_lesson_issues_the_certificate_after_commit(
    cohort, modules, artisan, announced, django_capture_on_commit_callbacks
):
    last = all_but_the_last_lesson(artisan, cohort, modules)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_mark_done(user=artisan, lesson=last)
        assert not Certificate.objects.exists()  # nothing is decided before the commit
    assert announced == [LessonCompleted(user_id=artisan.pk, lesson_key=last.translation_key)]
    assert_issued_once_after_commit(artisan)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lesson_mark_done(user=artisan, lesson=last)  # a double tap records nothing and announces nothing
    assert callbacks == [] and len(announced) == 1
    assert_issued_once_after_commit(artisan)


def test_an_earlier_lesson_announces_but_issues_nothing(
    cohort, modules, artisan, announced, django_capture_on_commit_callbacks
):
    all_but_the_last_lesson(artisan, cohort, modules)
    earlier = default_lessons(modules[-1])[0]
    LessonCompletion.objects.filter(user=artisan, lesson_key=earlier.translation_key).delete()
    with django_capture_on_commit_callbacks(execute=True):
        lesson_mark_done(user=artisan, lesson=earlier)
    assert len(announced) == 1 and not Certificate.objects.exists()  # the last lesson is still missing


def test_a_passed_quiz_online_issues_the_certificate_after_commit(
    cohort, modules, artisan, announced, django_capture_on_commit_callbacks
):
    quiz = all_but_the_last_quiz(artisan, cohort, modules)
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        attempt, created = attempt_submit(user=artisan, quiz=quiz, answers=right_answers(quiz), token=token)
        assert created and attempt.passed and not Certificate.objects.exists()
    assert [type(event) for event in announced] == [QuizAttemptRecorded]
    assert announced[0].user_ids == (artisan.pk,) and announced[0].attempt_id == attempt.pk
    assert_issued_once_after_commit(artisan)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        attempt_submit(user=artisan, quiz=quiz, answers=right_answers(quiz), token=token)  # the same form again
    assert callbacks == [] and len(announced) == 1


def test_a_failed_quiz_attempt_does_not_ask_the_rule(cohort, modules, artisan):
    """Nothing can be earned by a quiz not passed: the subscriber reads nothing (a passed one asks the rule)."""
    from django.test.utils import CaptureQueriesContext

    quiz = all_but_the_last_quiz(artisan, cohort, modules)
    failed = QuizAttemptRecorded(user_id=artisan.pk, attempt_id=1, quiz_key=quiz.translation_key, passed=False)
    with CaptureQueriesContext(connection) as context:
        issue_earned_certificates(failed)
    assert context.captured_queries == [] and not Certificate.objects.exists()
    passed = QuizAttemptRecorded(user_id=artisan.pk, attempt_id=1, quiz_key=quiz.translation_key, passed=True)
    with CaptureQueriesContext(connection) as context:
        issue_earned_certificates(passed)
    assert context.captured_queries  # the rule was asked (and, the quiz not really passed, issued nothing)


def test_a_quiz_passed_again_does_not_ask_the_rule_but_a_first_pass_after_failing_does(
    cohort, modules, artisan, announced, django_capture_on_commit_callbacks
):
    """Her last quiz failed, then passed (the rule is asked, the certificate comes), then passed again (it
    completes nothing new: the event says so and the subscriber reads nothing)."""
    from django.test.utils import CaptureQueriesContext

    quiz = all_but_the_last_quiz(artisan, cohort, modules)
    wrong = {}  # every answer wrong
    for question in quiz_questions(quiz):
        if question.kind == "numeric":
            wrong[question.pk] = Decimal(question.answer) + 1000
        else:
            wrong[question.pk] = [next(o.pk for o in question.options.all() if not o.is_correct)]
    with django_capture_on_commit_callbacks(execute=True):
        failed, _ = attempt_submit(user=artisan, quiz=quiz, answers=wrong, token=uuid.uuid4())
    assert not failed.passed and not announced[-1].newly_passed
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(user=artisan, quiz=quiz, answers=right_answers(quiz), token=uuid.uuid4())
    assert announced[-1].passed and announced[-1].newly_passed
    assert_issued_once_after_commit(artisan)
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(user=artisan, quiz=quiz, answers=right_answers(quiz), token=uuid.uuid4())
    again = announced[-1]
    assert again.passed and not again.newly_passed
    with CaptureQueriesContext(connection) as context:
        issue_earned_certificates(again)
    assert context.captured_queries == []


def test_the_quiz_view_issues_through_the_hook(cohort, modules, artisan, django_capture_on_commit_callbacks):
    from tests.assessments.conftest import PIN_BACKEND, answers_for, take_token

    quiz = all_but_the_last_quiz(artisan, cohort, modules)
    client = Client()
    client.force_login(artisan, backend=PIN_BACKEND)
    data = {"token": take_token(client, quiz), **answers_for(quiz)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/quizzes/{quiz.pk}/", data)
    assert response.status_code == 303
    assert_issued_once_after_commit(artisan)


def test_paper_results_issue_for_those_who_have_now_earned_them(
    cohort, modules, facilitator, announced, django_capture_on_commit_callbacks
):
    ready, not_ready = (ArtisanProfileFactory(cohort=cohort).user for _ in range(2))
    for user in (ready, not_ready):
        complete_lessons(user, modules)
        take_quizzes(user, modules[:-1])
    attend(ready, cohort, present=5)
    attend(not_ready, cohort, present=1, absent=4)
    quiz = quiz_for_page(modules[-1])
    token = uuid.uuid4()
    sheet = {"quiz": quiz, "cohort": cohort, "taken_on": datetime.date(2026, 6, 1), "token": token}
    with django_capture_on_commit_callbacks(execute=True):
        recorded = paper_results_record(recorded_by=facilitator, scores={ready.pk: 90, not_ready.pk: 95}, **sheet)
        assert len(recorded) == 2 and not Certificate.objects.exists()
    assert announced == [PaperResultsRecorded(quiz_key=quiz.translation_key, user_ids=(ready.pk, not_ready.pk))]
    assert_issued_once_after_commit(ready)
    assert not Certificate.objects.filter(user=not_ready).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        paper_results_record(recorded_by=facilitator, scores={ready.pk: 90, not_ready.pk: 95}, **sheet)  # resent
    assert callbacks == [] and len(announced) == 1


def test_saving_attendance_issues_for_artisans_who_reach_the_threshold(
    cohort, modules, facilitator, announced, django_capture_on_commit_callbacks
):
    user = ArtisanProfileFactory(cohort=cohort).user
    all_but_attendance(user, cohort, modules)
    session = Session.objects.create(cohort=cohort, date=datetime.date(2026, 5, 4), start_time=datetime.time(10))
    with django_capture_on_commit_callbacks(execute=True):
        attendance_save(session=session, entries=[Entry(artisan_id=user.pk, status="present")], recorded_by=facilitator)
        assert not Certificate.objects.exists()
    assert announced == [AttendanceSaved(session_id=session.pk, user_ids=(user.pk,), raised=(user.pk,))]
    assert_issued_once_after_commit(user)  # 4 of 5: 80%


def test_importing_attendance_issues_for_artisans_who_reach_the_threshold(
    cohort, modules, facilitator, announced, django_capture_on_commit_callbacks
):
    user = ArtisanProfileFactory(cohort=cohort).user
    all_but_attendance(user, cohort, modules)
    session = Session.objects.create(cohort=cohort, date=datetime.date(2026, 5, 4), start_time=datetime.time(10))
    sheet = tablib.Dataset(headers=["session", "artisan", "status"])
    sheet.append([session.pk, user.pk, "present"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        attendance_import(cohort=cohort, dataset=sheet, recorded_by=facilitator, dry_run=True)
    assert callbacks == [] and announced == []  # a preview records nothing and announces nothing
    with django_capture_on_commit_callbacks(execute=True):
        result = attendance_import(cohort=cohort, dataset=sheet, recorded_by=facilitator, dry_run=False)
        assert not result.has_errors() and not Certificate.objects.exists()
    assert announced == [AttendanceImported(cohort_id=cohort.pk, user_ids=(user.pk,))]
    assert_issued_once_after_commit(user)


def test_a_roster_import_gives_the_rule_a_look_at_whom_it_changed(
    cohort, modules, admin_user, announced, django_capture_on_commit_callbacks
):
    """Her records were complete before the rule could run (an earlier failure, an import of old data)."""
    profile = ArtisanProfileFactory(cohort=cohort, external_id="HUX-077", full_name="Petrona Díaz López")
    complete_lessons(profile.user, modules)
    take_quizzes(profile.user, modules)
    attend(profile.user, cohort, present=5)
    row = ["HUX-077", "Petrona Díaz López", "Petra", cohort.centre.name, cohort.centre.municipality, cohort.name]
    content = csv_bytes([ENGLISH_HEADER[:6], row])
    with django_capture_on_commit_callbacks(execute=True):
        assert roster_import(content=content, filename="roster.csv", user=admin_user, dry_run=True).ok
    assert announced == [] and not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = roster_import(content=content, filename="roster.csv", user=admin_user, dry_run=False)
    assert outcome.ok and outcome.totals["update"] == 1, outcome.errors
    assert announced == [ArtisansImported(user_ids=(profile.user_id,))]
    assert_issued_once_after_commit(profile.user)


def test_the_rule_decides_in_constant_queries_for_a_whole_attendance_list(cohort, modules, facilitator):
    from django.test.utils import CaptureQueriesContext

    session = Session.objects.create(cohort=cohort, date=datetime.date(2026, 5, 4), start_time=datetime.time(10))

    def decision_queries(count: int) -> int:
        users = [ArtisanProfileFactory(cohort=cohort).user for _ in range(count)]
        for user in users:
            complete_lessons(user, modules)  # complete but quizzes not passed: the cheap answer
        event = AttendanceSaved(session_id=session.pk, user_ids=tuple(user.pk for user in users))
        forget_kept()  # each count as a worker that has kept nothing yet (courses.cache)
        with CaptureQueriesContext(connection) as context:
            issue_earned_certificates(event)
        return len(context.captured_queries)

    assert decision_queries(3) == decision_queries(30)


# --- A render that fails, the PDF pending, a retry ---------------------------------------------------


def test_a_render_that_fails_leaves_her_recording_and_a_valid_certificate_with_its_pdf_pending(
    cohort, modules, artisan, settings, tmp_path, client, django_capture_on_commit_callbacks, monkeypatch
):
    # Storage that cannot be written, whoever runs the tests (root included): the private storage
    # (where certificate PDFs live, issue 14) under a plain file.
    from core.storage import PrivateFileSystemStorage

    field = Certificate._meta.get_field("pdf")
    working_storage = field.storage
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the private files directory should be")
    monkeypatch.setattr(field, "storage", PrivateFileSystemStorage(location=str(blocker / "private")))
    last = all_but_the_last_lesson(artisan, cohort, modules)
    with django_capture_on_commit_callbacks(execute=True):
        completion, created = lesson_mark_done(user=artisan, lesson=last)
    assert created and LessonCompletion.objects.filter(pk=completion.pk).exists()  # her lesson is kept
    certificate = Certificate.objects.get(user=artisan)
    assert certificate.is_valid and not certificate.pdf
    assert certificate.pdf_status == Certificate.PdfStatus.FAILED and certificate.pdf_attempts == 1
    assert "Error" in certificate.pdf_error  # NotADirectoryError or similar: why, for the admin
    # Verifiable already.
    html = client.get(reverse("certificates:verify_code", args=[certificate.display_code])).content.decode()
    assert certificate.printed_name in html
    # Her download says kindly that it is being prepared (never a 500) while storage is broken.
    client.force_login(artisan, backend="people.backends.PinBackend")
    pending = client.get(reverse("certificates:mine"))
    assert pending.status_code == 202 and pending["Retry-After"]
    assert "application/pdf" not in pending["Content-Type"]
    assert Certificate.objects.get(pk=certificate.pk).pdf_attempts == 2  # the download tried again, and failed

    monkeypatch.setattr(field, "storage", working_storage)  # storage fixed: the retry completes it
    out = io.StringIO()
    call_command("render_certificate_pdfs", stdout=out)
    assert "1 rendered, 0 still failing" in out.getvalue()
    certificate.refresh_from_db()
    assert certificate.pdf_ready and certificate.pdf_error == "" and certificate.pdf_attempts == 3
    call_command("render_certificate_pdfs", stdout=out)  # idempotent: nothing left to do
    again = Certificate.objects.get(pk=certificate.pk)
    assert again.pdf.name == certificate.pdf.name and again.pdf_attempts == 3
    response = client.get(reverse("certificates:mine"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_download_renders_a_pending_pdf_on_demand(artisan, facilitator, programme, client):
    from certificates.services import certificate_issue_manual

    certificate = certificate_issue_manual(user=artisan, issued_by=facilitator, reason="Prueba")  # never committed
    assert certificate.pdf_status == Certificate.PdfStatus.PENDING and not certificate.pdf
    client.force_login(artisan, backend="people.backends.PinBackend")
    response = client.get(reverse("certificates:mine"))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    certificate.refresh_from_db()
    assert certificate.pdf_ready and certificate.pdf_attempts == 1


def test_two_renders_at_once_store_one_file(artisan, facilitator, programme, monkeypatch, settings, tmp_path):
    """The task and a download render the same certificate at once: the first to store wins, the other cleans up."""
    from certificates.services import certificate_issue_manual

    settings.MEDIA_ROOT = str(tmp_path)  # a storage of its own: other tests (other workers) write PDFs too
    certificate = certificate_issue_manual(user=artisan, issued_by=facilitator, reason="Prueba")  # PDF pending
    storage = certificate.pdf.storage
    folder = f"certificates/{certificate.issued_on:%Y}"
    before = set(storage.listdir(folder)[1]) if storage.exists(folder) else set()
    real_render = rendering.render_pdf
    twin = {}

    def render_while_a_twin_renders(cert, **kwargs):
        if not twin:  # the twin starts and finishes while this render is under way
            twin["started"] = True
            twin["result"] = rendering.certificate_pdf_render(certificate_id=cert.pk)
        return real_render(cert, **kwargs)

    monkeypatch.setattr(rendering, "render_pdf", render_while_a_twin_renders)
    result = rendering.certificate_pdf_render(certificate_id=certificate.pk)
    assert result.pdf_ready and result.pdf.name == twin["result"].pdf.name
    assert result.pdf_attempts == 1  # the loser changed nothing on the row
    new_files = set(storage.listdir(folder)[1]) - before
    assert new_files == {result.pdf.name.rsplit("/", 1)[1]}  # and its file was removed


# --- A real commit ---------------------------------------------------------------------------------


def _small_programme():
    """The only live programme: one module of two lessons, no quiz.

    A transactional test may find the curriculum (the first one to run) or a flushed database, Wagtail's
    root page included (the others): either way, what it finds is unpublished and this is built.
    """
    from wagtail.models import Locale, Page

    from courses.models import LessonPage, ModulePage, ProgrammePage

    Page.objects.filter(depth__gt=1).update(live=False)
    locale = Locale.objects.get_or_create(language_code="es")[0]
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    programme = root.add_child(instance=ProgrammePage(title="Programa corto", slug="programa-corto", locale=locale))
    module = programme.add_child(instance=ModulePage(title="Costos", slug="costos", summary="s", order=1))
    return [module.add_child(instance=LessonPage(title=f"Lección {n}", slug=f"leccion-{n}")) for n in (1, 2)]


def _ready_but_for(lessons):
    """An artisan with every lesson done but the last and perfect attendance."""
    from tests.factories import CohortFactory

    cohort = CohortFactory(name="Grupo Tarde")
    user = ArtisanProfileFactory(cohort=cohort, full_name="Xunkaʼ López").user
    lesson_mark_done(user=user, lesson=lessons[0])
    attend(user, cohort, present=5)
    return user


@pytest.mark.django_db(transaction=True)
def test_after_a_real_commit_the_certificate_and_its_pdf_exist():
    lessons = _small_programme()
    user = _ready_but_for(lessons)
    assert not Certificate.objects.exists()
    lesson_mark_done(user=user, lesson=lessons[1])  # commits; the handler and the render run after
    assert_issued_once_after_commit(user)


@pytest.mark.django_db(transaction=True)
def test_the_write_lock_is_released_before_the_render_starts(monkeypatch):
    """While WeasyPrint renders, another writer can take the database: no transaction is open.

    On SQLite, a second connection takes the one write lock (BEGIN IMMEDIATE) without waiting; on
    PostgreSQL, it takes the row lock her lesson's write held, without waiting (NOWAIT).
    """
    lessons = _small_programme()
    user = _ready_but_for(lessons)
    real_render = rendering.render_pdf
    seen = {}

    def render_and_check_the_lock(certificate, **kwargs):
        seen["in_transaction"] = connection.in_atomic_block
        if connection.vendor == "sqlite":
            other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")  # raises "database is locked" if a writer holds it
                other.execute("ROLLBACK")
                seen["other_writer_got_the_lock"] = True
            finally:
                other.close()
        else:
            settings_dict = connection.settings_dict
            with psycopg.connect(
                dbname=settings_dict["NAME"],
                user=settings_dict["USER"],
                password=settings_dict["PASSWORD"] or None,
                host=settings_dict["HOST"] or None,
                port=settings_dict["PORT"] or None,
            ) as other:
                other.execute("SELECT id FROM people_user WHERE id = %s FOR UPDATE NOWAIT", [certificate.user_id])
                seen["other_writer_got_the_lock"] = True
        return real_render(certificate, **kwargs)

    monkeypatch.setattr(rendering, "render_pdf", render_and_check_the_lock)
    lesson_mark_done(user=user, lesson=lessons[1])
    assert seen == {"in_transaction": False, "other_writer_got_the_lock": True}
    assert_issued_once_after_commit(user)


@pytest.mark.django_db(transaction=True)
def test_a_failing_handler_never_loses_the_recording(caplog):
    lessons = _small_programme()
    user = _ready_but_for(lessons)

    def broken_subscriber(event):
        raise RuntimeError("a subscriber that fails")

    # The broken one first, so the certificates' handler runs after a failure.
    events.unsubscribe(LessonCompleted, issue_earned_certificates)
    events.subscribe(LessonCompleted, broken_subscriber)
    events.subscribe(LessonCompleted, issue_earned_certificates)
    try:
        with caplog.at_level("ERROR"):
            completion, created = lesson_mark_done(user=user, lesson=lessons[1])
    finally:
        events.unsubscribe(LessonCompleted, broken_subscriber)
    assert created and LessonCompletion.objects.filter(pk=completion.pk).exists()
    assert any("broken_subscriber(LessonCompleted)" in record.getMessage() for record in caplog.records)
    assert_issued_once_after_commit(user)  # the other handler (the certificates') still ran


def test_an_attendance_correction_asks_the_rule_only_for_those_it_may_raise(
    cohort, modules, facilitator, announced, django_capture_on_commit_callbacks
):
    """Present to late (late counts) raises nobody; absent to present raises her, and her certificate comes."""
    user = ArtisanProfileFactory(cohort=cohort).user
    neighbour = ArtisanProfileFactory(cohort=cohort).user
    all_but_attendance(user, cohort, modules)
    session = Session.objects.create(cohort=cohort, date=datetime.date(2026, 5, 4), start_time=datetime.time(10))
    first = [Entry(artisan_id=user.pk, status="absent"), Entry(artisan_id=neighbour.pk, status="present")]
    with django_capture_on_commit_callbacks(execute=True):
        attendance_save(session=session, entries=first, recorded_by=facilitator)
    corrected = [Entry(artisan_id=user.pk, status="present"), Entry(artisan_id=neighbour.pk, status="late")]
    with django_capture_on_commit_callbacks(execute=True):
        attendance_save(session=session, entries=corrected, recorded_by=facilitator)
    assert announced[-1] == AttendanceSaved(session_id=session.pk, user_ids=(user.pk, neighbour.pk), raised=(user.pk,))
    assert_issued_once_after_commit(user)
