"""Upload → preview → confirm: the one way an import keeps a file between its two steps.

An import is shown before it is done: the file is read in a dry run and the preview lists
what would change; only "Confirm" writes. Between the two requests the file waits on the
server, in private storage (core.storage: outside the served media), as a ``PendingUpload``
owned by the person who uploaded it and expiring after ``MAX_AGE``. The confirmation form
carries the upload's random id, nothing else: ``upload_for`` finds it only for the same
owner and purpose and only before it expires, so a forged, someone else's or stale id
confirms nothing.

Used by the roster import (reports), the attendance import (attendance) and the quiz
sheets (assessments). Every write here is short and self-contained, so a background task
(the preview or the confirmation of a large import) and a scheduled clean-up
(``uploads_purge_expired``) can call these functions as they are.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import PendingUpload

MAX_AGE = datetime.timedelta(hours=1)  # time to read a preview and confirm it
ABANDONED_AFTER = datetime.timedelta(days=1)  # the scheduled clean-up: nothing with names waits longer
UPLOADS_DIR = "uploads"


def uploads_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete every expired upload, file and row; how many. Called by each new upload, safe on a schedule."""
    now = now or timezone.now()
    count = 0
    for upload in PendingUpload.objects.filter(expires_at__lte=now):
        upload_discard(upload=upload)
        count += 1
    return count


def uploads_purge_abandoned(*, older_than: datetime.timedelta = ABANDONED_AFTER, now=None) -> int:
    """The scheduled clean-up (``manage.py purge_uploads``, ``core.tasks.purge_abandoned_uploads``).

    Deletes every expired upload, every upload older than ``older_than`` whatever its expiry, and any
    file left in the private uploads folder without its row (a crash between the two deletes) once it
    is older than ``older_than``. Returns how many files or rows went. Idempotent.
    """
    now = now or timezone.now()
    count = uploads_purge_expired(now=now)
    for upload in PendingUpload.objects.filter(created_at__lte=now - older_than):
        upload_discard(upload=upload)
        count += 1
    storage = PendingUpload._meta.get_field("file").storage
    kept = set(PendingUpload.objects.values_list("file", flat=True))
    for name in _files_under(storage, UPLOADS_DIR):
        if name not in kept and storage.get_modified_time(name) <= now - older_than:
            storage.delete(name)
            count += 1
    return count


def _files_under(storage, folder: str) -> list[str]:
    if not storage.exists(folder):
        return []
    folders, files = storage.listdir(folder)
    found = [f"{folder}/{name}" for name in files]
    for inner in folders:
        found += _files_under(storage, f"{folder}/{inner}")
    return found


def upload_keep(
    *,
    owner: AbstractBaseUser,
    purpose: str,
    name: str,
    content: bytes,
    max_age: datetime.timedelta = MAX_AGE,
    now: datetime.datetime | None = None,
) -> PendingUpload:
    """Keep an uploaded file for its confirmation; abandoned uploads of anyone that have expired go first."""
    now = now or timezone.now()
    uploads_purge_expired(now=now)
    upload = PendingUpload(
        id=uuid.uuid4(),
        owner_id=owner.pk,
        purpose=purpose,
        name=name[:255],
        size=len(content),
        created_at=now,
        expires_at=now + max_age,
    )
    upload.file.save(str(upload.id), ContentFile(content), save=False)
    try:
        upload.full_clean()
        with transaction.atomic():
            upload.save()
    except Exception:
        upload.file.delete(save=False)  # no file without its row
        raise
    return upload


def _theirs(owner: AbstractBaseUser | None, purpose: str, upload_id: object) -> QuerySet[PendingUpload]:
    """The uploads this id may name for this owner and purpose (none for a malformed id or a guest)."""
    try:
        key = uuid.UUID(str(upload_id))
    except (TypeError, ValueError, AttributeError):
        return PendingUpload.objects.none()
    if owner is None or not owner.is_authenticated:
        return PendingUpload.objects.none()
    return PendingUpload.objects.filter(pk=key, owner_id=owner.pk, purpose=purpose)


def upload_for(
    *, owner: AbstractBaseUser | None, purpose: str, upload_id: object, now: datetime.datetime | None = None
) -> PendingUpload | None:
    """The upload this id names, if it is this owner's, for this purpose, and not expired; None otherwise."""
    return _theirs(owner, purpose, upload_id).filter(expires_at__gt=now or timezone.now()).first()


def upload_has_expired(*, owner: AbstractBaseUser | None, purpose: str, upload_id: object) -> bool:
    """Whether this id names an upload of this owner and purpose that expired (to say "too old", not "not valid")."""
    return _theirs(owner, purpose, upload_id).filter(expires_at__lte=timezone.now()).exists()


def upload_content(upload: PendingUpload) -> bytes | None:
    """The file's bytes, or None if storage lost it (the caller asks for the file again)."""
    try:
        with upload.file.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


def upload_discard(*, upload: PendingUpload) -> None:
    """Delete the file and its row (after its confirmation, or when it expired). Idempotent."""
    if upload.file:
        upload.file.delete(save=False)
    PendingUpload.objects.filter(pk=upload.pk).delete()
