"""Spreadsheets for programme staff and funders: artisans, progress per module, quiz attempts,
attendance and certificates, for one cohort, one centre or the whole programme.

Each builder returns a ``tablib.Dataset`` of plain values (text, numbers, dates, booleans) with
headers in the admin's language; ``render`` writes it as XLSX (real date cells) or as CSV in
UTF-8 with a BOM, which Excel opens with its accents intact. Text that a spreadsheet would run
as a formula (starting with = + - @) is prefixed with an apostrophe; the roster import removes it.

Every builder runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import tablib
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Attempt
from attendance.models import AttendanceRecord
from certificates.models import Certificate
from core.spreadsheets import export_bytes, export_filename
from courses.selectors import live_programmes
from people.resources import ArtisanResource
from progress.selectors import COMPLETE, IN_PROGRESS, NOT_STARTED, programme_structures, statuses_by_programme

from .labels import column_labels, yes_no
from .selectors import artisans_filtered


def _through(prefix: str, *, centre=None, cohort=None, programme=None) -> Q:
    """Rows that reach the artisan's profile through ``prefix`` (e.g. "user__artisan"), filtered alike."""
    where = Q(**{f"{prefix}__isnull": False})
    if cohort is not None:
        where = Q(**{f"{prefix}__cohort": cohort})
    elif centre is not None:
        where = Q(**{f"{prefix}__cohort__centre": centre})
    if programme is not None:
        where &= Q(**{f"{prefix}__cohort__programme": programme})
    return where


def _module_index(language: str | None = None) -> dict:
    """Module translation key → (number, title in the active language, its programme's title), every programme:
    3 queries, 5 in another language."""
    index = {}
    programmes = live_programmes()
    structures = programme_structures(programmes, language=language)
    for programme in programmes:
        for number, module in enumerate(structures[programme.pk].modules, 1):
            index[module.translation_key] = (number, module.title, programme.title)
    return index


def _programme_title(cohort) -> str:
    return cohort.programme.title if cohort.programme_id else ""


def _person(profile) -> list:
    return [profile.external_id, profile.full_name, profile.cohort.centre.name, profile.cohort.name]


def _person_headers() -> list[str]:
    labels = column_labels()
    return [labels["external_id"], labels["full_name"], labels["centre"], labels["cohort"], labels["programme"]]


def export_artisans(*, centre=None, cohort=None, programme=None) -> tablib.Dataset:
    """The roster, in the columns the roster import reads back, its cohort's programme included (1 query)."""
    resource = ArtisanResource(labels=column_labels())
    profiles = artisans_filtered(centre=centre, cohort=cohort, programme=programme)
    return resource.export(resource.get_queryset().filter(pk__in=profiles.values("pk")))


STATUS_WORDS = {
    NOT_STARTED: gettext_lazy("Not started"),
    IN_PROGRESS: gettext_lazy("In progress"),
    COMPLETE: gettext_lazy("Complete"),
}


def export_progress(*, centre=None, cohort=None, programme=None) -> tablib.Dataset:
    """One row per artisan and module of her cohort's programme, with the module status she herself sees
    (5 queries whatever the number of programmes)."""
    profiles = list(
        artisans_filtered(centre=centre, cohort=cohort, programme=programme)
        .select_related("cohort__centre", "cohort__programme")
        .order_by("cohort__centre__name", "cohort__name", "full_name", "pk")
    )
    programmes = [profile.cohort.programme for profile in profiles if profile.cohort.programme_id]
    structures = programme_structures(programmes)
    statuses = statuses_by_programme([profile.user_id for profile in profiles], structures)
    dataset = tablib.Dataset(
        headers=[
            *_person_headers(),
            _("Module"),
            _("Module title"),
            _("Lessons done"),
            _("Lessons in the module"),
            _("Quiz passed"),
            _("Status"),
        ]
    )
    for profile in profiles:
        mine = statuses[profile.user_id].get(profile.cohort.programme_id or 0, [])
        for number, status in enumerate(mine, start=1):
            dataset.append(
                [
                    *_person(profile),
                    _programme_title(profile.cohort),
                    number,
                    status.module.title,
                    status.lessons_done,
                    status.lessons_total,
                    "" if status.quiz_passed is None else status.quiz_passed,
                    str(STATUS_WORDS[status.status]),
                ]
            )
    return dataset


