"""core.uploads: a file kept between an import's preview and its confirmation — privately, for its owner, briefly."""

import datetime
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import storages
from django.utils import timezone

from core import uploads
from core.models import PendingUpload
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return factories.AdminFactory(username="subio")


def test_kept_privately_outside_the_served_media(owner):
    kept = uploads.upload_keep(owner=owner, purpose="roster", name="Padrón de María.csv", content=b"a,b\n1,2\n")
    path = Path(kept.file.path)
    assert path.is_file() and path.read_bytes() == b"a,b\n1,2\n"
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "María" not in str(path)  # stored under its random id, not the name she gave it
    assert kept.name == "Padrón de María.csv" and kept.size == 8
    with pytest.raises(ValueError):
        storages["private"].url(kept.file.name)  # no URL: never served
    uploads.upload_discard(upload=kept)
    assert not path.exists()


def test_only_its_owner_for_its_purpose_before_it_expires(owner):
    kept = uploads.upload_keep(owner=owner, purpose="attendance:3", name="a.csv", content=b"x")
    assert uploads.upload_for(owner=owner, purpose="attendance:3", upload_id=str(kept.pk)) == kept
    assert uploads.upload_content(kept) == b"x"
    someone_else = factories.AdminFactory(username="otra")
    for who, purpose, upload_id in [
        (someone_else, "attendance:3", kept.pk),
        (AnonymousUser(), "attendance:3", kept.pk),
        (owner, "attendance:4", kept.pk),  # another cohort's import
        (owner, "attendance:3", uuid.uuid4()),
        (owner, "attendance:3", "not-an-id"),
        (owner, "attendance:3", None),
    ]:
        assert uploads.upload_for(owner=who, purpose=purpose, upload_id=upload_id) is None
    later = timezone.now() + uploads.MAX_AGE + datetime.timedelta(seconds=1)
    assert uploads.upload_for(owner=owner, purpose="attendance:3", upload_id=kept.pk, now=later) is None


def test_expired_uploads_are_purged_file_and_row_by_the_next_upload(owner):
    old = uploads.upload_keep(
        owner=owner, purpose="roster", name="old.csv", content=b"old", now=timezone.now() - datetime.timedelta(hours=2)
    )
    path = Path(old.file.path)
    assert uploads.upload_has_expired(owner=owner, purpose="roster", upload_id=old.pk)
    fresh = uploads.upload_keep(owner=owner, purpose="roster", name="new.csv", content=b"new")
    assert not PendingUpload.objects.filter(pk=old.pk).exists() and not path.exists()
    assert not uploads.upload_has_expired(owner=owner, purpose="roster", upload_id=old.pk)  # gone: just not valid
    assert uploads.uploads_purge_expired(now=timezone.now() + datetime.timedelta(hours=2)) == 1
    assert not PendingUpload.objects.filter(pk=fresh.pk).exists()


def test_a_lost_file_reads_as_nothing(owner):
    kept = uploads.upload_keep(owner=owner, purpose="roster", name="a.csv", content=b"x")
    kept.file.storage.delete(kept.file.name)
    assert uploads.upload_content(kept) is None
    uploads.upload_discard(upload=kept)  # idempotent, with or without its file
    uploads.upload_discard(upload=kept)
    assert not PendingUpload.objects.filter(pk=kept.pk).exists()


def test_the_scheduled_clean_up_deletes_abandoned_previews_older_than_a_day(owner):
    """Issue 14: previews carry names; none waits longer than a day, nor a file left without its row."""
    import io
    import os
    import time

    from django.core.management import call_command

    from core.tasks import purge_abandoned_uploads

    now = timezone.now()
    old = uploads.upload_keep(
        owner=owner,
        purpose="roster",
        name="viejo.csv",
        content=b"x",
        max_age=datetime.timedelta(days=3),
        now=now - datetime.timedelta(days=2),
    )
    fresh = uploads.upload_keep(owner=owner, purpose="roster", name="nuevo.csv", content=b"y")
    storage = storages["private"]
    orphan = storage.save("uploads/2020/01/orphan", io.BytesIO(b"z"))
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(storage.path(orphan), (day_ago, day_ago))
    old_path = old.file.path
    assert uploads.uploads_purge_abandoned(now=now) == 2
    assert not os.path.exists(old_path) and not storage.exists(orphan)
    assert PendingUpload.objects.filter(pk=fresh.pk).exists() and storage.exists(fresh.file.name)
    assert purge_abandoned_uploads.enqueue().return_value == 0  # the task: nothing left to do
    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    assert "Abandoned uploads deleted: 0." in out.getvalue()
    assert PendingUpload.objects.filter(pk=fresh.pk).exists()
