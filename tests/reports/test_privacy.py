"""Personal-data rights: one file with everything about her; anonymisation that leaves nothing that names her."""

import base64
import io
import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from PIL import Image
from wagtail.models import ModelLogEntry

from people.models import ArtisanProfile, PinCredential
from people.services import set_artisan_photo
from reports import privacy
from reports.selectors import build_dashboard
from reports.services import roster_import
from tests import factories
from tests.reports.sheets import SPANISH_HEADER, csv_bytes


def _photo() -> io.BytesIO:
    out = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(out, format="JPEG")
    out.seek(0)
    out.name = "foto.jpg"
    return out


pytestmark = pytest.mark.django_db

FULL_NAME = "Xóchitl Zapata Quintero"
PREFERRED = "Xochitlita"
EXTERNAL_ID = "CHI-7731"
EMAIL = "xochitl.zq@example.org"


@pytest.fixture
def her(admin_user, modules, django_capture_on_commit_callbacks):
    """An artisan with everything: imported (so logged), PIN, progress, a quiz attempt, attendance with a note,
    a certificate issued by hand with a reason that names her (its PDF rendered by WeasyPrint)."""
    from assessments.models import Quiz
    from attendance.models import AttendanceRecord, Session
    from certificates.services import certificate_issue_manual
    from people.services import artisan_pin_set
    from progress.selectors import programme_structure

    sheet = [
        SPANISH_HEADER,
        [EXTERNAL_ID, FULL_NAME, PREFERRED, "Huixtán", "Huixtán", "Grupo Privacidad", "sí", "10/02/2026", "v3"],
    ]
    assert roster_import(content=csv_bytes(sheet), filename="p.csv", user=admin_user, dry_run=False).ok
    profile = ArtisanProfile.objects.select_related("user", "cohort").get(external_id=EXTERNAL_ID)
    user = profile.user
    user.email, user.first_name, user.last_name = EMAIL, "Xóchitl", "Zapata Quintero"
    user.save()
    artisan_pin_set(user=user, pin="4821")
    structure = programme_structure()
    first = structure.modules[0]
    for lesson in structure.lessons[first.translation_key]:
        factories.LessonCompletionFactory(user=user, lesson_key=lesson.translation_key)
    quiz = Quiz.objects.get(page__translation_key=first.translation_key, locale__language_code="es")
    factories.AttemptFactory(user=user, quiz=quiz, score=85)
    session = Session.objects.create(cohort=profile.cohort, date="2026-03-02", start_time="10:00")
    AttendanceRecord.objects.create(
        session=session,
        artisan=user,
        status="late",
        note=f"{FULL_NAME} avisó que llega tarde",
        recorded_at="2026-03-02T16:00Z",
    )
    with django_capture_on_commit_callbacks(execute=True):  # the row, then its PDF after commit
        certificate = certificate_issue_manual(
            user=user, issued_by=admin_user, reason=f"Constancia para {FULL_NAME} por asistencia justificada"
        )
    certificate.refresh_from_db()
    assert certificate.pdf_ready
    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(ArtisanProfile),
        object_id=str(profile.pk),
        object_repr=str(profile),
        action_flag=CHANGE,
        change_message=f"Cambió el nombre de {FULL_NAME}",
    )
    profile.certificate = certificate
    return profile


