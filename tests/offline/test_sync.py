"""Writes kept on a phone and sent later: recorded once, for the woman the token names, the server deciding."""

import datetime
import json
import time
import urllib.parse

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt
from attendance.models import AttendanceRecord
from certificates.models import Certificate
from core.tokens import MAX_AGE, make_token
from offline.models import OfflineWrite, Outcome
from progress.events import LessonCompleted
from progress.models import LessonCompletion
from tests.assessments.conftest import answers_for, build_quiz
from tests.certificates.conftest import attend, complete_lessons, take_quizzes
from tests.offline.conftest import PIN_BACKEND, STAFF_BACKEND, form_token, sync

pytestmark = pytest.mark.django_db


def artisan_client(profile) -> Client:
    client = Client()
    client.force_login(profile.user, backend=PIN_BACKEND)
    return client


def lesson_write(client, lesson, **extra) -> dict:
    """What the service worker keeps when "I finished this lesson" is tapped without a connection."""
    action = reverse("progress:lesson_done", args=[lesson.pk])
    html = client.get(lesson.url).content.decode()
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": "x", "token": form_token(html, action)})
    return {"url": action, "body": body, "at": int(time.time() * 1000), **extra}


def ms(moment: datetime.datetime) -> int:
    return int(moment.timestamp() * 1000)


# --- "I finished this lesson" ---------------------------------------------------------------------


def test_a_kept_lesson_tap_is_recorded_once_however_often_it_arrives(artisan, lesson):
    phone = artisan_client(artisan)
    write = lesson_write(phone, lesson)
    first, again = sync(phone, write, write)
    assert first["status"] == "recorded" and lesson.title in first["message"]
    assert again["status"] == "recorded"
    assert sync(Client(), write)[0]["status"] == "recorded"  # a third time, from anywhere
    assert LessonCompletion.objects.filter(user=artisan.user, lesson_key=lesson.translation_key).count() == 1
    assert OfflineWrite.objects.count() == 1


def test_when_she_tapped_is_kept_not_when_it_arrived(artisan, lesson):
    phone = artisan_client(artisan)
    write = lesson_write(phone, lesson)
    tapped = timezone.now() - datetime.timedelta(seconds=30)  # after the page was shown (token), before now
    sync(Client(), {**write, "at": ms(tapped)})
    completion = LessonCompletion.objects.get(user=artisan.user)
    assert abs(completion.completed_at - tapped) < datetime.timedelta(seconds=31)
    assert completion.completed_at <= timezone.now()


def test_it_is_recorded_for_the_woman_who_tapped_never_for_whoever_signed_in_next(artisan, other_artisan, lesson):
    write = lesson_write(artisan_client(artisan), lesson)
    # She leaves; Juana signs in on the same phone; the queue goes out with Juana's session.
    juana = artisan_client(other_artisan)
    answer = sync(juana, write)[0]
    assert answer["status"] == "recorded"
    assert LessonCompletion.objects.filter(user=artisan.user).count() == 1
    assert not LessonCompletion.objects.filter(user=other_artisan.user).exists()
    assert OfflineWrite.objects.get().user == artisan.user


@pytest.mark.parametrize("role", ["guest", "artisan", "facilitator", "editor", "admin"])
def test_the_session_plays_no_part_whoever_is_signed_in(role, request, client, artisan, other_artisan, lesson):
    """The permission matrix of the sync endpoint: every role may carry a kept write; it counts for its maker."""
    from tests.offline.conftest import sign_in_as

    write = lesson_write(artisan_client(other_artisan), lesson)
    sign_in_as(client, role, request)
    assert sync(client, write)[0]["status"] == "recorded"
    assert list(LessonCompletion.objects.values_list("user", flat=True)) == [other_artisan.user.pk]


def test_a_token_for_one_lesson_cannot_finish_another(artisan, lesson):
    from courses.models import LessonPage

    phone = artisan_client(artisan)
    write = lesson_write(phone, lesson)
    other = LessonPage.objects.sibling_of(lesson, inclusive=False).live().first()
    answer = sync(phone, {**write, "url": reverse("progress:lesson_done", args=[other.pk])})[0]
    assert answer["status"] == "rejected"
    assert not LessonCompletion.objects.exists() and not OfflineWrite.objects.exists()


