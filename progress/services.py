"""Writes for progress. The only way a lesson becomes "done"; a new completion is announced (`LessonCompleted`)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from core import events
from courses.models import LessonPage
from people.models import User
from people.roles import is_artisan

from .events import LessonCompleted
from .models import LessonCompletion


@transaction.atomic
def lesson_mark_done(
    *, user: User, lesson: LessonPage, completed_at: datetime.datetime | None = None
) -> tuple[LessonCompletion, bool]:
    """Record that `user` finished `lesson`; returns (completion, created).

    `completed_at` is when she tapped the button, for a tap kept on a phone
    while offline and sent later (offline app); now otherwise.

    Idempotent: a repeated call (a double tap, a resent form) returns the
    existing row with ``created=False`` and changes nothing. Only artisans
    record progress (PermissionDenied otherwise) and only on a published
    lesson (Http404 otherwise: an unpublished or deleted lesson does not exist
    for learners). The unique constraint settles a race between two requests.
    A new completion emits `LessonCompleted` (once: a repeat emits nothing).
    """
    if not is_artisan(user):
        raise PermissionDenied("Only artisans record progress.")
    if not isinstance(lesson, LessonPage) or not lesson.live:
        raise Http404("No such lesson.")
    completion = LessonCompletion(user=user, lesson_key=lesson.translation_key, language=lesson.locale.language_code)
    if completed_at is not None:
        completion.completed_at = completed_at
    # Her user was just read (she is signed in, or her token named her): its foreign key needs no query to check.
    completion.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    completion, created = LessonCompletion.objects.get_or_create(
        user=user,
        lesson_key=lesson.translation_key,
        defaults={"language": completion.language, "completed_at": completion.completed_at},
    )
    if created:
        # After commit, certificates decide whether her last lesson completed the programme.
        events.emit(LessonCompleted(user_id=user.pk, lesson_key=completion.lesson_key))
    return completion, created
