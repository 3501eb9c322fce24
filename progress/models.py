"""Progress: the core record of the programme — which lessons each artisan has finished."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LessonCompletion(models.Model):
    """One artisan finished one lesson.

    Stored against the lesson's Wagtail ``translation_key``, not its page id, so
    a lesson finished in Spanish counts in English (and in any language added
    later). One row per artisan and lesson, enforced by the database: marking a
    lesson done twice changes nothing, and ``completed_at`` keeps the first time.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_completions",
        verbose_name=_("artisan"),
    )
    lesson_key = models.UUIDField(_("lesson"), help_text=_("The lesson's translation key, shared by every language."))
    language = models.CharField(_("language"), max_length=10, blank=True, help_text=_("Where she finished it."))
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        ordering = ["user", "completed_at"]
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key"], name="completion_once_per_lesson"),
        ]
        indexes = [models.Index(fields=["user", "-completed_at"], name="completion_latest")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_key}"