def test_a_made_up_or_tampered_token_saves_nothing(artisan, lesson):
    phone = artisan_client(artisan)
    write = lesson_write(phone, lesson)
    token = urllib.parse.parse_qs(write["body"])["token"][0]
    forged = make_token(user_id=artisan.user.pk, scope=f"lesson:{lesson.pk}")[:-2] + "xx"
    bodies = [
        urllib.parse.urlencode({"token": token[:-1] + ("A" if token[-1] != "A" else "B")}),
        urllib.parse.urlencode({"token": forged}),
        urllib.parse.urlencode(
            {"token": signing.dumps({"t": "0" * 32, "u": artisan.user.pk, "s": f"lesson:{lesson.pk}"}, salt="another")}
        ),
        "",
    ]
    answers = sync(phone, *({**write, "body": body} for body in bodies))
    assert {answer["status"] for answer in answers} == {"rejected"}
    assert all(answer["message"] for answer in answers)
    assert not LessonCompletion.objects.exists() and not OfflineWrite.objects.exists()


def test_a_write_kept_too_long_expires_and_she_is_told(monkeypatch, artisan, lesson):
    phone = artisan_client(artisan)
    write = lesson_write(phone, lesson)
    later = time.time() + MAX_AGE + 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    answer = sync(phone, write)[0]
    assert answer["status"] == "rejected" and answer["message"]
    assert not LessonCompletion.objects.exists()


def test_an_account_switched_off_meanwhile_records_nothing(artisan, lesson):
    phone = artisan_client(artisan)
    write = lesson_write(phone, lesson)
    artisan.user.is_active = False
    artisan.user.save()
    assert sync(Client(), write)[0]["status"] == "rejected"
    assert not LessonCompletion.objects.exists()


def test_a_lesson_unpublished_meanwhile_records_nothing(artisan, lesson):
    phone = artisan_client(artisan)
    write = lesson_write(phone, lesson)
    lesson.unpublish()
    assert sync(phone, write)[0]["status"] == "rejected"
    assert not LessonCompletion.objects.exists()


def test_an_already_finished_lesson_says_so(artisan, lesson):
    from progress.services import lesson_mark_done

    phone = artisan_client(artisan)
    write = lesson_write(phone, lesson)
    lesson_mark_done(user=artisan.user, lesson=lesson)
    answer = sync(phone, write)[0]
    assert answer["status"] == "already"
    assert LessonCompletion.objects.count() == 1


def test_answers_come_in_the_language_of_the_page(artisan, lesson):
    from django.utils import translation
    from wagtail.models import Locale

    english = lesson.get_translation(Locale.objects.get(language_code="en"))
    phone = artisan_client(artisan)
    with translation.override("en"):
        write = lesson_write(phone, english)
    kept_in_spanish = lesson_write(phone, lesson)
    assert write["url"].startswith("/en/")
    answer = sync(phone, write)[0]
    assert answer["status"] == "recorded" and "saved as finished" in answer["message"]
    spanish = sync(phone, kept_in_spanish)[0]
    assert "terminada" in spanish["message"]  # the Spanish lesson: the same lesson key, already done
    assert spanish["status"] == "already"


def test_unknown_or_unqueueable_urls_are_refused(artisan, lesson):
    phone = artisan_client(artisan)
    write = lesson_write(phone, lesson)
    answers = sync(
        phone, {**write, "url": "/nowhere/"}, {**write, "url": reverse("people:sign_out")}, {**write, "body": 5}
    )
    assert [answer["status"] for answer in answers] == ["rejected"] * 3