def rows_mentioning(*needles: str) -> list[str]:
    """Every text, character and JSON value of every table, searched for each needle (case-insensitive)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list("pk", *fields):
            for name, value in zip(fields, row[1:], strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
                for needle in needles:
                    if needle.casefold() in (text or "").casefold():
                        found.append(f"{model._meta.label}#{row[0]}.{name}: {needle}")
    return found


def test_the_scan_finds_her_before_anonymisation(her):
    found = rows_mentioning(FULL_NAME, PREFERRED, EXTERNAL_ID, her.user.username, EMAIL)
    labels = {item.split("#")[0] for item in found}
    assert {
        "people.ArtisanProfile",
        "people.User",
        "certificates.Certificate",
        "attendance.AttendanceRecord",
        "wagtailcore.ModelLogEntry",
        "admin.LogEntry",
    } <= labels


def test_anonymisation_leaves_no_personal_data_in_the_database(
    client, admin_user, her, django_capture_on_commit_callbacks
):
    username = her.user.username
    pdf_name = her.certificate.pdf.name
    assert storages["private"].exists(pdf_name)
    with django_capture_on_commit_callbacks(execute=True):
        set_artisan_photo(her, _photo())
    photo_name = her.photo.name
    assert storages["private"].exists(photo_name)
    other = factories.ArtisanProfileFactory(cohort=her.cohort, full_name="Otra Persona Ruiz", external_id="CHI-1")
    before = build_dashboard(cohort=her.cohort)

    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("telar_reports:artisan_privacy", args=[her.pk]), {"confirm": "xóchitl zapata QUINTERO"}
        )
    assert response.status_code == 302

    assert rows_mentioning(FULL_NAME, PREFERRED, EXTERNAL_ID, username, EMAIL, "Zapata Quintero") == []
    her.refresh_from_db()
    her.user.refresh_from_db()
    assert privacy.is_anonymised(her)
    assert not her.user.is_active and not her.user.has_usable_password()
    assert not PinCredential.objects.filter(user=her.user).exists()
    assert not storages["private"].exists(pdf_name)
    assert not her.photo and not storages["private"].exists(photo_name)  # her face is gone too

    # Her records stay, anonymous: the programme's totals do not move.
    after = build_dashboard(cohort=her.cohort)
    assert (after.artisans, after.modules[0].complete, after.certificates, after.attendance_rate) == (
        before.artisans,
        before.modules[0].complete,
        before.certificates,
        before.attendance_rate,
    )
    other.refresh_from_db()
    assert other.full_name == "Otra Persona Ruiz" and other.external_id == "CHI-1"

    # Who did it is in Wagtail's log, without her data.
    entry = ModelLogEntry.objects.get(action="reports.anonymise", object_id=str(her.pk))
    assert entry.user == admin_user and entry.label == privacy.ANONYMISED


def test_her_certificate_can_still_be_verified_without_her_name(client, admin_user, her):
    privacy.artisan_anonymise(profile=her, by=admin_user)
    certificate = her.certificate
    certificate.refresh_from_db()
    assert certificate.status == "valid" and certificate.printed_name == privacy.ANONYMISED
    response = client.get(reverse("certificates:verify_code", args=[certificate.display_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert certificate.programme_title in html and FULL_NAME not in html


def test_anonymising_twice_changes_nothing(admin_user, her):
    privacy.artisan_anonymise(profile=her, by=admin_user)
    her.refresh_from_db()
    username = her.user.username
    privacy.artisan_anonymise(profile=her, by=admin_user)
    her.refresh_from_db()
    assert her.user.username == username
    assert ModelLogEntry.objects.filter(action="reports.anonymise", object_id=str(her.pk)).count() == 1


def test_a_wrong_confirmation_changes_nothing(client, admin_user, her):
    client.force_login(admin_user)
    response = client.post(reverse("telar_reports:artisan_privacy", args=[her.pk]), {"confirm": "Otra persona"})
    assert response.status_code == 200 and "El nombre no coincide" in response.content.decode()
    her.refresh_from_db()
    assert her.full_name == FULL_NAME


def test_data_access_download_has_everything_and_is_logged(client, admin_user, her):
    set_artisan_photo(her, _photo())
    with her.photo.open("rb") as file:
        photo = file.read()
    client.force_login(admin_user)
    url = reverse("telar_reports:artisan_data_download", args=[her.pk])
    assert client.get(url).status_code == 405  # a download that is logged is a POST
    response = client.post(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["full_name"] == FULL_NAME and data["profile"]["external_id"] == EXTERNAL_ID
    assert data["profile"]["consent_given"] is True and data["profile"]["privacy_notice_version"] == "v3"
    assert data["account"]["email"] == EMAIL and data["account"]["pin_set"] is True
    assert base64.b64decode(data["profile"]["photo_webp_base64"]) == photo  # her photo, itself
    assert "4821" not in response.content.decode() and "pin_hash" not in response.content.decode()
    assert len(data["lessons_finished"]) >= 1 and data["quiz_attempts"][0]["score"] == 85
    assert data["attendance"][0]["status"] == "late" and FULL_NAME in data["attendance"][0]["note"]
    assert data["certificates"][0]["name_as_printed"] == FULL_NAME
    assert any(item["action"] == "wagtail.create" for item in data["history"])
    assert ModelLogEntry.objects.filter(
        action="reports.personal_data_download", object_id=str(her.pk), user=admin_user
    ).exists()


def test_the_privacy_page_lists_and_finds_her(client, admin_user, her):
    client.force_login(admin_user)
    html = client.get(reverse("telar_reports:personal_data"), {"q": EXTERNAL_ID}).content.decode()
    assert FULL_NAME in html
    html = client.get(reverse("telar_reports:artisan_privacy", args=[her.pk])).content.decode()
    assert "Derecho de acceso" in html and "Anonimizar sus datos" in html
