"""Writes for quizzes: online attempts, paper results and the curriculum's quizzes.

Every write is idempotent through a one-time token stored under a unique
constraint, and the attempts limit is checked while the artisan's user row is
locked (SELECT … FOR UPDATE on PostgreSQL; SQLite runs write transactions one
at a time, see SQLITE_OPTIONS' IMMEDIATE mode), with the unique attempt number
as the database's last word.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from core import events
from core.tokens import read_token, row_key
from courses.models import ModulePage, Narration
from courses.services import CURRICULUM_DIR, ensure_locales, illustration_image, question_narrations, read_curriculum
from people.models import Cohort, User
from people.permissions import facilitator_cohorts
from people.roles import is_artisan

from . import grading
from .events import PaperResultsRecorded, QuizAttemptRecorded
from .forms import QuizForm
from .models import Attempt, Option, Question, QuestionKind, Quiz
from .selectors import (
    attempt_id_for_token,
    last_attempt_number,
    module_key_for,
    module_quiz_passed,
    quiz_questions,
    quiz_questions_to_grade,
)
from .validation import question_problems


class AttemptLimitReached(Exception):
    """She has used every attempt this quiz allows."""


class AnswersInvalid(Exception):
    """The answers do not fit the quiz's questions (the form should have caught it)."""


# --- Online attempts -----------------------------------------------------------------------------


def _lock_user(user_id: int) -> None:
    """Serialise one artisan's writes: a row lock on PostgreSQL; nothing (not even a query) on SQLite,
    whose write transactions already run one at a time (IMMEDIATE mode)."""
    if connection.features.has_select_for_update:
        list(User.objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True))


def _with_token(token: uuid.UUID, **filters) -> Attempt | None:
    """The attempt a one-time token made, if any: 1 query when none (nearly always), 2 when there is one."""
    attempt_id = attempt_id_for_token(token)
    if attempt_id is None:
        return None
    return Attempt.objects.filter(pk=attempt_id, **filters).first()


def _next_number(*, user_id: int, quiz_key: uuid.UUID) -> int:
    return last_attempt_number(user_id, quiz_key) + 1


def _option_snapshot(option: Option) -> dict:
    return {"id": option.pk, "label": option.label, "correct": option.is_correct, "feedback": option.feedback}


def grade_question(question: Question, answer: list[int] | Decimal) -> bool:
    """Grade one answer with the pure function of its question type."""
    if question.kind == QuestionKind.NUMERIC:
        if not isinstance(answer, Decimal) or question.answer is None:  # a question saved without its number
            raise AnswersInvalid(question.pk)
        return grading.grade_numeric(answer, question.answer, question.tolerance)
    options = question.option_list
    chosen = set(answer) if isinstance(answer, list | tuple | set) else set()
    if not chosen or not chosen <= {option.pk for option in options}:
        raise AnswersInvalid(question.pk)
    correct = {option.pk for option in options if option.is_correct}
    return grading.CHOICE_GRADERS[question.kind](correct, chosen)


def build_snapshot(*, quiz: Quiz, questions: list[Question], answers: Mapping[int, list[int] | Decimal]) -> dict:
    """Everything the result page needs, frozen: questions, options, the answers and each verdict."""
    items = []
    for question in questions:
        answer = answers[question.pk]
        right = grade_question(question, answer)
        item = {
            "id": question.pk,
            "kind": question.kind,
            "text": question.text,
            "explanation": question.explanation,
            "right": right,
        }
        if question.kind == QuestionKind.NUMERIC:
            item.update(
                answer=str(question.answer), tolerance=str(question.tolerance), unit=question.unit, value=str(answer)
            )
        else:
            chosen = list(answer) if isinstance(answer, list) else []  # a list: grade_question checked it
            item.update(options=[_option_snapshot(option) for option in question.option_list], chosen=chosen)
        items.append(item)
    results = [item["right"] for item in items]
    return {
        "title": quiz.title,
        "pass_mark": quiz.pass_mark,
        "show_answers": quiz.show_answers,
        "right": sum(results),
        "total": len(results),
        "questions": items,
    }