def test_the_sync_post_needs_its_csrf_token(artisan, lesson):
    write = lesson_write(artisan_client(artisan), lesson)
    phone = Client(enforce_csrf_checks=True)
    body = json.dumps({"items": [{"id": 1, **write}]})
    assert phone.post("/offline/sync/", body, content_type="application/json").status_code == 403
    token = phone.get("/offline/sync/").json()["csrf"]
    response = phone.post("/offline/sync/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["results"][0]["status"] == "recorded"


def test_bad_requests_are_plain_400s(client):
    assert client.post("/offline/sync/", "not json", content_type="application/json").status_code == 400
    assert client.post("/offline/sync/", json.dumps({"items": 3}), content_type="application/json").status_code == 400
    assert client.put("/offline/sync/").status_code == 405


def test_queries_per_kept_write_do_not_grow_with_the_queue(artisan, modules, django_capture_on_commit_callbacks):
    from courses.models import LessonPage

    phone = artisan_client(artisan)
    lessons = list(LessonPage.objects.child_of(modules[0]).live().order_by("path")[:4])
    writes = [lesson_write(phone, lesson) for lesson in lessons]

    def cost(items):
        # The certificate rule's reads run after commit, still within the request: counted here too.
        with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
            sync(Client(), *items)
        return len(ctx.captured_queries)

    one = cost(writes[:1])
    three = cost(writes[1:4])
    assert three <= 3 * one + 2, (one, three)
    assert one <= 30, one  # token's user, lesson, key, the completion, the certificate rule's reads, the record


# --- Quiz answers ---------------------------------------------------------------------------------


@pytest.fixture
def quiz(modules):
    from assessments.models import Quiz

    Quiz.objects.filter(page=modules[1]).delete()
    return build_quiz(modules[1])


def quiz_write(client, quiz, *, right=True) -> dict:
    url = reverse("assessments:take", args=[quiz.pk])
    token = form_token(client.get(url).content.decode())
    body = urllib.parse.urlencode({"token": token, **answers_for(quiz, right=right)}, doseq=True)
    return {"url": url, "body": body, "at": int(time.time() * 1000)}


def test_kept_quiz_answers_make_one_attempt_with_the_forms_own_key(artisan, quiz):
    phone = artisan_client(artisan)
    write = quiz_write(phone, quiz)
    first, again = sync(Client(), write, write)
    assert first["status"] == "recorded" and again["status"] == "recorded"
    attempt = Attempt.objects.get(user=artisan.user)
    assert attempt.score == 100
    assert first["url"] == reverse("assessments:result", args=[attempt.pk])
    assert OfflineWrite.objects.get().nonce == attempt.token  # one key for the form, the attempt and the write


def test_a_quiz_sent_online_whose_answer_was_lost_is_not_counted_twice(artisan, quiz):
    phone = artisan_client(artisan)
    write = quiz_write(phone, quiz)
    data = urllib.parse.parse_qs(write["body"])
    phone.post(write["url"], data)  # it reached the server; the phone never saw the answer and kept it
    answer = sync(phone, write)[0]
    assert answer["status"] == "already"
    assert Attempt.objects.filter(user=artisan.user).count() == 1


def test_a_form_recorded_online_is_already_recorded_even_if_the_quiz_changed_since(artisan, quiz):
    """Bug fixed: the offline copy of the quiz flow validated the answers before looking for the form's attempt,
    so a form recorded online whose queued copy arrived after an editor changed a question was "rejected:
    nothing was saved" although her attempt was saved. Both now go through assessments.services.quiz_form_submit,
    which finds the form's attempt first."""
    from assessments.models import Option

    phone = artisan_client(artisan)
    write = quiz_write(phone, quiz)
    phone.post(write["url"], urllib.parse.parse_qs(write["body"]))  # recorded online; the answer was lost
    single = quiz.questions.get(kind="single")
    Option.objects.filter(question=single).delete()  # the editor rewrote the question's options
    Option.objects.create(question=single, label="Nueva", is_correct=True, sort_order=0)
    answer = sync(phone, write)[0]
    assert answer["status"] == "already", answer
    assert answer["url"] == reverse("assessments:result", args=[Attempt.objects.get(user=artisan.user).pk])


def test_a_late_attempt_beyond_the_limit_is_kept_not_counted_and_she_is_told(artisan, quiz):
    quiz.attempts_allowed = 1
    quiz.save()
    phone = artisan_client(artisan)
    kept = quiz_write(phone, quiz, right=True)  # answered offline on the phone
    other_phone = artisan_client(artisan)
    online = quiz_write(other_phone, quiz, right=False)
    other_phone.post(online["url"], urllib.parse.parse_qs(online["body"]))  # her one attempt, online elsewhere
    answer = sync(phone, kept)[0]
    assert answer["status"] == "late"
    assert "do not count" in answer["message"] or "no cuentan" in answer["message"]
    assert Attempt.objects.filter(user=artisan.user).count() == 1
    assert Attempt.objects.get(user=artisan.user).score < 100  # the counted one is still the online one
    write = OfflineWrite.objects.get()
    assert write.outcome == Outcome.LATE and write.user == artisan.user
    assert write.detail["score"] == 100 and write.payload["answers"]
    assert sync(phone, kept)[0]["status"] == "late"  # told the same again, still one row
    assert OfflineWrite.objects.count() == 1


def test_missing_quiz_answers_save_nothing(artisan, quiz):
    phone = artisan_client(artisan)
    write = quiz_write(phone, quiz)
    token = urllib.parse.parse_qs(write["body"])["token"][0]
    answer = sync(phone, {**write, "body": urllib.parse.urlencode({"token": token})})[0]
    assert answer["status"] == "rejected"
    assert not Attempt.objects.exists() and not OfflineWrite.objects.exists()


def test_a_quiz_token_is_hers_alone(artisan, other_artisan, quiz):
    write = quiz_write(artisan_client(artisan), quiz)
    sync(artisan_client(other_artisan), write)
    assert list(Attempt.objects.values_list("user", flat=True)) == [artisan.user.pk]


# --- Attendance -----------------------------------------------------------------------------------


@pytest.fixture
def members(cohort):
    from tests import factories

    return [factories.ArtisanProfileFactory(cohort=cohort) for _ in range(3)]


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user, backend=STAFF_BACKEND)
    return client


