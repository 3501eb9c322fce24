"""Two programmes at once in the reports (issue 18): the dashboard, the exports and the roster import each
stay inside their programme."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from people.models import ArtisanProfile, Cohort
from progress.models import LessonCompletion
from reports import exports
from reports.selectors import build_dashboard
from reports.services import roster_import
from tests.certificates.conftest import after_commit, attend
from tests.factories import ArtisanProfileFactory, CohortFactory, EnrolmentFactory, programme_with_modules
from tests.reports.sheets import SPANISH_HEADER, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def economia(db):
    return programme_with_modules("Economía social", modules=2, lessons=1, threshold=60)


@pytest.fixture
def two_programmes(cohort, economia):
    """Two artisans in the workshops' cohort, three in economía's; one of the workshops' also took economía."""
    group = CohortFactory(centre__name="Oxchuc", name="Grupo Economía", programme=economia)
    workshops = [ArtisanProfileFactory(cohort=cohort) for _ in range(2)]
    others = [ArtisanProfileFactory(cohort=group) for _ in range(3)]
    EnrolmentFactory(user=workshops[0].user, cohort=group)
    for profile in others[:2]:
        LessonCompletion.objects.create(
            user=profile.user, lesson_key=economia.lesson_pages[0].translation_key, language="es"
        )
    attend(others[0].user, group, present=2)
    return group, workshops, others


def test_the_dashboard_shows_one_programme_at_a_time(two_programmes, economia, programme, modules):
    group, workshops, others = two_programmes
    shown = build_dashboard(programme=economia)
    assert shown.programme_title == economia.title
    assert [row.title for row in shown.modules] == [page.title for page in economia.module_pages]
    assert shown.artisans == 3 and shown.modules[0].complete == 2
    assert [cohort.name for _centre, cohort in shown.cohorts] == ["Grupo Economía"]
    assert shown.attendance_rate == pytest.approx(1.0)
    workshops_view = build_dashboard()  # no programme chosen: the first one, the six workshops
    assert workshops_view.programme_id == programme.pk and len(workshops_view.modules) == len(modules)
    assert "Grupo Economía" not in [cohort.name for _centre, cohort in workshops_view.cohorts]
    assert build_dashboard(cohort=group).programme_id == economia.pk  # a cohort brings its programme


def test_the_dashboard_filter_is_a_get_parameter(client, admin_user, two_programmes, economia):
    client.force_login(admin_user)
    html = client.get(reverse("telar_reports:dashboard"), {"programme": economia.pk}).content.decode()
    assert economia.title in html and "Grupo Economía" in html
    assert economia.module_pages[1].title in html


def _rows(dataset):
    return [dict(zip(dataset.headers, row, strict=True)) for row in dataset]


def test_every_export_has_a_programme_column(two_programmes, economia, programme):
    group, workshops, others = two_programmes
    with translation.override("es"):
        artisans = _rows(exports.export_artisans())
        progress = _rows(exports.export_progress(programme=economia))
        attendance = _rows(exports.export_attendance())
    by_name = {row["Nombre completo"]: row["Programa"] for row in artisans}
    assert by_name[others[0].full_name] == economia.title and by_name[workshops[1].full_name] == programme.title
    assert {row["Programa"] for row in progress} == {economia.title}
    assert len(progress) == 3 * 2  # three artisans × economía's two modules, none of the six workshops
    assert {row["Programa"] for row in attendance if row["Nombre completo"] == others[0].full_name} == {economia.title}


def test_the_certificates_export_names_each_certificate_programme(two_programmes, economia, programme):
    from certificates.services import check_and_issue_many

    group, workshops, others = two_programmes
    LessonCompletion.objects.create(
        user=others[0].user, lesson_key=economia.lesson_pages[1].translation_key, language="es"
    )
    with after_commit():
        [certificate] = check_and_issue_many(users=[others[0].user])
    with translation.override("es"):
        rows = _rows(exports.export_certificates(programme=economia))
        none = _rows(exports.export_certificates(programme=programme))
    assert [row["Programa"] for row in rows] == [economia.title] and none == []
    assert certificate.programme_title == economia.title


def test_the_export_view_filters_by_programme(client, admin_user, two_programmes, economia):
    client.force_login(admin_user)
    response = client.post(
        reverse("telar_reports:export"), {"kind": "artisans", "file_format": "xlsx", "programme": economia.pk}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Programa")
    assert len(rows) == 1 + 3 and {row[column] for row in rows[1:]} == {economia.title}


HEADER = [*SPANISH_HEADER, "Programa"]


def _import(rows, admin_user):
    with translation.override("es"):
        return roster_import(content=csv_bytes([HEADER, *rows]), filename="p.csv", user=admin_user, dry_run=False)


def _row(name, cohort, programme=""):
    return ["", name, "", "Chanal", "Chanal", cohort, "sí", "", "v1", programme]


def test_the_roster_import_reads_a_programa_column(admin_user, economia, programme):
    outcome = _import([_row("Xunkaʼ Gómez", "Grupo Nuevo", "ECONOMIA  social")], admin_user)  # accents, case
    assert outcome.ok, outcome.errors
    assert Cohort.objects.get(name="Grupo Nuevo").programme_id == economia.pk
    again = _import([_row("Petrona Gómez", "Grupo Nuevo", "")], admin_user)  # blank: the cohort's
    assert again.ok, again.errors
    assert ArtisanProfile.objects.get(full_name="Petrona Gómez").cohort.programme_id == economia.pk


def test_the_roster_import_refuses_an_unknown_or_another_programme(admin_user, economia, programme):
    unknown = _import([_row("Xunkaʼ Gómez", "Grupo Nuevo", "Cerámica")], admin_user)
    assert not unknown.ok and "Cerámica" in " ".join(unknown.errors + [str(row) for row in unknown.rows])
    assert not Cohort.objects.filter(name="Grupo Nuevo").exists()
    _import([_row("Xunkaʼ Gómez", "Grupo Nuevo", economia.title)], admin_user)
    other = _import([_row("Rosa Gómez", "Grupo Nuevo", programme.title)], admin_user)
    assert not other.ok
    assert not ArtisanProfile.objects.filter(full_name="Rosa Gómez").exists()
    home = _import([_row("Juana Gómez", "Grupo Sin Programa", "")], admin_user)  # no column: the home programme
    assert home.ok and Cohort.objects.get(name="Grupo Sin Programa").programme_id == programme.pk
