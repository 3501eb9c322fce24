"""The artisans' roster in and out of spreadsheets, through django-import-export.

Programme staff keep the roster in Excel. The file is read by
core.spreadsheets (CSV in UTF-8 with or without a BOM, Windows-1252 or UTF-16; XLSX with
date cells); this module maps what staff really write — headers in Spanish or English, spaces
around values, blank rows, a title above the header — into a ``tablib.Dataset`` with one
column per known field, and ``ArtisanResource`` imports it (dry run first, then for real).

Rules the import keeps:

- **Identity**: a row is the artisan with the same external id; without one, the artisan
  with the same full name (ignoring case, accents and extra spaces) in the same cohort.
  A row with a new external id adopts a same-name artisan of that cohort who has none.
  Importing the same sheet twice therefore changes nothing the second time.
- **Blank cells never erase**: a blank cell keeps what is stored (clearing is done in the
  admin, one person at a time); a missing column is not touched at all.
- **Centres and cohorts** are found by name (ignoring case and accents) and created when
  missing: a new centre needs its municipality, a new cohort starts on the sheet's start
  date or, when there is none, on the day of the import. Without a centre column the cohort
  name must match exactly one cohort.
- **Accounts**: a new artisan's account is made by ``people.services.artisan_account_create``,
  as in the admin: a generated username (never one from the sheet, so a row cannot take over an
  existing account) and no usable password: she signs in with the PIN a facilitator sets.
- **All or nothing**: the admin view imports with transactions and rolls back when any row
  is invalid, so a bad row means nothing is saved.

Problems are raised as ``RosterError`` with a code and parameters, not as sentences: the
admin (reports/roster.py) words them in the admin's language, and column labels for the
export are passed in by the caller, so this module holds no interface strings.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, resources, widgets
from wagtail.log_actions import get_active_log_context, log
from wagtail.log_actions import registry as log_registry

from core.spreadsheets import SpreadsheetError, column_letter, read_sheet
from core.text import clean_text as text_policy_clean
from core.text import fold
from courses.models import ProgrammePage

from .models import ArtisanProfile, Cohort, CommunityCentre
from .services import artisan_account_create

MAX_BYTES = 4_000_000
MAX_ROWS = 10_000
ROW = "__row__"  # the row number in the sheet, carried with each data row
COHORT = "__cohort__"  # the resolved Cohort (or None) put on the row before matching
ERRORS = "__errors__"  # problems found before the instance is built

# The canonical columns, in export order.
COLUMNS = (
    "external_id",
    "full_name",
    "preferred_name",
    "preferred_language",
    "centre",
    "municipality",
    "state",
    "cohort",
    "cohort_start_date",
    "programme",
    "consent_given",
    "consent_date",
    "privacy_notice_version",
)
REQUIRED = ("full_name", "cohort")
# Parts of a name some sheets keep in separate columns ("Nombre(s)", "Apellido paterno", ...).
NAME_PARTS = ("given_names", "surname_1", "surname_2")

# Header spellings, compared after removing accents, case and punctuation (see header_key).
HEADER_ALIASES = {
    "external_id": (
        "id",
        "id externo",
        "identificador",
        "identificador externo",
        "folio",
        "matricula",
        "no de registro",
        "numero de registro",
        "external id",
        "externalid",
        "participant id",
        "record id",
    ),
    "full_name": (
        "nombre completo",
        "nombre y apellidos",
        "nombre de la artesana",
        "artesana",
        "full name",
        "name",
        "artisan",
        "artisan name",
    ),
    "given_names": ("nombre", "nombres", "nombre s", "first name", "given name", "given names"),
    "surname_1": ("apellido paterno", "primer apellido", "apellidos", "apellido", "last name", "surname"),
    "surname_2": ("apellido materno", "segundo apellido", "second surname"),
    "preferred_name": (
        "nombre preferido",
        "como le gusta que la llamen",
        "como prefiere que la llamen",
        "apodo",
        "preferred name",
        "nickname",
    ),
    "preferred_language": (
        "idioma",
        "idioma preferido",
        "lengua",
        "lengua materna",
        "lengua indigena",
        "language",
        "preferred language",
        "mother tongue",
    ),
    "centre": (
        "centro",
        "centro comunitario",
        "sede",
        "centre",
        "center",
        "community centre",
        "community center",
    ),
    "centre_fallback": ("comunidad", "localidad", "comunidad de origen", "poblado", "community", "locality"),
    "municipality": ("municipio", "municipality"),
    "state": ("estado", "entidad", "entidad federativa", "state"),
    "cohort": ("grupo", "cohorte", "generacion", "cohort", "group"),
    "programme": ("programa", "programa del grupo", "programme", "program", "cohort programme"),
    "cohort_start_date": (
        "inicio del grupo",
        "fecha de inicio",
        "fecha de inicio del grupo",
        "cohort start",
        "cohort start date",
        "start date",
    ),
    "consent_given": (
        "consentimiento",
        "consentimiento para el tratamiento de datos",
        "acepta el aviso de privacidad",
        "acepta aviso",
        "consent",
        "consent given",
        "consent to data processing",
    ),
    "consent_date": (
        "fecha de consentimiento",
        "fecha del consentimiento",
        "fecha de firma",
        "consent date",
        "date of consent",
    ),
    "privacy_notice_version": (
        "version del aviso",
        "version del aviso de privacidad",
        "aviso de privacidad",
        "privacy notice version",
        "privacy notice",
        "notice version",
    ),
}
_ALIASES = {alias: column for column, aliases in HEADER_ALIASES.items() for alias in aliases}

YES = {"si", "s", "yes", "y", "true", "verdadero", "1", "x", "✓", "✔", "acepta", "acepto", "aceptado", "ok"}
NO = {"no", "n", "false", "falso", "0", "no acepta", "rechaza"}
LANGUAGE_NAMES = {
    "es": {"es", "es mx", "espanol", "castellano", "spanish"},
    "en": {"en", "ingles", "english"},
    "tzo": {"tzo", "tsotsil", "tzotzil", "bats i k op", "batsi k op", "bats ik op", "batsik op"},
    "tzh": {"tzh", "tseltal", "tzeltal", "bats il k op", "batsil k op", "bats ilk op"},
}
MONTHS = {
    "ene": 1,
    "enero": 1,
    "jan": 1,
    "january": 1,
    "feb": 2,
    "febrero": 2,
    "february": 2,
    "mar": 3,
    "marzo": 3,
    "march": 3,
    "abr": 4,
    "abril": 4,
    "apr": 4,
    "april": 4,
    "may": 5,
    "mayo": 5,
    "jun": 6,
    "junio": 6,
    "june": 6,
    "jul": 7,
    "julio": 7,
    "july": 7,
    "ago": 8,
    "agosto": 8,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "septiembre": 9,
    "setiembre": 9,
    "september": 9,
    "oct": 10,
    "octubre": 10,
    "october": 10,
    "nov": 11,
    "noviembre": 11,
    "november": 11,
    "dic": 12,
    "diciembre": 12,
    "dec": 12,
    "december": 12,
}


class RosterError(SpreadsheetError):
    """A problem with the roster or one of its cells, described by a code and parameters.

    ``row`` is the row number as Excel shows it; ``column`` the canonical column name. Problems
    reading the file itself (encoding, size, format) are core.spreadsheets' ``SpreadsheetError``.
    """


# --- Reading the file -------------------------------------------------------------------


@dataclass
class NearDuplicate:
    """A later row for a person already in the sheet, with other values: left out, listed with what differs."""

    row: int
    first_row: int
    differences: list[tuple[str, str, str]]  # (header as written, first row's value, this row's value)


@dataclass
class Roster:
    """A sheet read and mapped to the canonical columns, ready for ``ArtisanResource.import_data``."""

    dataset: tablib.Dataset
    headers: dict[str, str]  # canonical column → header as written in the sheet
    letters: dict[str, str]  # canonical column → spreadsheet column letter
    ignored: list[str] = field(default_factory=list)  # headers this import does not use
    header_row: int = 1
    encoding: str = ""
    merged: list[tuple[int, int]] = field(default_factory=list)  # (first row, exact copy left out)
    near_duplicates: list[NearDuplicate] = field(default_factory=list)


def header_key(text) -> str:
    """A header reduced to letters, digits and single spaces, for looking up HEADER_ALIASES."""
    return " ".join(re.sub(r"[^0-9a-z✓✔]+", " ", fold(str(text or ""))).split())


def _column_for(header) -> str | None:
    key = header_key(header)
    if key in _ALIASES:
        return _ALIASES[key]
    without_hint = header_key(re.sub(r"\(.*?\)|\[.*?\]", " ", str(header or "")))  # "Fecha (dd/mm/aaaa)"
    return _ALIASES.get(without_hint)


def clean_text(value) -> str:
    """A cell as text under the text policy (core.text.clean_text: NFC, no control characters, single
    spaces), without the apostrophe an export put before a formula-like value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = text_policy_clean(value)
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_roster(content: bytes, filename: str = "") -> Roster:
    """Read a CSV or XLSX roster (core.spreadsheets) into canonical columns; SpreadsheetError when it cannot be used."""
    sheet = read_sheet(content, filename=filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    return _map_rows(sheet.rows, sheet.format)


def _map_rows(rows: list[list], encoding: str) -> Roster:
    header_index = None
    for index, row in enumerate(rows[:15]):
        found = {_column_for(cell) for cell in row if not _blank(cell)} - {None}
        if found & {"full_name", "given_names"} and len(found) >= 2:
            header_index = index
            break
    if header_index is None:
        raise RosterError("missing_columns", row=1, columns=list(REQUIRED))
    header_cells = rows[header_index]
    header_row = header_index + 1
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored = []
    for index, cell in enumerate(header_cells):
        if _blank(cell):
            continue
        column = _column_for(cell)
        if column is None:
            ignored.append(clean_text(cell))
            continue
        if column in positions:
            raise RosterError(
                "duplicate_column", row=header_row, column=column, letter=column_letter(index), header=clean_text(cell)
            )
        positions[column] = index
        headers[column] = clean_text(cell)
    # "Comunidad" or "Localidad" names her centre when no column says "Centro"; beside one, it is not read.
    if "centre_fallback" in positions:
        index, header = positions.pop("centre_fallback"), headers.pop("centre_fallback")
        if "centre" in positions:
            ignored.append(header)
        else:
            positions["centre"], headers["centre"] = index, header
    letters = {column: column_letter(index) for column, index in positions.items()}
    compose = "full_name" not in positions and "given_names" in positions
    if compose:
        headers["full_name"] = " + ".join(headers[part] for part in NAME_PARTS if part in headers)
        letters["full_name"] = letters["given_names"]
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        raise RosterError("missing_columns", row=header_row, columns=missing)

    columns = [column for column in COLUMNS if column in headers]
    dataset = tablib.Dataset(headers=[ROW, *columns])
    seen: dict[tuple, tuple[int, tuple]] = {}
    merged: list[tuple[int, int]] = []
    near: list[NearDuplicate] = []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_row + 1):
        if all(_blank(cell) for cell in row):
            continue
        if len(dataset) >= MAX_ROWS:
            raise RosterError("too_many_rows", limit=MAX_ROWS)

        def cell(column, row=row):
            index = positions.get(column)
            return row[index] if index is not None and index < len(row) else None

        values = [offset]
        for column in columns:
            if column == "full_name" and compose:
                values.append(" ".join(clean_text(cell(part)) for part in NAME_PARTS if part in positions))
            else:
                values.append(cell(column))
        if _left_out_as_duplicate(values, columns, seen, merged, near, headers):
            continue
        dataset.append(values)
    for part in NAME_PARTS:
        headers.pop(part, None)
        letters.pop(part, None)
    return Roster(
        dataset=dataset,
        headers=headers,
        letters=letters,
        ignored=ignored,
        header_row=header_row,
        encoding=encoding,
        merged=merged,
        near_duplicates=near,
    )