def attendance_write(client, session, statuses: dict, *, at: datetime.datetime | None = None) -> dict:
    url = reverse("attendance:session", args=[session.pk])
    html = client.get(url).content.decode()
    data = {"token": form_token(html, url)}
    for user_id, status in statuses.items():
        data[f"s{user_id}"] = status
        data[f"w{user_id}"] = ""
    return {"url": url, "body": urllib.parse.urlencode(data), "at": ms(at or timezone.now())}


def test_a_kept_attendance_list_is_saved_by_its_facilitator_at_the_time_she_made_it(facilitator, session, members):
    phone = staff_client(facilitator)
    made = timezone.now() - datetime.timedelta(seconds=20)
    write = attendance_write(phone, session, {m.user_id: "present" for m in members}, at=made)
    first, again = sync(Client(), write, write)
    assert first["status"] == "recorded" and again["status"] == "recorded"
    months = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ]
    assert f"{session.date.day} de {months[session.date.month - 1]}" in first["message"]  # "1 de diciembre"
    records = AttendanceRecord.objects.filter(session=session)
    assert records.count() == 3
    assert {record.recorded_by_id for record in records} == {facilitator.pk}
    assert all(abs(record.recorded_at - made) < datetime.timedelta(seconds=21) for record in records)


def test_two_phones_keep_the_latest_change_per_artisan_with_who_and_when(facilitator, session, members):
    from tests.attendance.factories import facilitator_for

    first, second, third = members
    rosa_phone = staff_client(facilitator)
    kept = attendance_write(
        rosa_phone,
        session,
        {first.user_id: "absent", second.user_id: "late"},
        at=timezone.now() - datetime.timedelta(seconds=5),
    )
    # Meanwhile, online, a second facilitator marks the first artisan present (a later change).
    juana = facilitator_for(session.cohort, username="juana")
    online = staff_client(juana)
    url = reverse("attendance:session", args=[session.pk])
    online.post(url, {f"s{first.user_id}": "present", f"w{first.user_id}": ""})
    later = AttendanceRecord.objects.get(session=session, artisan_id=first.user_id)
    answer = sync(rosa_phone, kept)[0]
    assert answer["status"] == "partly"
    assert "1" in answer["message"]
    kept_line = AttendanceRecord.objects.get(session=session, artisan_id=first.user_id)
    assert (kept_line.status, kept_line.recorded_by_id, kept_line.recorded_at) == (
        "present",
        juana.pk,
        later.recorded_at,
    )
    rosa_line = AttendanceRecord.objects.get(session=session, artisan_id=second.user_id)
    assert (rosa_line.status, rosa_line.recorded_by_id) == ("late", facilitator.pk)
    assert not AttendanceRecord.objects.filter(session=session, artisan_id=third.user_id).exists()


