"""What core keeps in the database: uploads waiting between their preview and their confirmation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .storage import private_storage


def _upload_path(instance: PendingUpload, filename: str) -> str:
    # The random id, not the name she gave the file: names may carry personal data and odd characters.
    return f"uploads/{instance.created_at:%Y/%m}/{instance.pk}"


class PendingUpload(models.Model):
    """A spreadsheet uploaded for a preview, kept in private storage until it is confirmed, discarded or expired.

    The confirmation form carries only ``id`` (random, unguessable); the upload is found by that
    id *and* its owner and purpose, so nobody else — and no other screen — can confirm it.
    ``expires_at`` bounds how long an abandoned upload's copy of the data lives (core.uploads).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    purpose = models.CharField(_("purpose"), max_length=64, help_text=_("Which import it is for, e.g. roster."))
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_upload_path, max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("upload waiting for confirmation")
        verbose_name_plural = _("uploads waiting for confirmation")
        indexes = [models.Index(fields=["expires_at"], name="pending_upload_expiry")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="pending_upload_expires_later")
        ]

    def __str__(self) -> str:
        return self.name