def _left_out_as_duplicate(values: list, columns: list[str], seen: dict, merged: list, near: list, headers) -> bool:
    """The same person typed twice: an exact copy merges into the first row; a near copy (same name and group,
    no two different ids, other cells differ) is left out and listed with what differs. Either way she is
    imported once, from her first row, and the rest of the file imports."""
    number, cells = values[0], [clean_text(value) for value in values[1:]]
    by_column = dict(zip(columns, cells, strict=True))
    person = tuple(fold(by_column.get(column, "")) for column in ("centre", "cohort", "full_name"))
    if not person[2]:
        return False
    earlier = seen.get(person)
    if earlier is None:
        seen[person] = (number, tuple(cells))
        return False
    first_number, first_cells = earlier
    first = dict(zip(columns, first_cells, strict=True))
    if first.get("external_id") and by_column.get("external_id") and first["external_id"] != by_column["external_id"]:
        return False  # two people with one name, told apart by their ids
    if tuple(cells) == first_cells:
        merged.append((first_number, number))
        return True
    # A later row that only leaves cells blank, or writes them in other capitals or accents, adds
    # nothing: the same person, merged like an exact copy.
    differences = [
        (headers.get(column, column), first.get(column, ""), by_column.get(column, ""))
        for column in columns
        if by_column.get(column, "") and fold(first.get(column, "")) != fold(by_column.get(column, ""))
    ]
    if not differences:
        merged.append((first_number, number))
        return True
    near.append(NearDuplicate(row=number, first_row=first_number, differences=differences))
    return True