def test_a_kept_change_made_after_the_online_one_wins(facilitator, session, members):
    from tests.attendance.factories import AttendanceRecordFactory

    first = members[0]
    AttendanceRecordFactory(
        session=session, artisan=first.user, status="absent", recorded_at=timezone.now() - datetime.timedelta(hours=2)
    )
    phone = staff_client(facilitator)
    write = attendance_write(phone, session, {first.user_id: "excused"})
    assert sync(phone, write)[0]["status"] == "recorded"
    line = AttendanceRecord.objects.get(session=session, artisan_id=first.user_id)
    assert (line.status, line.recorded_by_id) == ("excused", facilitator.pk)


def test_a_facilitator_taken_off_the_cohort_meanwhile_saves_nothing(facilitator, session, members):
    phone = staff_client(facilitator)
    write = attendance_write(phone, session, {members[0].user_id: "present"})
    session.cohort.facilitators.remove(facilitator)
    answer = sync(phone, write)[0]
    assert answer["status"] == "rejected" and answer["message"]
    assert not AttendanceRecord.objects.exists() and not OfflineWrite.objects.exists()


def test_an_attendance_token_is_only_for_its_session(facilitator, session, members):
    from tests.attendance.factories import SessionFactory

    phone = staff_client(facilitator)
    write = attendance_write(phone, session, {members[0].user_id: "present"})
    other = SessionFactory(cohort=session.cohort)
    answer = sync(phone, {**write, "url": reverse("attendance:session", args=[other.pk])})[0]
    assert answer["status"] == "rejected"
    assert not AttendanceRecord.objects.exists()


# --- Certificates: kept writes reach the hook once, replayed or not --------------------------------


def _issued_once(user):
    certificates = list(Certificate.objects.filter(user=user))
    assert len(certificates) == 1 and certificates[0].is_valid and certificates[0].pdf_ready, certificates


def test_a_kept_last_lesson_issues_her_certificate_once_however_often_it_arrives(
    artisan, cohort, lesson, modules, announced, django_capture_on_commit_callbacks
):
    user = artisan.user
    complete_lessons(user, modules)
    LessonCompletion.objects.filter(user=user, lesson_key=lesson.translation_key).delete()  # her one missing lesson
    take_quizzes(user, modules)
    attend(user, cohort, present=5)
    write = lesson_write(artisan_client(artisan), lesson)
    with django_capture_on_commit_callbacks(execute=True):
        first, again = sync(Client(), write, write)
    with django_capture_on_commit_callbacks(execute=True):
        later = sync(Client(), write)[0]  # a third time, after the first was committed
    assert [first["status"], again["status"], later["status"]] == ["recorded"] * 3
    assert announced == [LessonCompleted(user_id=user.pk, lesson_key=lesson.translation_key)]
    _issued_once(user)


def test_kept_quiz_answers_that_pass_her_last_quiz_issue_her_certificate_once(
    artisan, cohort, quiz, modules, announced, django_capture_on_commit_callbacks
):
    user = artisan.user
    complete_lessons(user, modules)
    take_quizzes(user, [module for module in modules if module.pk != quiz.page_id])
    attend(user, cohort, present=5)
    write = quiz_write(artisan_client(artisan), quiz)
    with django_capture_on_commit_callbacks(execute=True):
        answers = sync(Client(), write, write)
    assert [answer["status"] for answer in answers] == ["recorded", "recorded"]
    assert [(type(event).__name__, event.user_ids) for event in announced] == [("QuizAttemptRecorded", (user.pk,))]
    _issued_once(user)


def test_a_kept_attendance_list_issues_for_whoever_reaches_the_threshold_once(
    facilitator, session, artisan, cohort, modules, announced, django_capture_on_commit_callbacks
):
    user = artisan.user
    complete_lessons(user, modules)
    take_quizzes(user, modules)
    attend(user, cohort, present=3, absent=1)  # 75%; the kept list makes it 4 of 5
    write = attendance_write(staff_client(facilitator), session, {user.pk: "present"})
    with django_capture_on_commit_callbacks(execute=True):
        answers = sync(Client(), write, write)
    assert [answer["status"] for answer in answers] == ["recorded", "recorded"]
    assert [(type(event).__name__, event.user_ids) for event in announced] == [("AttendanceSaved", (user.pk,))]
    _issued_once(user)