@transaction.atomic
def attempt_submit(
    *,
    user: User,
    quiz: Quiz,
    answers: Mapping[int, list[int] | Decimal],
    token: uuid.UUID,
    questions: list[Question] | None = None,
    submitted_at: datetime.datetime | None = None,
) -> tuple[Attempt, bool]:
    """Grade her answers on the server and record the attempt; returns (attempt, created).

    `submitted_at` is when she sent them, for answers kept on a phone while
    offline and sent later (offline app); now otherwise.

    The same token returns the attempt it already made (created=False), however
    many times the form is sent. AttemptLimitReached when the quiz allows no
    more; AnswersInvalid when an answer does not belong to its question.
    A new attempt emits `QuizAttemptRecorded` (a repeat emits nothing).
    """
    if not is_artisan(user):
        raise PermissionDenied("Only artisans take quizzes.")
    _lock_user(user.pk)
    # Read once the lock is held: a twin request that won it has made its attempt by now.
    existing = _with_token(token)
    if existing is not None:
        if existing.user_id != user.pk:
            raise PermissionDenied("This form belongs to someone else.")
        return existing, False
    number = _next_number(user_id=user.pk, quiz_key=quiz.translation_key)
    if quiz.attempts_allowed is not None and number > quiz.attempts_allowed:
        raise AttemptLimitReached
    questions = questions if questions is not None else quiz_questions_to_grade(quiz)
    if set(answers) != {question.pk for question in questions}:
        raise AnswersInvalid("answers do not match the questions")
    snapshot = build_snapshot(quiz=quiz, questions=questions, answers=answers)
    results = [item["right"] for item in snapshot["questions"]]
    now = submitted_at or timezone.now()
    passed, module_key = grading.passed(results, quiz.pass_mark), module_key_for(quiz)
    # Whether the module's quiz already counted as passed for her (in any language, online or on paper):
    # then this pass changes no module's completion, and the certificate rule need not be asked (1 query).
    passed_before = passed and module_quiz_passed(user.pk, module_key)
    attempt = Attempt(
        user=user,
        quiz=quiz,
        quiz_key=quiz.translation_key,
        module_key=module_key,
        number=number,
        source=Attempt.Source.ONLINE,
        score=grading.score(results),
        passed=passed,
        token=token,
        language=quiz.locale.language_code,
        snapshot=snapshot,
        taken_on=timezone.localdate(now),
        submitted_at=now,
    )
    # Her user and the quiz were just read: their foreign keys need no query to check. The snapshot was built
    # here of plain values (build_snapshot): checking that it serializes would encode it twice.
    attempt.full_clean(exclude=["user", "quiz", "snapshot"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        # Only reachable without a row lock: the database's unique token and number decide.
        existing = _with_token(token, user=user)
        if existing is not None:
            return existing, False
        raise AttemptLimitReached
    # After commit, certificates decide whether a passed quiz completed her programme.
    events.emit(
        QuizAttemptRecorded(
            user_id=user.pk,
            attempt_id=attempt.pk,
            quiz_key=attempt.quiz_key,
            passed=attempt.passed,
            newly_passed=attempt.passed and not passed_before,
        )
    )
    return attempt, True


# --- The quiz form: online (assessments.views) and sent later from a phone (offline.services) ----


def quiz_scope(quiz_id: int) -> str:
    """The scope of a quiz form's one-time token (core.tokens)."""
    return f"quiz:{quiz_id}"


class Submitted(StrEnum):
    RECORDED = "recorded"  # a new attempt
    ALREADY = "already"  # this form's token made an attempt before: that one
    INVALID = "invalid"  # the answers do not fit the questions (the form says which)
    EXPIRED = "expired"  # the token is too old, forged or someone else's: nothing recorded
    LIMIT_REACHED = "limit_reached"  # she had no attempt left: graded (``late``), not recorded


@dataclass(frozen=True)
class QuizSubmission:
    """What became of one posted quiz form, with the bound form to show again when it was not recorded."""

    status: Submitted
    form: QuizForm | None  # None when the token's attempt was found before the answers were read
    attempt: Attempt | None = None
    late: dict | None = None  # for LIMIT_REACHED: the answers' snapshot, as it would have been graded


def quiz_form_submit(
    *,
    user: User,
    quiz: Quiz,
    data: Mapping[str, str],
    questions: list[Question] | None = None,
    submitted_at: datetime.datetime | None = None,
) -> QuizSubmission:
    """A posted quiz form, from the token to the recorded attempt: the one flow for every way answers arrive.

    The form's own token (``data["token"]``, core.tokens, scope ``quiz:<id>``) must name ``user``.
    A token that already made an attempt returns that attempt before the answers are even read,
    so a form sent twice — a double tap, a retry after a lost answer, the same form online and
    from the phone's queue — is one attempt, even if the quiz changed in between. Then the
    answers are validated (QuizForm), graded on the server and recorded (``attempt_submit``:
    attempts limit, snapshot). ``submitted_at`` is when she sent them from a phone that was offline.
    """
    if not is_artisan(user):
        raise PermissionDenied("Only artisans take quizzes.")
    raw = data.get("token", "")
    token = read_token(raw, scope=quiz_scope(quiz.pk), user_id=user.pk)
    if token is not None:
        done = _with_token(token.nonce, user=user)
        if done is not None:
            return QuizSubmission(status=Submitted.ALREADY, form=None, attempt=done)
    questions = questions if questions is not None else quiz_questions_to_grade(quiz)
    form = QuizForm(data, quiz=quiz, questions=questions, shuffle_seed=raw)
    valid = form.is_valid()
    if token is None:
        form.add_error(None, _("This form was too old to send. Please check your answers and send them again."))
        return QuizSubmission(status=Submitted.EXPIRED, form=form)
    if not valid:
        return QuizSubmission(status=Submitted.INVALID, form=form)
    answers = form.answers()
    try:
        attempt, created = attempt_submit(
            user=user, quiz=quiz, answers=answers, token=token.nonce, questions=questions, submitted_at=submitted_at
        )
    except AttemptLimitReached:
        late = build_snapshot(quiz=quiz, questions=questions, answers=answers)
        return QuizSubmission(status=Submitted.LIMIT_REACHED, form=form, late=late)
    except AnswersInvalid:
        form.add_error(None, _("Some answers do not belong to this quiz. Please answer it again."))
        return QuizSubmission(status=Submitted.INVALID, form=form)
    return QuizSubmission(status=Submitted.RECORDED if created else Submitted.ALREADY, form=form, attempt=attempt)


# --- Answers given after her session ended ---------------------------------------------------------

STASH_SESSION_KEY = "telar_quiz_answers"
STASH_MAX_FIELDS = 100


def quiz_token_owner(raw: str, *, quiz: Quiz) -> int | None:
    """Whom a quiz form's token names, if it is genuine and young enough (core.tokens)."""
    token = read_token(raw, scope=quiz_scope(quiz.pk))
    return token.user_id if token is not None else None


def quiz_answers_stash(session: SessionBase, *, quiz: Quiz, data: QueryDict) -> bool:
    """Keep answers posted without a session, against their form's token, in this browser's session.

    Signing in keeps a session's data (login() rotates the key), so after the PIN she comes back to
    the same quiz with the answers she ticked (``quiz_answers_restore``) and sends them with the same
    one-time token: a repeat still counts once. Only a genuine token is kept; nothing is written.
    """
    raw = data.get("token", "")
    if quiz_token_owner(raw, quiz=quiz) is None:
        return False
    answers = {
        name: [value[:30] for value in data.getlist(name)][:STASH_MAX_FIELDS]
        for name in list(data)[:STASH_MAX_FIELDS]
        if name.startswith("q") and name[1:].isdigit()
    }
    stash = dict(session.get(STASH_SESSION_KEY) or {})
    stash[str(quiz.pk)] = {"token": raw, "data": answers}
    session[STASH_SESSION_KEY] = stash
    return True


def quiz_answers_unstash(session: SessionBase, *, quiz: Quiz) -> None:
    stash = dict(session.get(STASH_SESSION_KEY) or {})
    if stash.pop(str(quiz.pk), None) is not None:
        session[STASH_SESSION_KEY] = stash


def quiz_answers_restore(session: SessionBase, *, quiz: Quiz, user: User) -> dict | None:
    """The answers kept for this quiz, as a form's data with its token, if they are hers and not yet sent.

    Answers whose token names someone else (another woman signed in on this phone) are dropped
    unseen; so are those whose token already made an attempt or has expired.
    """
    kept = (session.get(STASH_SESSION_KEY) or {}).get(str(quiz.pk))
    if not isinstance(kept, dict):
        return None
    token = read_token(kept.get("token", ""), scope=quiz_scope(quiz.pk), user_id=user.pk)
    if token is None or Attempt.objects.filter(token=token.nonce).exists():
        quiz_answers_unstash(session, quiz=quiz)
        return None
    data = QueryDict(mutable=True)
    data["token"] = kept["token"]
    for name, values in (kept.get("data") or {}).items():
        data.setlist(name, [str(value) for value in values])
    return {"token": kept["token"], "data": data}


# --- Paper results -------------------------------------------------------------------------------


@transaction.atomic
def paper_results_record(
    *,
    recorded_by: User,
    quiz: Quiz,
    cohort: Cohort,
    taken_on: datetime.date,
    scores: Mapping[int, int],
    token: uuid.UUID,
) -> list[tuple[Attempt, bool]]:
    """Record the scores of a quiz taken on paper, one attempt per artisan, marked as paper.

    Only for artisans of a cohort this facilitator may follow; all or nothing.
    The same form token gives the same rows back, so a resent form adds nothing
    (and emits nothing; new rows emit one `PaperResultsRecorded`).
    Paper results are not held to the attempts limit: the facilitator decides.
    """
    if not facilitator_cohorts(recorded_by).filter(pk=cohort.pk).exists():
        raise PermissionDenied("Not one of her cohorts.")
    members = set(cohort.artisans.filter(user_id__in=list(scores)).values_list("user_id", flat=True))
    if members != set(scores):
        raise PermissionDenied("Not an artisan of this cohort.")
    module_key = module_key_for(quiz)
    recorded = []
    for user_id, value in sorted(scores.items()):
        attempt_token = row_key(token, user_id)
        existing = Attempt.objects.filter(token=attempt_token).first()
        if existing is not None:
            recorded.append((existing, False))
            continue
        _lock_user(user_id)
        attempt = Attempt(
            user_id=user_id,
            quiz=quiz,
            quiz_key=quiz.translation_key,
            module_key=module_key,
            number=_next_number(user_id=user_id, quiz_key=quiz.translation_key),
            source=Attempt.Source.PAPER,
            score=value,
            passed=grading.paper_passed(value, quiz.pass_mark),
            token=attempt_token,
            language=quiz.locale.language_code,
            snapshot={
                "title": quiz.title,
                "pass_mark": quiz.pass_mark,
                "show_answers": False,
                "paper": True,
                "recorded_by": recorded_by.get_full_name() or recorded_by.get_username(),
                "questions": [],
            },
            taken_on=taken_on,
            recorded_by=recorded_by,
        )
        attempt.full_clean(validate_unique=False, validate_constraints=False)
        attempt.save()
        recorded.append((attempt, True))
    new = tuple(attempt.user_id for attempt, created in recorded if created)
    if new:
        events.emit(PaperResultsRecorded(quiz_key=quiz.translation_key, user_ids=new))
    return recorded


# --- Authoring -----------------------------------------------------------------------------------


def quiz_problems(quiz: Quiz) -> list[str]:
    """Problems with a saved quiz's questions, numbered as editors see them (for imports)."""
    problems = []
    questions = quiz_questions(quiz)
    if not questions:
        problems.append(_("The quiz has no questions."))
    for number, question in enumerate(questions, start=1):
        options = list(question.options.all())
        for problem in question_problems(
            kind=question.kind,
            options=[(option.label, option.is_correct) for option in options],
            answer=question.answer,
            has_images=[option.image_id is not None for option in options],
        ):
            problems.append(_("Question %(number)s: %(problem)s") % {"number": number, "problem": problem})
    return problems


@dataclass
class QuizLoadReport:
    created: list[str] = field(default_factory=list)
    unchanged: int = 0


def _label(value: object, code: str) -> str:
    """An option's label: the curriculum writes {"es": "…"} or {"es": {"label": "…"}}."""
    data = value.get(code) if isinstance(value, dict) else value
    if isinstance(data, dict):
        return str(data.get("label", ""))
    return str(data or "")


def _fill_quiz(quiz: Quiz, data: dict, code: str, narrations: dict[int, Narration] | None = None) -> None:
    """Questions and options of one language version, built in memory (saved with the quiz).

    ``narrations`` (question position → the demo's narration) is given for the Spanish version only.
    """
    questions = []
    for position, item in enumerate(data["questions"]):
        text = item.get(code) or item["en"]
        question = Question(
            kind=item["type"],
            text=text["text"],
            explanation=text.get("explanation", ""),
            sort_order=position,
            audio=(narrations or {}).get(position),
        )
        if item.get("illustration"):
            question.image = illustration_image(item["illustration"])
        if item["type"] == QuestionKind.NUMERIC:
            question.answer = Decimal(str(item["answer"]))
            question.tolerance = Decimal(str(item.get("tolerance", 0)))
            question.unit = item.get(f"unit_{code}", item.get("unit_en", ""))
        options = []
        for index, option_data in enumerate(item.get("options", [])):
            option = Option(
                label=_label(option_data, code) or _label(option_data, "en"),
                is_correct=bool(option_data.get("correct")),
                feedback=option_data.get(f"feedback_{code}", option_data.get("feedback_en", "")),
                sort_order=index,
            )
            if option_data.get("illustration"):
                option.image = illustration_image(option_data["illustration"])
            options.append(option)
        problems = question_problems(
            kind=question.kind,
            options=[(option.label, option.is_correct) for option in options],
            answer=question.answer,
            has_images=[option.image is not None for option in options],
        )
        if problems:
            raise ValidationError(f"{quiz.title}, question {position + 1}: {'; '.join(problems)}")
        question.options = options
        questions.append(question)
    quiz.questions = questions


def _publish(quiz: Quiz) -> None:
    """Save and publish a new quiz as one revision; its references are indexed once, at the end.

    Wagtail re-indexes the whole quiz on every question and option saved (about
    700 times for the curriculum, two thirds of the loading time), so the
    automatic update is paused and the quiz indexed once.
    """
    quiz.full_clean(exclude=["translation_key"], validate_unique=False, validate_constraints=False)
    with disable_reference_index_auto_update():
        quiz.save()
        quiz.save_revision(log_action=True).publish(log_action=True)
    ReferenceIndex.create_or_update_for_object(quiz)


def _attach_narrations(quiz: Quiz, data: dict, narrations: dict[int, Narration]) -> bool:
    """Give an existing Spanish quiz's questions their demo narration where they have none, matching each
    question by its text (so a question an editor rewrote or moved never gets another's voice); published
    as a new revision. A quiz with a draft waiting is left alone."""
    if not narrations or quiz.has_unpublished_changes:
        return False
    by_text = {data["questions"][position]["es"]["text"]: narration for position, narration in narrations.items()}
    changed = False
    for question in quiz.questions.all():
        narration = by_text.get(question.text)
        if question.audio_id is None and narration is not None:
            question.audio = narration
            question.save(update_fields=["audio"])
            changed = True
    if changed:
        with disable_reference_index_auto_update():
            quiz.save_revision(log_action=True).publish(log_action=True)
        ReferenceIndex.create_or_update_for_object(quiz)
    return changed


@transaction.atomic
def load_quizzes(directory: Path | None = None) -> QuizLoadReport:
    """Create each module's quiz from the curriculum files, in every content language.

    Idempotent: a quiz that already exists for a module (in a language) is left
    as it is, so a second run creates nothing and editors' changes survive.
    """
    report = QuizLoadReport()
    locales = ensure_locales()
    default = locales[settings.LANGUAGE_CODE]
    directory = directory or CURRICULUM_DIR
    _programme, modules_data = read_curriculum(directory)
    for module_data in modules_data:
        data = module_data.get("quiz")
        if not data:
            continue
        module = ModulePage.objects.filter(locale=default, slug=module_data["slug"]).first()
        if module is None:
            continue
        narrations = question_narrations(directory, module_data)
        source = Quiz.objects.filter(page__translation_key=module.translation_key, locale=default).first()
        if source is None:
            source = Quiz(
                locale=default,
                page=module,
                title=data["es"]["title"],
                intro=data["es"].get("intro", ""),
                pass_mark=data.get("pass_mark", 70),
                attempts_allowed=data.get("attempts_allowed"),
            )
            _fill_quiz(source, data, default.language_code, narrations)
            _publish(source)
            report.created.append(f"quiz {source.title}")
        elif _attach_narrations(source, data, narrations):
            report.created.append(f"narrations of {source.title}")
        else:
            report.unchanged += 1
        for code, locale in locales.items():
            if locale == default:
                continue
            if Quiz.objects.filter(translation_key=source.translation_key, locale=locale).exists():
                report.unchanged += 1
                continue
            page = module.get_translation_or_none(locale) or module
            text = data.get(code) or data["en"]
            translated = Quiz(
                locale=locale,
                translation_key=source.translation_key,
                page=page,
                title=text["title"],
                intro=text.get("intro", ""),
                pass_mark=source.pass_mark,
                attempts_allowed=source.attempts_allowed,
                counting=source.counting,
                shuffle_options=source.shuffle_options,
                show_answers=source.show_answers,
            )
            _fill_quiz(translated, data, code)
            _publish(translated)
            report.created.append(f"quiz {translated.title} ({code})")
    return report
