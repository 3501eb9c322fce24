"""Private storage: files that are never served as media, only through a view that checks who asks.

The ``"private"`` storage alias (settings.STORAGES) is a folder outside MEDIA_ROOT
(``PRIVATE_MEDIA_ROOT``, ``var/private/`` by default): the reverse proxy that serves /media/
never sees it, and these files have no URL at all, so a template cannot link one by mistake.
Uploaded rosters and attendance sheets wait here between their preview and their confirmation
(core.uploads).
"""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage, Storage, storages

ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder on disk whose files have no URL."""

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL: serve them through a view that checks who asks")


def private_storage() -> Storage:
    """The storage behind the ``"private"`` alias (a callable, so FileFields read settings when used)."""
    return storages[ALIAS]
