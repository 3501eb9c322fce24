"""The roster import on the sheets programme staff really send, and on the bad ones."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from people.models import ArtisanProfile, Cohort, CommunityCentre, User
from reports.labels import column_labels
from reports.services import roster_import
from tests import factories
from tests.reports.sheets import ENGLISH_HEADER, SPANISH_HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    ["HX-001", "  María  Pérez Gómez ", "Mari", "Huixtán", "Huixtán", "Grupo Bordadoras", "Sí", "15/03/2026", "v1.2"],
    [],
    ["HX-002", "Juana Díaz López", "", "Huixtán ", "Huixtán", "grupo bordadoras", "x", "", "v1.2"],
    ["", "Rosa Hernández Ñuñez", "Rosi", "HUIXTAN", "Huixtán", "Grupo Bordadoras", "no", "", ""],
    ["  ", "", "", "", "", "", "", "", ""],
]


def counts():
    return (
        ArtisanProfile.objects.count(),
        User.objects.count(),
        Cohort.objects.count(),
        CommunityCentre.objects.count(),
    )


def run(content, filename="roster.csv", *, user=None, dry_run=False, language="es"):
    with translation.override(language):
        return roster_import(content=content, filename=filename, user=user, dry_run=dry_run)


def test_excel_csv_in_windows_1252_with_semicolons_accents_spaces_and_blank_rows(admin_user):
    content = csv_bytes([SPANISH_HEADER, *ROWS], encoding="cp1252", delimiter=";")
    before = counts()
    preview = run(content, user=admin_user, dry_run=True)
    assert preview.ok, preview.errors
    assert preview.encoding == "cp1252"
    assert preview.totals == {"new": 3, "update": 0, "skip": 0, "invalid": 0}
    assert [row.row for row in preview.rows] == [2, 4, 5]  # blank rows skipped, sheet numbering kept
    assert preview.created_centres == ["Huixtán"] and preview.created_cohorts == ["Grupo Bordadoras (Huixtán)"]
    assert counts() == before, "a dry run saves nothing"

    outcome = run(content, user=admin_user)
    assert outcome.ok, outcome.errors
    assert counts() == (before[0] + 3, before[1] + 3, before[2] + 1, before[3] + 1)
    maria = ArtisanProfile.objects.select_related("user", "cohort__centre").get(external_id="HX-001")
    assert maria.full_name == "María Pérez Gómez"  # spaces trimmed and collapsed, accents intact
    assert maria.preferred_name == "Mari"
    assert maria.consent_given is True
    assert timezone.localtime(maria.consent_date).date() == datetime.date(2026, 3, 15)
    assert maria.privacy_notice_version == "v1.2"
    assert maria.cohort.centre.municipality == "Huixtán"
    juana = ArtisanProfile.objects.get(external_id="HX-002")
    assert juana.preferred_name == "Juana"  # blank preferred name: her first name
    assert juana.cohort_id == maria.cohort_id  # "grupo bordadoras" and "Huixtán " are the same cohort
    assert juana.consent_given and juana.consent_date is not None  # consent with no date: the import's day
    rosa = ArtisanProfile.objects.get(full_name="Rosa Hernández Ñuñez")
    assert rosa.consent_given is False and rosa.external_id == ""


def test_accounts_created_by_import_have_generated_usernames_and_no_usable_password(admin_user):
    sheet = [SPANISH_HEADER + ["Usuario"], ["HX-9", "Admin Root", "", "Huixtán", "Huixtán", "G1", "sí", "", "", "root"]]
    run(csv_bytes(sheet), user=admin_user)
    profile = ArtisanProfile.objects.select_related("user").get(external_id="HX-9")
    assert re.fullmatch(r"artesana-[0-9a-f]{12}", profile.user.username)  # never from the sheet nor her name
    assert profile.user.first_name == profile.preferred_name == "Admin"  # as the admin's "add artisan" makes it
    assert not profile.user.has_usable_password()
    assert not profile.user.is_staff and not profile.user.is_superuser
    admin_user.refresh_from_db()
    assert not hasattr(admin_user, "artisan") or admin_user.artisan is None


def test_csv_utf8_with_bom_and_english_headers(admin_user):
    sheet = [
        ENGLISH_HEADER,
        [
            "A-1",
            "Xóchitl Gómez",
            "Xochi",
            "San Cristóbal",
            "San Cristóbal de las Casas",
            "Cohort 1",
            "yes",
            "2026-02-01",
            "2",
        ],
    ]
    outcome = run(csv_bytes(sheet, bom=True), user=admin_user, language="en")
    assert outcome.ok, outcome.errors
    assert outcome.encoding == "utf-8-sig"
    profile = ArtisanProfile.objects.get(external_id="A-1")
    assert profile.full_name == "Xóchitl Gómez"
    assert timezone.localtime(profile.consent_date).date() == datetime.date(2026, 2, 1)


def test_unicode_text_from_excel_utf16_tab_separated(admin_user):
    sheet = [ENGLISH_HEADER, ["U-1", "Petrona López", "", "Oxchuc", "Oxchuc", "Tejedoras", "yes", "01/02/2026", ""]]
    content = "\ufeff".encode("utf-16-le") + csv_bytes(sheet, delimiter="\t").decode().encode("utf-16-le")
    outcome = run(content, "roster.txt", user=admin_user)
    assert outcome.ok, outcome.errors
    assert ArtisanProfile.objects.filter(full_name="Petrona López").exists()


def test_xlsx_with_date_cells_a_title_above_and_split_name_columns(admin_user):
    header = [
        "Folio",
        "Nombre(s)",
        "Apellido paterno",
        "Apellido materno",
        "Centro",
        "Municipio",
        "Grupo",
        "Inicio del grupo",
        "Consentimiento",
        "Fecha de consentimiento (dd/mm/aaaa)",
        "Teléfono",
    ]
    rows = [
        header,
        [
            1023,
            "María José",
            "Santiz",
            "Gómez",
            "Huixtán",
            "Huixtán",
            "Grupo 2026",
            datetime.date(2026, 1, 12),
            True,
            datetime.datetime(2026, 1, 20),
            "9671234567",
        ],
        [None] * len(header),
        [1024, "Andrea", "López", None, "Huixtán", "Huixtán", "Grupo 2026", None, "SI", 46045, None],
    ]
    content = xlsx_bytes(rows, title="Padrón de artesanas 2026")
    outcome = run(content, "Padrón.xlsx", user=admin_user)
    assert outcome.ok, outcome.errors
    assert outcome.encoding == "xlsx"
    assert outcome.ignored_columns == ["Teléfono"]  # data Telar does not need is not imported
    maria = ArtisanProfile.objects.select_related("cohort").get(external_id="1023")
    assert maria.full_name == "María José Santiz Gómez"
    assert maria.cohort.start_date == datetime.date(2026, 1, 12)
    assert timezone.localtime(maria.consent_date).date() == datetime.date(2026, 1, 20)
    andrea = ArtisanProfile.objects.get(external_id="1024")
    assert andrea.full_name == "Andrea López"
    assert timezone.localtime(andrea.consent_date).date() == datetime.date(2026, 1, 23)  # serial 46045


def test_importing_the_same_sheet_again_changes_nothing(admin_user):
    content = csv_bytes([SPANISH_HEADER, *ROWS], encoding="cp1252", delimiter=";")
    run(content, user=admin_user)
    before = counts()
    profiles = {p.pk: (p.full_name, p.user_id, p.consent_date) for p in ArtisanProfile.objects.all()}
    again = run(content, user=admin_user)
    assert again.ok
    assert again.totals == {"new": 0, "update": 0, "skip": 3, "invalid": 0}
    assert counts() == before
    assert {p.pk: (p.full_name, p.user_id, p.consent_date) for p in ArtisanProfile.objects.all()} == profiles


def test_reimport_updates_by_external_id_and_by_name_within_the_cohort(admin_user):
    run(csv_bytes([SPANISH_HEADER, *ROWS]), user=admin_user)
    changed = [
        SPANISH_HEADER,
        # HX-001 moves to a new cohort and gets a corrected name
        [
            "HX-001",
            "María Pérez Gómez de López",
            "Mari",
            "Huixtán",
            "Huixtán",
            "Grupo Tarde",
            "Sí",
            "15/03/2026",
            "v1.3",
        ],
        # Rosa has no id: found by her name, written without accents and in capitals
        ["R-77", "ROSA HERNANDEZ NUÑEZ", "Rosi", "Huixtán", "Huixtán", "Grupo Bordadoras", "sí", "01/04/2026", ""],
    ]
    before = ArtisanProfile.objects.count()
    preview = run(csv_bytes(changed), user=admin_user, dry_run=True)
    assert preview.totals["update"] == 2 and preview.totals["new"] == 0
    assert "Grupo Tarde" in preview.rows[0].changes
    outcome = run(csv_bytes(changed), user=admin_user)
    assert outcome.ok, outcome.errors
    assert ArtisanProfile.objects.count() == before
    maria = ArtisanProfile.objects.get(external_id="HX-001")
    assert maria.cohort.name == "Grupo Tarde" and maria.privacy_notice_version == "v1.3"
    rosa = ArtisanProfile.objects.get(external_id="R-77")  # adopted the id she did not have
    assert rosa.consent_given is True
    assert rosa.privacy_notice_version == ""  # blank cell: kept (it was blank)


def test_blank_cells_never_erase_what_is_stored(admin_user):
    run(csv_bytes([SPANISH_HEADER, ROWS[0]]), user=admin_user)
    sheet = [SPANISH_HEADER, ["HX-001", "María Pérez Gómez", "", "Huixtán", "", "Grupo Bordadoras", "", "", ""]]
    outcome = run(csv_bytes(sheet), user=admin_user)
    assert outcome.totals["skip"] == 1
    maria = ArtisanProfile.objects.get(external_id="HX-001")
    assert maria.preferred_name == "Mari" and maria.consent_given and maria.privacy_notice_version == "v1.2"


def test_import_is_logged_with_who_did_it(admin_user):
    from wagtail.models import ModelLogEntry

    run(csv_bytes([SPANISH_HEADER, *ROWS]), user=admin_user)
    maria = ArtisanProfile.objects.get(external_id="HX-001")
    entry = ModelLogEntry.objects.get(
        object_id=str(maria.pk), action="wagtail.create", content_type__model="artisanprofile"
    )
    assert entry.user == admin_user and entry.data["source"] == "roster import"
    assert ModelLogEntry.objects.filter(action="wagtail.create", content_type__model="cohort").exists()
    # a dry run logs nothing
    n = ModelLogEntry.objects.count()
    run(
        csv_bytes([SPANISH_HEADER, ["HX-5", "Ana Ruiz", "", "Huixtán", "", "Grupo Bordadoras", "", "", ""]]),
        user=admin_user,
        dry_run=True,
    )
    assert ModelLogEntry.objects.count() == n


def test_every_export_header_is_read_back_in_both_languages():
    from people.resources import _column_for

    for language in ("es", "en"):
        with translation.override(language):
            for column, label in column_labels().items():
                assert _column_for(label) == column, (language, label)


# --- Bad input: a message naming the row and the column, and nothing saved ------------------------


def assert_refused(outcome, *fragments, before):
    assert not outcome.ok
    text = " ".join([outcome.file_error, *outcome.errors])
    for fragment in fragments:
        assert fragment in text, (fragment, text)
    assert counts() == before


def test_a_file_mixing_encodings_is_refused_naming_row_and_column(admin_user):
    good = csv_bytes([SPANISH_HEADER, ROWS[0]], encoding="utf-8")
    bad = "HX-3,Cecilia Gómez,,Huixtán,Huixtán,Grupo Bordadoras,sí,,\r\n".encode("cp1252")
    before = counts()
    outcome = run(good + bad, user=admin_user)
    assert_refused(outcome, "Fila 3, columna B", "CSV UTF-8", before=before)
    outcome = run(good + bad, user=admin_user, language="en")
    assert_refused(outcome, "Row 3, column B", "CSV UTF-8", before=before)


def test_bytes_that_are_not_text_are_refused(admin_user):
    before = counts()
    outcome = run("Nombre completo,Grupo\r\n".encode("utf-16-le"), user=admin_user)  # UTF-16 without its BOM
    assert_refused(outcome, "Fila 1", before=before)
    assert_refused(
        run(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", user=admin_user), ".xlsx", before=before
    )
    assert_refused(run(b"PK\x03\x04not really a workbook", "x.xlsx", user=admin_user), "CSV o XLSX", before=before)
    assert_refused(run(b"", user=admin_user), "vacío", before=before)


def test_missing_required_columns_are_named(admin_user):
    before = counts()
    outcome = run(csv_bytes([["Nombre completo", "Centro"], ["Ana", "Huixtán"]]), user=admin_user)
    assert_refused(outcome, "Fila 1", "«Grupo»" if False else "“Grupo”", before=before)
    outcome = run(csv_bytes([["Nombre completo", "Centro"], ["Ana", "Huixtán"]]), user=admin_user, language="en")
    assert_refused(outcome, "Row 1", "“Cohort”", before=before)


def test_unknown_and_ambiguous_cohorts_without_a_centre_column(admin_user):
    factories.CohortFactory(centre__name="Huixtán", name="Grupo A")
    factories.CohortFactory(centre__name="Oxchuc", name="Grupo A")
    factories.CohortFactory(centre__name="Oxchuc", name="Grupo B")
    before = counts()
    sheet = [["Nombre completo", "Grupo"], ["Ana Ruiz", "Grupo B"], ["Eva Ruiz", "Grupo Z"], ["Luz Ruiz", "Grupo A"]]
    outcome = run(csv_bytes(sheet), user=admin_user)
    assert_refused(
        outcome,
        "Fila 3, columna B (Grupo): No existe el grupo “Grupo Z”",
        "Fila 4, columna B (Grupo)",
        "Huixtán, Oxchuc",
        before=before,
    )
    assert outcome.totals["new"] == 1 and outcome.totals["invalid"] == 2  # the good row is shown, not saved


def test_one_id_for_two_different_people_is_refused(admin_user):
    before = counts()
    sheet = [
        SPANISH_HEADER,
        ROWS[0],
        ["HX-001", "Otra Persona", "", "Huixtán", "Huixtán", "Grupo Bordadoras", "", "", ""],
    ]
    outcome = run(csv_bytes(sheet), user=admin_user)
    assert_refused(outcome, "Fila 3, columna A (ID)", "fila 2", before=before)


def test_an_exact_duplicate_row_merges_with_a_warning_naming_both_rows(admin_user):
    sheet = [SPANISH_HEADER, ROWS[0], ROWS[2], ROWS[0]]
    outcome = run(csv_bytes(sheet), user=admin_user)
    assert outcome.ok, outcome.errors
    assert outcome.totals["new"] == 2
    assert ArtisanProfile.objects.filter(full_name="María Pérez Gómez").count() == 1
    assert any("2" in warning and "4" in warning and "misma persona" in warning for warning in outcome.warnings)
    assert not any("Nombre preferido" in error for error in outcome.errors)  # no spurious "preferred name" error


def test_a_near_duplicate_is_listed_with_what_differs_and_the_rest_imports(admin_user):
    sheet = [
        SPANISH_HEADER,
        ROWS[2],
        ROWS[3],
        ["", "Juana  Díaz López", "Juanita", "Huixtán", "Huixtán", "Grupo Bordadoras", "", "", ""],
    ]
    preview = run(csv_bytes(sheet), user=admin_user, dry_run=True)
    assert preview.ok, preview.errors
    (warning,) = preview.warnings
    assert "fila 4" in warning and "fila 2" in warning and "Juanita" in warning and "Nombre preferido" in warning
    assert "Grupo" not in warning.split("(", 1)[1]  # "grupo bordadoras" is the same group, not a difference
    outcome = run(csv_bytes(sheet), user=admin_user)
    assert outcome.ok and outcome.totals["new"] == 2
    juana = ArtisanProfile.objects.get(full_name="Juana Díaz López")
    assert juana.external_id == "HX-002"  # her first row


def test_unreadable_dates_yes_no_and_languages(admin_user):
    before = counts()
    sheet = [
        SPANISH_HEADER + ["Idioma"],
        ["HX-1", "Ana Ruiz", "", "Huixtán", "Huixtán", "G", "tal vez", "31/02/2026", "", "francés"],
        ["HX-2", "Eva Ruiz", "", "Huixtán", "Huixtán", "G", "sí", "marzo", "", "inglés"],
    ]
    outcome = run(csv_bytes(sheet), user=admin_user)
    assert_refused(
        outcome,
        "Fila 2, columna G (Consentimiento): “tal vez” no es sí o no",
        "Fila 2, columna H (Fecha de consentimiento): “31/02/2026” no es una fecha",
        "Fila 2, columna J (Idioma)",
        "Fila 3, columna H (Fecha de consentimiento): “marzo”",
        before=before,
    )
    outcome = run(csv_bytes(sheet), user=admin_user, language="en")
    assert "Row 2, column H (Fecha de consentimiento): “31/02/2026” is not a date" in " ".join(outcome.errors)


def test_a_new_centre_needs_its_municipality(admin_user):
    before = counts()
    sheet = [["Nombre completo", "Centro", "Grupo"], ["Ana Ruiz", "Tenejapa", "Grupo 1"]]
    outcome = run(csv_bytes(sheet), user=admin_user)
    assert_refused(outcome, "Fila 2", "Tenejapa", "Municipio", before=before)


def test_too_long_values_use_the_models_own_validation(admin_user):
    before = counts()
    sheet = [["Nombre completo", "Centro", "Municipio", "Grupo"], ["A" * 250, "Huixtán", "Huixtán", "G"]]
    outcome = run(csv_bytes(sheet), user=admin_user)
    assert_refused(outcome, "Fila 2, columna A (Nombre completo)", "200", before=before)


def test_dates_in_every_shape_staff_type_them():
    from people.resources import RosterError, parse_date

    expected = datetime.date(2026, 3, 5)
    for value in [
        "05/03/2026",
        "5/3/26",
        "05-03-2026",
        "5.3.2026",
        "2026-03-05",
        "2026-03-05 00:00:00",
        "5 de marzo de 2026",
        "5-mar-26",
        "05/03/2026 00:00",
        datetime.datetime(2026, 3, 5, 0, 0),
        expected,
        46086,
        46086.0,
    ]:
        assert parse_date(value) == expected, value
    for value in ["2026-13-01", "32/01/2026", "03/15/2026", "ayer", "5 de smarch 2026"]:
        with pytest.raises(RosterError):
            parse_date(value)


MESSY_HEADER = [
    "No. de registro ",
    "NOMBRE(S)",
    "Apellido Paterno",
    "Apellido materno",
    "Comunidad",
    "Municipio",
    "Cohorte",
    "Teléfono",
    "Lengua",
    "Consentimiento",
    "Fecha de consentimiento",
]
MESSY_ROWS = [
    ["1", "María Guadalupe ", "Pérez", "Gómez", "Huixtán", "Huixtán", "Grupo Bordadoras", "967 123 4567", "tzo", "SI"],
    [],
    ["2", "Loxaʼ", "Hernández", "Santiz", "Huixtán", "Huixtán", "Grupo Bordadoras", "", "Tsotsil", "x", "03/02/2026"],
    ["3", "Xunkaʼ", "López", "", "Huixtán", "Huixtán", "Grupo Bordadoras", "", "tseltal", "sí"],
    ["4", "Petrona", "Ñuñez", "Díaz", "huixtan ", "Huixtán", "grupo bordadoras", "", "Español", "no"],
    ["3", "Xunkaʼ", "López", "", "Huixtán", "Huixtán", "Grupo Bordadoras", "", "tseltal", "sí"],
]


@pytest.mark.parametrize("kind", ["cp1252-semicolons", "xlsx"])
def test_a_sheet_as_staff_keep_it_imports_and_reimporting_changes_nothing(admin_user, kind):
    """Comunidad for the centre, split surnames, a phone column, Tsotsil and Tseltal, sí/SI/x, a duplicate."""
    factories.CohortFactory(centre__name="Huixtán", name="Grupo Bordadoras")
    if kind == "xlsx":
        rows = [row[:] for row in MESSY_ROWS]
        rows[2][10] = datetime.date(2026, 2, 3)
        content, filename = xlsx_bytes([MESSY_HEADER, *rows]), "padrón.xlsx"
    else:
        rows = [row for row in MESSY_ROWS if "ʼ" not in "".join(row)]  # cp1252 has no saltillo
        content, filename = csv_bytes([MESSY_HEADER, *rows], encoding="cp1252", delimiter=";"), "padron.csv"
    outcome = run(content, filename, user=admin_user)
    assert outcome.ok, outcome.errors
    assert "Teléfono" in outcome.ignored_columns
    maria = ArtisanProfile.objects.get(external_id="1")
    assert maria.full_name == "María Guadalupe Pérez Gómez"
    assert maria.preferred_language == "tzo" and maria.consent_given
    assert maria.cohort.centre.name == "Huixtán"
    assert maria.interface_language == "es"  # no Tsotsil catalogue yet: she reads Spanish
    assert ArtisanProfile.objects.get(external_id="4").full_name == "Petrona Ñuñez Díaz"
    if kind == "xlsx":
        loxa = ArtisanProfile.objects.get(external_id="2")
        assert loxa.full_name == "Loxaʼ Hernández Santiz" and loxa.preferred_language == "tzo"
        assert loxa.consent_date.date() == datetime.date(2026, 2, 3)
        assert ArtisanProfile.objects.get(external_id="3").preferred_language == "tzh"
        assert outcome.warnings  # the row typed twice
    before = counts()
    again = run(content, filename, user=admin_user)
    assert again.ok and again.totals["new"] == 0 and again.totals["update"] == 0
    assert counts() == before


def test_comunidad_beside_a_centre_column_is_not_read(admin_user):
    header = [*SPANISH_HEADER, "Comunidad"]
    outcome = run(csv_bytes([header, [*ROWS[0], "San Andrés"]]), user=admin_user)
    assert outcome.ok, outcome.errors
    assert "Comunidad" in outcome.ignored_columns
    assert ArtisanProfile.objects.get(external_id="HX-001").cohort.centre.name == "Huixtán"


def test_control_characters_in_a_sheet_are_not_stored_and_bidi_marks_in_names_are_refused(admin_user):
    sheet = [SPANISH_HEADER, ["HX-7", "Ana\x07 Ruiz\x1b", "", "Huixtán\x7f", "Huixtán", "G", "sí", "", ""]]
    outcome = run(csv_bytes(sheet), user=admin_user)
    assert outcome.ok, outcome.errors
    assert ArtisanProfile.objects.get(external_id="HX-7").full_name == "Ana Ruiz"
    before = counts()
    reversed_name = [SPANISH_HEADER, ["HX-8", "Eva \u202eziuR", "", "Huixtán", "Huixtán", "G", "sí", "", ""]]
    refused = run(csv_bytes(reversed_name), user=admin_user)
    assert not refused.ok and counts() == before
    assert any("orden" in error for error in refused.errors), refused.errors