# --- Cell values --------------------------------------------------------------------------


def parse_date(value) -> datetime.date | None:
    """A date from an Excel date cell, an Excel serial number, ISO text or dd/mm/yyyy text."""
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's serial days since 1899-12-30
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
        raise RosterError("bad_date", value=str(value))
    text = clean_text(value)
    try:
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.+\-Z]*)?", text):
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        if match := re.fullmatch(
            r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?: [\d:.]+(?: ?[ap]\.? ?m\.?)?)?", text, re.IGNORECASE
        ):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(_full_year(year), month, day)
        words = re.fullmatch(r"(\d{1,2})[\s/\-.]*(?:de\s+)?([^\W\d_]+)\.?[\s/\-.,]*(?:de(?:l)?\s+)?(\d{4}|\d{2})", text)
        if words and fold(words.group(2)) in MONTHS:
            return datetime.date(_full_year(int(words.group(3))), MONTHS[fold(words.group(2))], int(words.group(1)))
    except ValueError:
        pass
    raise RosterError("bad_date", value=text)


def _full_year(year: int) -> int:
    return year if year >= 100 else 2000 + year if year < 70 else 1900 + year


def parse_yes_no(value) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    key = header_key(clean_text(value)) or clean_text(value)
    if key in YES:
        return True
    if key in NO:
        return False
    raise RosterError("bad_yes_no", value=clean_text(value))


