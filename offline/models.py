"""What arrived from phones that had been offline: one row per one-time key."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LESSON = "lesson", _("Lesson finished")
    QUIZ = "quiz", _("Quiz answers")
    ATTENDANCE = "attendance", _("Attendance list")


class Outcome(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    ALREADY = "already", _("Already recorded")
    LATE = "late", _("Kept, not counted")
    PARTLY = "partly", _("Recorded; later changes kept")


class OfflineWrite(models.Model):
    """A write kept on a phone while offline and sent later, recorded once.

    `nonce` is the one-time key of the form it came from (the token's nonce;
    for a quiz, the quiz form's own token, which is also the attempt's). The
    unique constraint makes a write that arrives twice — a retry after a lost
    answer, two tabs sending the same queue — count once: the second arrival
    gets the first one's outcome back. `user` is the person the signed token
    names, never whoever happened to be signed in when it arrived. A quiz
    attempt that arrived after the attempts ran out is kept here (`payload`,
    `detail`) but not counted.
    """

    nonce = models.UUIDField(_("one-time key"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offline_writes", verbose_name=_("made by")
    )
    object_id = models.PositiveBigIntegerField(_("lesson, quiz or session id"))
    made_at = models.DateTimeField(_("made on the phone at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    payload = models.JSONField(_("answers kept"), default=dict, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("write sent from offline")
        verbose_name_plural = _("writes sent from offline")
        constraints = [models.UniqueConstraint(fields=["nonce"], name="offline_write_once")]
        indexes = [models.Index(fields=["user", "kind"], name="offline_write_user_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user_id} · {self.get_outcome_display()}"
