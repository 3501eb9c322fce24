"""Private storage: files that are never served as media, only through a view that checks who asks.

The ``"private"`` storage alias (settings.STORAGES) is a folder outside MEDIA_ROOT
(``PRIVATE_MEDIA_ROOT``, ``var/private/`` by default): the reverse proxy that serves /media/
never sees it, and these files have no URL at all, so a template cannot link one by mistake.
Uploaded rosters and attendance sheets wait here between their preview and their confirmation
(core.uploads).
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header

ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder on disk whose files have no URL."""

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL: serve them through a view that checks who asks")


def private_storage() -> Storage:
    """The storage behind the ``"private"`` alias (a callable, so FileFields read settings when used)."""
    return storages[ALIAS]


def private_file_response(file_field, *, filename: str, content_type: str) -> HttpResponseBase:
    """Send a private file, after the view has checked who asks.

    Django streams it itself (``FileResponse``), or — when ``PRIVATE_MEDIA_ACCEL_PREFIX`` is set,
    e.g. ``/_private/`` — answers with an empty body and ``X-Accel-Redirect`` so that nginx sends
    the file from an ``internal`` location (README, "Private files"): the proxy never serves that
    folder to a request that did not come through this view.
    """
    prefix = getattr(settings, "PRIVATE_MEDIA_ACCEL_PREFIX", "")
    if prefix:
        response: HttpResponseBase = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file_field.name)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response
    return FileResponse(file_field.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
