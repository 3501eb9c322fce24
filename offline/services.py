"""Accepting writes that waited on a phone: "I finished this lesson", quiz answers, attendance lists.

The phone keeps the form exactly as it was posted (its URL and its urlencoded
body) and sends it here later. The URL says which form it was; the signed
token in the body says who made it, when the form was shown and its one-time
key. The write is then done by the same service the online view uses, for the
token's user — never for whoever is signed in when it arrives — and its
outcome is recorded once under the one-time key (`OfflineWrite`), so a write
that arrives twice is done once and answered the same way twice.

The server decides every conflict: a quiz attempt that arrives after her
attempts ran out is kept but does not count; an attendance line someone else
changed after the list was changed on the phone keeps the later change.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import grading
from assessments.selectors import visible_quizzes
from assessments.services import Submitted, quiz_form_submit, quiz_scope
from attendance.forms import attendance_entries
from attendance.selectors import session_detail
from attendance.services import attendance_save
from core.tokens import FormToken, clamp_made_at, read_token
from courses.models import LessonPage
from people.models import User
from progress.services import lesson_mark_done

from .models import Kind, OfflineWrite, Outcome

REJECTED = "rejected"


class Rejected(Exception):
    """Nothing was saved; the message says why, in her words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Answer:
    """What the phone is told about one write it sent (and shows her)."""

    status: str  # an Outcome value, or "rejected"
    message: str
    url: str = ""  # where to see the result (a quiz attempt)
    repeat: bool = False  # this one-time key had arrived before


def _too_old() -> Rejected:
    return Rejected(
        _("Something could not be sent: it waited on this phone too long, or it is not valid. Please do it again.")
    )


def _gone() -> Rejected:
    return Rejected(_("Something could not be saved: that lesson, quiz or session is no longer available."))


def _denied() -> Rejected:
    return Rejected(_("Something could not be saved: the account that made it may not do it."))


def _user(token: FormToken) -> User:
    user = User.objects.filter(pk=token.user_id, is_active=True).select_related("artisan").first()
    if user is None:
        raise _denied()
    return user


def describe(write: OfflineWrite, *, repeat: bool = False) -> Answer:
    """The message for a recorded write, in the active language (from what was stored: stable on repeats)."""
    detail = write.detail
    title = detail.get("title", "")
    url = ""
    if write.kind == Kind.LESSON:
        if write.outcome == Outcome.ALREADY:
            message = _("“%(title)s”: it was already saved as finished.") % {"title": title}
        else:
            message = _("“%(title)s”: saved as finished.") % {"title": title}
    elif write.kind == Kind.QUIZ:
        if write.outcome == Outcome.LATE:
            message = _(
                "“%(title)s”: your answers arrived after your last attempt. They are kept, but they do not count."
            ) % {"title": title}
        elif detail.get("number"):
            message = _("“%(title)s”: your answers were sent; this was your attempt %(number)s.") % {
                "title": title,
                "number": detail["number"],
            }
        else:
            message = _("“%(title)s”: your answers were sent.") % {"title": title}
        if write.outcome != Outcome.LATE and detail.get("attempt"):
            url = reverse("assessments:result", args=[detail["attempt"]])
    else:
        date = formats.date_format(datetime.date.fromisoformat(detail["date"]), "MONTH_DAY_FORMAT")
        message = _("Attendance of %(cohort)s, %(date)s: saved.") % {"cohort": detail.get("cohort", ""), "date": date}
        count = detail.get("superseded", 0)
        if count:
            message += " " + ngettext(
                "%(n)s artisan had been changed later on another phone: that later change was kept.",
                "%(n)s artisans had been changed later on another phone: those later changes were kept.",
                count,
            ) % {"n": count}
    return Answer(status=write.outcome, message=message, url=url, repeat=repeat)


def _once(
    *,
    token: FormToken,
    kind: str,
    user: User,
    object_id: int,
    made_at: datetime.datetime,
    work: Callable[[], tuple[str, dict, dict]],
) -> Answer:
    """Do `work` once per one-time key and record its outcome; a key seen before gets its first answer."""
    existing = OfflineWrite.objects.filter(nonce=token.nonce).first()
    if existing is not None:
        return describe(existing, repeat=True)
    try:
        with transaction.atomic():
            outcome, detail, payload = work()
            write = OfflineWrite(
                nonce=token.nonce,
                kind=kind,
                user=user,
                object_id=object_id,
                made_at=made_at,
                outcome=outcome,
                detail=detail,
                payload=payload,
            )
            write.full_clean(validate_unique=False, validate_constraints=False)
            write.save()
    except IntegrityError:
        # The twin of this request got there first (its whole transaction won; ours is undone).
        existing = OfflineWrite.objects.filter(nonce=token.nonce).first()
        if existing is None:
            raise
        return describe(existing, repeat=True)
    except PermissionDenied:
        raise _denied()
    except Http404:
        raise _gone()
    return describe(write)


