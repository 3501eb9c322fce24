"""progress.services.lesson_mark_done: idempotent, by translation key, artisans and live lessons only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from courses.models import LessonPage
from progress.models import LessonCompletion
from progress.services import lesson_mark_done

pytestmark = pytest.mark.django_db


def test_marking_done_twice_changes_nothing(artisan, lesson):
    first, created = lesson_mark_done(user=artisan.user, lesson=lesson)
    assert created and first.lesson_key == lesson.translation_key and first.language == "es"
    again, created_again = lesson_mark_done(user=artisan.user, lesson=lesson)
    assert not created_again and again.pk == first.pk and again.completed_at == first.completed_at
    assert LessonCompletion.objects.filter(user=artisan.user).count() == 1


def test_finishing_in_english_is_the_same_lesson(artisan, lesson):
    english = LessonPage.objects.get(translation_key=lesson.translation_key, locale__language_code="en")
    lesson_mark_done(user=artisan.user, lesson=english)
    _completion, created = lesson_mark_done(user=artisan.user, lesson=lesson)
    assert not created


def test_only_artisans_record_progress(facilitator, editor, admin_user, lesson):
    for user in (facilitator, editor, admin_user):
        with pytest.raises(PermissionDenied):
            lesson_mark_done(user=user, lesson=lesson)
    assert not LessonCompletion.objects.exists()


def test_unpublished_lessons_cannot_be_done(artisan, lesson):
    lesson.unpublish()
    lesson.refresh_from_db()
    with pytest.raises(Http404):
        lesson_mark_done(user=artisan.user, lesson=lesson)


def test_the_database_allows_one_row_per_artisan_and_lesson(artisan, lesson):
    from django.db import IntegrityError, transaction

    LessonCompletion.objects.create(user=artisan.user, lesson_key=lesson.translation_key)
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonCompletion.objects.create(user=artisan.user, lesson_key=lesson.translation_key)
