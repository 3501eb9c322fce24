"""What makes a line of attendance valid: the one validator for the list on the phone and the imported sheet.

A line names an artisan, her status and a note. It is valid when the artisan belongs to the
session's cohort, the status is one of the four (by its code, or its Spanish or English label
in any case: a sheet is typed by people), the note fits, and the artisan appears once (per
session). A line without a status is not an error: on the phone it leaves her as she was, in
a sheet it is skipped (a blank roster printed for paper). The facilitator's list
(``attendance.services.attendance_save``) and the sheet import (``attendance.resources``) both
check every line here, so a line the one refuses the other refuses too, with the same words.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from core import sql
from core.text import clean_text
from people.models import ArtisanProfile, Cohort

from .models import AttendanceRecord, Status

NOTE_MAX = AttendanceRecord._meta.get_field("note").max_length


@functools.cache
def status_lookup() -> Mapping[str, str]:
    """Every way a status may be written (its code, its Spanish or English label, any case) → its code.

    Worked out once per worker (eight catalogue lookups in two languages: a tenth of a list's save), shared
    and read-only; the catalogues do not change while a worker runs (a deployment starts new workers)."""
    lookup = {}
    for code, label in Status.choices:
        lookup[code] = code
        for language in ("es", "en"):
            with translation.override(language):
                lookup[str(label).strip().lower()] = code
    return MappingProxyType(lookup)


def number(value: object) -> int | None:
    """An id as a form or a spreadsheet cell gives it ("12", 12, 12.0, "12.0"), or None."""
    text = str(value if value is not None else "").strip()
    if text.endswith(".0"):  # a number cell read from a spreadsheet
        text = text[:-2]
    return int(text) if text.isascii() and text.isdigit() else None


def _members(cohort_id: int) -> dict[int, str]:
    """Her cohort's artisans: user id → the name she goes by (1 query; a lookup, so no ORDER BY).

    As SQL: every list saved asks it, and the ORM took 0.15 ms to build it against the database's few
    microseconds (issue 17)."""
    alias = sql.read_alias(ArtisanProfile)
    table, column = sql.names(ArtisanProfile, alias)
    query = f"SELECT {column['user']}, {column['preferred_name']} FROM {table} WHERE {column['cohort']} = %s"  # noqa: S608
    return dict(sql.fetch(ArtisanProfile, query, [cohort_id]))


@dataclass(frozen=True)
class CheckedLine:
    """A line as written, made clean: the artisan's user id, a status code or "", the note; and its problems."""

    artisan_id: int | None
    status: str
    note: str
    errors: dict[str, list[ValidationError]] = field(default_factory=dict)  # "artisan", "status", "note"

    @property
    def messages(self) -> list[str]:
        return [message for problems in self.errors.values() for error in problems for message in error.messages]


class LineValidator:
    """The rules of an attendance line for one cohort: built once per list or sheet (1 query), then ``check``."""

    def __init__(self, cohort_id: int, *, cohort: Cohort | None = None):
        self.cohort_id = cohort_id
        self._cohort = cohort  # read only to name it in a message
        self.members = _members(cohort_id)
        self.statuses = status_lookup()
        self._seen: set[Hashable] = set()

    def _cohort_name(self) -> str:
        if self._cohort is None:
            self._cohort = Cohort.objects.only("name").get(pk=self.cohort_id)
        return self._cohort.name

    def check(self, *, artisan: object, status: object, note: object = "", once_per: Hashable = None) -> CheckedLine:
        """Check one line; ``once_per`` says what may appear once besides her (a sheet: the session)."""
        errors: dict[str, list[ValidationError]] = {}
        artisan_id = number(artisan)
        name = self.members.get(artisan_id) if artisan_id is not None else None
        if name is None:
            errors["artisan"] = [
                ValidationError(
                    _("Artisan “%(value)s” is not in %(cohort)s."),
                    code="not_in_cohort",
                    params={"value": artisan if artisan is not None else "", "cohort": self._cohort_name()},
                )
            ]
        raw_status = str(status if status is not None else "").strip()
        code = self.statuses.get(raw_status.lower()) if raw_status else ""
        if code is None:
            errors["status"] = [
                ValidationError(
                    _("“%(status)s” is not a status for %(name)s: choose present, late, excused or absent."),
                    code="unknown_status",
                    params={"status": raw_status, "name": name or artisan},
                )
            ]
        clean_note = clean_text(note, multiline=True)  # the text policy: no control characters stored
        if len(clean_note) > NOTE_MAX:
            errors["note"] = [
                ValidationError(
                    _("The note for %(name)s is longer than %(max)s characters."),
                    code="note_too_long",
                    params={"name": name or artisan, "max": NOTE_MAX},
                )
            ]
        if name is not None and code:
            key = (once_per, artisan_id)
            if key in self._seen:
                errors.setdefault("artisan", []).append(
                    ValidationError(_("%(name)s appears twice in the list."), code="duplicate", params={"name": name})
                )
            self._seen.add(key)
        return CheckedLine(artisan_id=artisan_id, status=code or "", note=clean_note, errors=errors)