def _lesson(*, page_id: int, data: QueryDict, made_at: datetime.datetime | None) -> Answer:
    token = read_token(data.get("token", ""), scope=f"lesson:{page_id}")
    if token is None:
        raise _too_old()
    user = _user(token)
    lesson = LessonPage.objects.live().select_related("locale").filter(pk=page_id).first()
    if lesson is None:
        raise _gone()
    when = clamp_made_at(token, made_at)

    def work() -> tuple[str, dict, dict]:
        _completion, created = lesson_mark_done(user=user, lesson=lesson, completed_at=when)
        return (Outcome.RECORDED if created else Outcome.ALREADY), {"title": lesson.title}, {}

    return _once(token=token, kind=Kind.LESSON, user=user, object_id=page_id, made_at=when, work=work)


def _jsonable(answers: dict) -> dict:
    return {str(key): (str(value) if isinstance(value, Decimal) else value) for key, value in answers.items()}


def _quiz(*, quiz_id: int, data: QueryDict, made_at: datetime.datetime | None) -> Answer:
    """The quiz form as it was posted, through the same service as the online quiz (assessments)."""
    token = read_token(data.get("token", ""), scope=quiz_scope(quiz_id))
    if token is None:
        raise _too_old()
    user = _user(token)
    quiz = visible_quizzes().filter(pk=quiz_id).first()
    if quiz is None:
        raise _gone()
    when = clamp_made_at(token, made_at)

    def work() -> tuple[str, dict, dict]:
        submitted = quiz_form_submit(user=user, quiz=quiz, data=data, submitted_at=when)
        if submitted.status == Submitted.EXPIRED:
            raise _too_old()
        if submitted.status == Submitted.INVALID:
            raise Rejected(
                _("“%(title)s”: some answers were missing, so nothing was saved. Please answer the quiz again.")
                % {"title": quiz.title}
            )
        if submitted.status == Submitted.LIMIT_REACHED:
            # Kept, not counted: her answers and how they would have scored, for her facilitator to see.
            snapshot, form = submitted.late, submitted.form
            assert snapshot is not None and form is not None  # what the service returns when the limit is reached
            detail = {"title": quiz.title, "score": grading.score(item["right"] for item in snapshot["questions"])}
            return Outcome.LATE, detail, {"answers": _jsonable(form.answers()), "snapshot": snapshot}
        attempt = submitted.attempt
        assert attempt is not None  # recorded now or before: the service returns the attempt
        outcome = Outcome.RECORDED if submitted.status == Submitted.RECORDED else Outcome.ALREADY
        detail = {"title": quiz.title, "attempt": attempt.pk, "number": attempt.number, "score": attempt.score}
        return outcome, detail, {}

    return _once(token=token, kind=Kind.QUIZ, user=user, object_id=quiz_id, made_at=when, work=work)


def _attendance(*, session_id: int, data: QueryDict, made_at: datetime.datetime | None) -> Answer:
    token = read_token(data.get("token", ""), scope=f"attendance:{session_id}")
    if token is None:
        raise _too_old()
    user = _user(token)
    session = session_detail(session_id)
    if session is None:
        raise _gone()
    entries = attendance_entries(data)
    when = clamp_made_at(token, made_at)
    detail = {"cohort": session.cohort.name, "date": session.date.isoformat()}

    def work() -> tuple[str, dict, dict]:
        try:
            result = attendance_save(session=session, entries=entries, recorded_by=user, recorded_at=when)
        except ValidationError as error:
            date = formats.date_format(session.date, "MONTH_DAY_FORMAT")
            raise Rejected(
                _("Attendance of %(cohort)s, %(date)s: not saved. %(errors)s")
                % {"cohort": session.cohort.name, "date": date, "errors": " ".join(error.messages)}
            )
        outcome = Outcome.PARTLY if result.superseded else Outcome.RECORDED
        return outcome, {**detail, "written": result.written, "superseded": result.superseded}, {}

    return _once(token=token, kind=Kind.ATTENDANCE, user=user, object_id=session_id, made_at=when, work=work)


# The forms a phone may keep and send later: URL name → (kind, URL argument, handler). The service
# worker is told their URL patterns (views.service_worker), so it queues these and nothing else.
QUEUEABLE: dict[str, tuple[str, str, Callable[..., Answer]]] = {
    "progress:lesson_done": (Kind.LESSON, "page_id", _lesson),
    "assessments:take": (Kind.QUIZ, "quiz_id", _quiz),
    "attendance:session": (Kind.ATTENDANCE, "session_id", _attendance),
}


def queued_write_accept(*, path: str, body: str, made_at: datetime.datetime | None = None) -> Answer:
    """Do one write a phone kept while offline; its answer is in the language of the page it was made on.

    Never raises for bad input: a forged, expired or someone else's token, an
    unknown URL, a lesson that is gone or invalid answers all give a
    "rejected" answer and save nothing.
    """
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            try:
                match = resolve(path)
            except Resolver404:
                raise _gone()
            entry = QUEUEABLE.get(match.view_name)
            if entry is None:
                raise _gone()
            _kind, argument, handler = entry
            return handler(**{argument: match.kwargs[argument]}, data=QueryDict(body), made_at=made_at)
        except Rejected as rejected:
            return Answer(status=REJECTED, message=rejected.message)