def export_quiz_attempts(*, centre=None, cohort=None, programme=None) -> tablib.Dataset:
    """Every graded attempt, online or on paper, with its module's programme (4 queries)."""
    modules = _module_index()
    attempts = (
        Attempt.objects.filter(_through("user__artisan", centre=centre, cohort=cohort, programme=programme))
        .select_related("user__artisan__cohort__centre", "quiz", "recorded_by")
        .order_by(
            "user__artisan__cohort__centre__name",
            "user__artisan__cohort__name",
            "user__artisan__full_name",
            "submitted_at",
            "pk",
        )
    )
    dataset = tablib.Dataset(
        headers=[
            *_person_headers(),
            _("Module"),
            _("Quiz"),
            _("Attempt"),
            _("Source"),
            _("Score (%)"),
            _("Passed"),
            _("Date"),
            _("Recorded at"),
            _("Recorded by"),
        ]
    )
    for attempt in attempts:
        number, _title, programme_title = modules.get(attempt.module_key, ("", "", ""))
        quiz_title = attempt.quiz.title if attempt.quiz else attempt.snapshot.get("title", "")
        dataset.append(
            [
                *_person(attempt.user.artisan),
                programme_title,
                number,
                quiz_title,
                attempt.number,
                attempt.get_source_display(),
                attempt.score,
                attempt.passed,
                attempt.taken_on,
                attempt.submitted_at,
                attempt.recorded_by.get_username() if attempt.recorded_by else "",
            ]
        )
    return dataset


def export_attendance(*, centre=None, cohort=None, programme=None) -> tablib.Dataset:
    """Every attendance record: one row per artisan and session, with the session's programme (4 queries)."""
    modules = _module_index()
    where = _through("artisan__artisan", centre=centre, cohort=cohort)
    if programme is not None:
        where &= Q(session__cohort__programme=programme)
    records = (
        AttendanceRecord.objects.filter(where)
        .select_related(
            "artisan__artisan__cohort__centre", "session__module", "session__cohort__programme", "recorded_by"
        )
        .order_by(
            "session__cohort__centre__name",
            "session__cohort__name",
            "session__date",
            "session__start_time",
            "artisan__artisan__full_name",
            "pk",
        )
    )
    dataset = tablib.Dataset(
        headers=[
            *_person_headers(),
            _("Session date"),
            _("Start time"),
            _("Module"),
            _("Status"),
            _("Note"),
            _("Recorded at"),
            _("Recorded by"),
        ]
    )
    for record in records:
        module = record.session.module
        number = modules.get(module.translation_key, ("", ""))[0] if module else ""
        dataset.append(
            [
                *_person(record.artisan.artisan),
                _programme_title(record.session.cohort),
                record.session.date,
                record.session.start_time.strftime("%H:%M"),
                number,
                record.get_status_display(),
                record.note,
                record.recorded_at,
                record.recorded_by.get_username() if record.recorded_by else "",
            ]
        )
    return dataset


def export_certificates(*, centre=None, cohort=None, programme=None) -> tablib.Dataset:
    """Every certificate, valid or not, with its programme as printed and its public verification link (1 query)."""
    where = _through("user__artisan", centre=centre, cohort=cohort)
    if programme is not None:
        where &= Q(programme_key=programme.translation_key)
    certificates = (
        Certificate.objects.filter(where)
        .select_related("user__artisan__cohort__centre")
        .order_by(
            "user__artisan__cohort__centre__name",
            "user__artisan__cohort__name",
            "user__artisan__full_name",
            "issued_at",
            "pk",
        )
    )
    dataset = tablib.Dataset(
        headers=[
            *_person_headers(),
            _("Name as printed"),
            _("Verification code"),
            _("Status"),
            _("Issue date"),
            _("Issued"),
            _("Revoked at"),
            _("Verification link"),
        ]
    )
    for certificate in certificates:
        dataset.append(
            [
                *_person(certificate.user.artisan),
                certificate.programme_title,
                certificate.printed_name,
                certificate.display_code,
                certificate.get_status_display(),
                certificate.issued_on,
                certificate.get_issued_how_display(),
                certificate.revoked_at,
                certificate.get_verification_url(),
            ]
        )
    return dataset


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: object
    build: Callable[..., tablib.Dataset]


EXPORTS = {
    kind.key: kind
    for kind in (
        ExportKind("artisans", gettext_lazy("Artisans (the roster, ready to import again)"), export_artisans),
        ExportKind("progress", gettext_lazy("Progress per module"), export_progress),
        ExportKind("quiz_attempts", gettext_lazy("Quiz attempts"), export_quiz_attempts),
        ExportKind("attendance", gettext_lazy("Attendance"), export_attendance),
        ExportKind("certificates", gettext_lazy("Certificates"), export_certificates),
    )
}


def render(dataset: tablib.Dataset, file_format: str) -> bytes:
    """The dataset as XLSX or CSV through the one export path (core.spreadsheets), yes/no in words."""
    words = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        words.append([yes_no(value) if isinstance(value, bool) else value for value in row])
    return export_bytes(words, file_format, title=str(_("Telar")))


def filename(kind: str, file_format: str, *, centre=None, cohort=None, programme=None) -> str:
    """The export's name in the interface language: "artesanas-grupo-bordadoras-2026-12-01.xlsx"."""
    scope = cohort.name if cohort else centre.name if centre else programme.title if programme else "Telar"
    return export_filename(EXPORTS[kind].label, scope, f"{timezone.localdate():%Y-%m-%d}", file_format=file_format)