def parse_language(value) -> str | None:
    if _blank(value):
        return None
    key = header_key(clean_text(value))
    available = dict(settings.PEOPLE_LANGUAGES)
    for code, names in LANGUAGE_NAMES.items():
        if key in names or key == code:
            if code in available:
                return code
            break
    raise RosterError("bad_language", value=clean_text(value), choices=", ".join(available))


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return clean_text(value)


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_date(value)


class ConsentDateWidget(widgets.Widget):
    """A consent date is a day in the sheet; it is stored as that day's midnight, local time."""

    def clean(self, value, row=None, **kwargs):
        day = parse_date(value)
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_yes_no(value)


class LanguageWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_language(value)


# --- The resource ------------------------------------------------------------------------------

# Columns that are attributes of ArtisanProfile; the others describe its cohort and centre.
PROFILE_COLUMNS = (
    "external_id",
    "full_name",
    "preferred_name",
    "preferred_language",
    "consent_given",
    "consent_date",
    "privacy_notice_version",
)


class ArtisanResource(resources.ModelResource):
    """Artisans with their cohort and centre, one row each. See the module docstring for the rules.

    ``labels`` (canonical column → header) name the exported columns; the admin passes
    them translated. Pass ``user`` to ``import_data`` to record who imported in Wagtail's log.
    """

    external_id = fields.Field(attribute="external_id", column_name="external_id", widget=TextWidget())
    full_name = fields.Field(attribute="full_name", column_name="full_name", widget=TextWidget())
    preferred_name = fields.Field(attribute="preferred_name", column_name="preferred_name", widget=TextWidget())
    preferred_language = fields.Field(
        attribute="preferred_language", column_name="preferred_language", widget=LanguageWidget()
    )
    centre = fields.Field(attribute="cohort__centre__name", column_name="centre", readonly=True)
    municipality = fields.Field(attribute="cohort__centre__municipality", column_name="municipality", readonly=True)
    state = fields.Field(attribute="cohort__centre__state", column_name="state", readonly=True)
    cohort = fields.Field(attribute="cohort__name", column_name="cohort", readonly=True)
    cohort_start_date = fields.Field(attribute="cohort__start_date", column_name="cohort_start_date", readonly=True)
    programme = fields.Field(attribute="cohort__programme__title", column_name="programme", readonly=True)
    consent_given = fields.Field(attribute="consent_given", column_name="consent_given", widget=YesNoWidget())
    consent_date = fields.Field(attribute="consent_date", column_name="consent_date", widget=ConsentDateWidget())
    privacy_notice_version = fields.Field(
        attribute="privacy_notice_version", column_name="privacy_notice_version", widget=TextWidget()
    )

    class Meta:
        model = ArtisanProfile
        fields = COLUMNS
        export_order = COLUMNS
        import_id_fields = ("full_name",)  # matching is done by get_instance below
        skip_unchanged = True
        report_skipped = True
        skip_diff = True
        store_instance = True
        store_row_values = True
        use_transactions = True

    def __init__(self, *, labels: dict[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.labels = labels or {}
        self._reset()

    def _reset(self):
        self.created_centres: list[CommunityCentre] = []
        self.created_cohorts: list[Cohort] = []
        self.changes: dict[int, list[tuple[str, object, object]]] = {}  # sheet row → (column, old, new)
        self._centres: dict[str, CommunityCentre] = {}
        self._cohorts: dict[tuple[int, str], Cohort] = {}
        self._cohorts_by_name: dict[str, list[Cohort]] = {}
        self._programmes: dict[str, list[ProgrammePage]] = {}
        self._first_programme: ProgrammePage | None = None
        self._by_external: dict[str, ArtisanProfile] = {}
        self._by_name: dict[tuple[int, str], list[ArtisanProfile]] = {}
        self._seen_external: dict[str, int] = {}
        self._seen_names: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
        self._artisan_logs: list[tuple[ArtisanProfile, str, dict]] = []

    # -- export ----------------------------------------------------------------------------

    def get_queryset(self):
        return ArtisanProfile.objects.select_related("cohort__centre", "cohort__programme").order_by(
            "cohort__centre__name", "cohort__name", "full_name", "pk"
        )

    def get_export_headers(self, selected_fields=None):
        return [self.labels.get(field.column_name, field.column_name) for field in self.get_export_fields()]

    def export_field(self, field, instance, **kwargs):
        """Plain Python values (text, dates, booleans): the caller formats them for CSV or XLSX."""
        value = field.get_value(instance)
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).date()
        return "" if value is None else value

    # -- import ----------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Load programmes, centres, cohorts and artisans once (4 queries), so each row is matched in memory."""
        self._reset()
        for programme in (
            ProgrammePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path")
        ):
            self._programmes.setdefault(fold(programme.title), []).append(programme)
            self._first_programme = self._first_programme or programme
        for centre in CommunityCentre.objects.all():
            self._centres[fold(centre.name)] = centre
        for cohort in Cohort.objects.select_related("centre"):
            self._remember_cohort(cohort)
        for profile in ArtisanProfile.objects.select_related("cohort__centre", "user"):
            if profile.external_id:
                self._by_external[profile.external_id] = profile
            self._by_name.setdefault((profile.cohort_id, fold(profile.full_name)), []).append(profile)

    def _remember_cohort(self, cohort: Cohort):
        self._cohorts[(cohort.centre_id, fold(cohort.name))] = cohort
        self._cohorts_by_name.setdefault(fold(cohort.name), []).append(cohort)

    def before_import_row(self, row, **kwargs):
        """Resolve the cohort (creating it and its centre when needed) and catch duplicate rows."""
        errors: dict[str, list[ValidationError]] = {}
        row[COHORT] = None
        try:
            row[COHORT] = self._resolve_cohort(row, using_user=kwargs.get("user"), dry_run=kwargs.get("dry_run"))
        except RosterError as error:
            errors.setdefault(error.column or "cohort", []).append(_as_validation_error(error))
        duplicate = self._duplicate_of(row)
        if duplicate:
            errors.setdefault(duplicate.column, []).append(_as_validation_error(duplicate))
        row[ERRORS] = errors

    def _resolve_cohort(self, row, *, using_user=None, dry_run=True) -> Cohort:
        cohort_name = clean_text(row.get("cohort"))
        centre_name = clean_text(row.get("centre"))
        if not cohort_name:
            raise RosterError("required", column="cohort")
        if not centre_name:
            matches = self._cohorts_by_name.get(fold(cohort_name), [])
            if len(matches) == 1:
                self._check_programme(row, matches[0])
                return matches[0]
            if not matches:
                raise RosterError("unknown_cohort", column="cohort", cohort=cohort_name)
            raise RosterError(
                "ambiguous_cohort",
                column="cohort",
                cohort=cohort_name,
                centres=", ".join(sorted(cohort.centre.name for cohort in matches)),
            )
        centre = self._centres.get(fold(centre_name))
        if centre is None:
            municipality = clean_text(row.get("municipality"))
            if not municipality:
                raise RosterError("centre_needs_municipality", column="municipality", centre=centre_name)
            centre = CommunityCentre(
                name=centre_name, municipality=municipality, state=clean_text(row.get("state")) or "Chiapas"
            )
            _full_clean(centre, column="centre")
            centre.save()
            self._centres[fold(centre.name)] = centre
            self.created_centres.append(centre)
            self._log(centre, "wagtail.create", using_user, dry_run)
        cohort = self._cohorts.get((centre.pk, fold(cohort_name)))
        if cohort is None:
            try:
                start = parse_date(row.get("cohort_start_date"))
            except RosterError as error:
                error.column = "cohort_start_date"
                raise
            cohort = Cohort(
                centre=centre,
                name=cohort_name,
                start_date=start or timezone.localdate(),
                programme=self._programme_for_new_cohort(row),
            )
            _full_clean(cohort, column="cohort")
            cohort.save()
            self._remember_cohort(cohort)
            self.created_cohorts.append(cohort)
            self._log(cohort, "wagtail.create", using_user, dry_run)
        else:
            self._check_programme(row, cohort)
        return cohort

    def _named_programme(self, row) -> ProgrammePage | None:
        """The programme the row's `Programa` cell names (title, accents and case folded: core.text), or None."""
        name = clean_text(row.get("programme"))
        if not name:
            return None
        matches = self._programmes.get(fold(name), [])
        if len(matches) != 1:
            raise RosterError("unknown_programme", column="programme", programme=name)
        return matches[0]

    def _programme_for_new_cohort(self, row) -> ProgrammePage:
        """A new cohort takes the programme its row names, else the home programme (the first: the six
        workshops), as sheets without a programme column always meant; the preview names it."""
        named = self._named_programme(row)
        if named is not None:
            return named
        if self._first_programme is None:
            raise RosterError("programme_needed", column="programme", cohort=clean_text(row.get("cohort")))
        return self._first_programme

    def _check_programme(self, row, cohort: Cohort) -> None:
        """An existing cohort keeps its programme: a row naming another one is refused."""
        named = self._named_programme(row)
        if named is not None and cohort.programme_id != named.pk:
            raise RosterError("other_programme", column="programme", cohort=cohort.name, programme=named.title)

    def _duplicate_of(self, row) -> RosterError | None:
        """Two rows for one person: the same external id, or the same name and cohort when one has no id."""
        number = row[ROW]
        external_id = clean_text(row.get("external_id"))
        if external_id:
            if external_id in self._seen_external:
                return RosterError("duplicate_row", column="external_id", other=self._seen_external[external_id])
            self._seen_external[external_id] = number
        name_key = (
            fold(clean_text(row.get("centre"))),
            fold(clean_text(row.get("cohort"))),
            fold(clean_text(row.get("full_name"))),
        )
        earlier = self._seen_names.setdefault(name_key, [])
        for other_number, other_id in earlier:
            if not external_id or not other_id:
                return RosterError("duplicate_row", column="full_name", other=other_number)
        earlier.append((number, external_id))
        return None

    def get_instance(self, instance_loader, row):
        cohort = row.get(COHORT)
        external_id = clean_text(row.get("external_id"))
        if external_id and external_id in self._by_external:
            return self._by_external[external_id]
        if cohort is None:
            return None
        same_name = self._by_name.get((cohort.pk, fold(clean_text(row.get("full_name")))), [])
        if external_id:
            return next((profile for profile in same_name if not profile.external_id), None)
        if len(same_name) > 1:
            row[ERRORS].setdefault("full_name", []).append(
                _as_validation_error(RosterError("ambiguous_name", column="full_name"))
            )
        return same_name[0] if same_name else None

    def import_instance(self, instance, row, **kwargs):
        """Set the profile's fields from the row; blank cells keep what is stored."""
        errors = dict(row.get(ERRORS) or {})
        new = instance.pk is None
        before = {column: getattr(instance, column) for column in PROFILE_COLUMNS}
        before_cohort = instance.cohort if instance.cohort_id else None
        if row.get(COHORT) is not None:
            instance.cohort = row[COHORT]
        for column in PROFILE_COLUMNS:
            if column not in row or column in errors:
                continue
            try:
                value = self.fields[column].clean(row)
            except RosterError as error:
                error.column = column
                errors[column] = [_as_validation_error(error)]
                continue
            if value is None or value == "":
                continue
            setattr(instance, column, value)
        if new:
            if not instance.preferred_name and instance.full_name:
                instance.preferred_name = instance.full_name.split()[0]
            if not instance.full_name and "full_name" not in errors:
                errors["full_name"] = [_as_validation_error(RosterError("required", column="full_name"))]
        if instance.consent_given and instance.consent_date is None and not before["consent_given"]:
            instance.consent_date = timezone.now()  # consent recorded now, by this import
        if errors:
            raise ValidationError(errors)
        if not new:
            changes = [
                (column, before[column], getattr(instance, column))
                for column in PROFILE_COLUMNS
                if before[column] != getattr(instance, column)
            ]
            if before_cohort is not None and before_cohort.pk != instance.cohort_id:
                changes.append(("cohort", str(before_cohort), str(instance.cohort)))
            self.changes[row[ROW]] = changes

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged: an existing artisan whose row changes none of her fields nor her cohort."""
        if import_validation_errors or instance.pk is None:
            return False
        return not self.changes.get(row[ROW])

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own validation too, except for the account (created on save) and the cohort (found or
        created by this import, so it exists)."""
        errors = dict(import_validation_errors or {})
        try:
            # The one constraint (a unique external id) is checked in memory against every stored id
            # (before_import) and the sheet's own rows (_duplicate_of); the database still enforces it.
            # Django would run two queries per row for it: a 10,000-row sheet would not preview in time.
            instance.full_clean(
                exclude=[*errors, "user", "cohort"], validate_unique=validate_unique, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """A dry run (the preview) saves no artisan and makes no account: everything a row can be refused
        for was checked already (cells, the model's validation, ids in memory), and the dry run is rolled
        back anyway. Five queries a row less: a 10,000-row preview is then reading, not writing."""
        if kwargs.get("dry_run"):
            self.after_save_instance(instance, row, **kwargs)
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.user_id is None:  # a new artisan: her account, made as every artisan's is
            instance.user = artisan_account_create(preferred_name=instance.preferred_name)

    def after_save_instance(self, instance, row, **kwargs):
        new = row.get(ROW) not in self.changes
        data = {"source": "roster import"}
        if not new:
            data["fields"] = [column for column, _old, _new in self.changes[row[ROW]]]
        if not kwargs.get("dry_run"):  # written together at the end of the import (after_import)
            self._artisan_logs.append((instance, "wagtail.create" if new else "wagtail.edit", data))
        self._by_name.setdefault((instance.cohort_id, fold(instance.full_name)), [])
        if instance not in self._by_name[(instance.cohort_id, fold(instance.full_name))]:
            self._by_name[(instance.cohort_id, fold(instance.full_name))].append(instance)

    def after_import(self, dataset, result, **kwargs):
        """Each artisan created or changed, in Wagtail's log as ``log()`` writes it, in one bulk insert: one
        ``log()`` a row was a query to validate and one to insert, 40 % of a 10,000-row confirmation."""
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or not self._artisan_logs:
            return
        log_registry.scan_for_actions()
        model = log_registry.get_log_model_for_model(ArtisanProfile)
        if model is None:
            return
        content_type = ContentType.objects.get_for_model(ArtisanProfile, for_concrete_model=False)
        context, now = get_active_log_context(), timezone.now()
        user = kwargs.get("user") or context.user
        model.objects.bulk_create(
            [
                model(
                    content_type=content_type,
                    label=model.objects.get_instance_title(instance),
                    action=action,
                    timestamp=now,
                    data=data,
                    user=user,
                    uuid=context.uuid,
                    object_id=str(instance.pk),
                )
                for instance, action, data in self._artisan_logs
            ],
            batch_size=500,
        )
        self._artisan_logs = []

    def _log(self, instance, action, user, dry_run, data=None):
        """Who changed what, in Wagtail's log; a dry run is rolled back, so it logs nothing."""
        if not dry_run:
            log(instance, action, user=user, data=data or {"source": "roster import"})

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ):
        """All or nothing: any invalid row rolls the whole import back (unlike the library's default)."""
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )


def _full_clean(instance, *, column: str):
    try:
        instance.full_clean()
    except ValidationError as error:
        raise RosterError("invalid", column=column, messages=error.messages) from None


def _as_validation_error(error: RosterError) -> ValidationError:
    return ValidationError(f"roster.{error.code}", code=f"roster.{error.code}", params=error.params)
