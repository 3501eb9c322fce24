"""The Wagtail admin: list and filter, revoke with a reason, reissue (old code → replaced), issue by hand."""

import pytest
from django.contrib.auth.models import Permission

from certificates.models import Certificate, CertificateSettings
from tests.factories import ArtisanProfileFactory, StaffUserFactory

from .conftest import NAME, after_commit, login

pytestmark = pytest.mark.django_db

INDEX = "/admin/certificate/"


def test_admin_lists_and_filters_certificates(client, admin_user, certificate, other_artisan, facilitator):
    from certificates.services import certificate_issue_manual, certificate_revoke

    other = certificate_issue_manual(user=other_artisan, issued_by=facilitator, reason="Excepción")
    certificate_revoke(certificate=other, by=admin_user, reason="Error de captura")
    client.force_login(admin_user)
    html = client.get(INDEX).content.decode()
    assert NAME in html and "Petrona Santíz López" in html
    assert certificate.display_code in html
    valid_only = client.get(INDEX, {"status": "valid"}).content.decode()
    assert NAME in valid_only and "Petrona Santíz López" not in valid_only
    by_cohort = client.get(INDEX, {"cohort": certificate.user.artisan.cohort_id}).content.decode()
    assert NAME in by_cohort and "Petrona Santíz López" not in by_cohort
    searched = client.get(INDEX, {"q": certificate.code[:6]}).content.decode()
    assert NAME in searched


def test_revoke_needs_a_reason_then_the_code_says_revoked(client, admin_user, certificate):
    client.force_login(admin_user)
    url = f"{INDEX}edit/{certificate.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "revoke", "revoke-reason": ""})
    assert response.status_code == 400
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    response = client.post(url, {"action": "revoke", "revoke-reason": "Se comprobó que no asistió"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.revoked_reason == "Se comprobó que no asistió"
    assert certificate.revoked_by == admin_user and certificate.revoked_at is not None
    assert "fue revocada" in client.get(certificate.get_verification_path()).content.decode()
    # Revoking again changes nothing (idempotent POST).
    client.post(url, {"action": "revoke", "revoke-reason": "Otra vez"})
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Se comprobó que no asistió"


def test_reissue_makes_a_new_code_and_the_old_one_says_replaced(client, admin_user, certificate):
    profile = certificate.user.artisan
    profile.full_name = "Xunkaʼ Pérez Gómez Ñuñez de la Cruz"  # the name is corrected first
    profile.save()
    client.force_login(admin_user)
    with after_commit():  # the new row, then its PDF
        response = client.post(
            f"{INDEX}edit/{certificate.pk}/", {"action": "reissue", "reissue-reason": "Corrección del nombre"}
        )
    assert response.status_code == 302
    certificate.refresh_from_db()
    new = certificate.replaced_by
    assert certificate.status == "replaced" and new is not None
    assert response["Location"] == f"{INDEX}edit/{new.pk}/"
    assert new.status == "valid" and new.code != certificate.code
    assert new.issued_how == "reissue" and new.issued_by == admin_user and new.reason == "Corrección del nombre"
    assert new.printed_name == "Xunkaʼ Pérez Gómez Ñuñez de la Cruz"
    assert new.issued_on == certificate.issued_on
    assert new.pdf_ready and new.pdf.name != certificate.pdf.name  # only a reissue renders again
    assert "fue reemplazada" in client.get(certificate.get_verification_path()).content.decode()
    assert "es válida" in client.get(new.get_verification_path()).content.decode()
    # The same POST again (a double tap on the old page) does not make a third certificate.
    client.post(f"{INDEX}edit/{certificate.pk}/", {"action": "reissue", "reissue-reason": "Corrección del nombre"})
    assert Certificate.objects.filter(user=certificate.user).count() == 2


def test_manual_issue_in_the_admin_needs_a_reason(client, admin_user, artisan, programme):
    client.force_login(admin_user)
    assert client.get(f"{INDEX}new/").status_code == 200
    profile = artisan.artisan
    response = client.post(f"{INDEX}new/", {"artisan": profile.pk, "reason": ""})
    assert response.status_code == 400
    assert not Certificate.objects.filter(user=artisan).exists()
    response = client.post(f"{INDEX}new/", {"artisan": profile.pk, "reason": "Terminó en papel"})
    assert response.status_code == 302
    certificate = Certificate.objects.get(user=artisan)
    assert certificate.issued_how == "manual" and certificate.issued_by == admin_user


def test_nobody_deletes_or_edits_a_certificate_in_place(client, admin_user, certificate):
    client.force_login(admin_user)
    assert client.get(f"{INDEX}delete/{certificate.pk}/").status_code == 404
    assert client.get(f"{INDEX}copy/{certificate.pk}/").status_code == 404
    assert "delete/" not in client.get(INDEX).content.decode()


@pytest.mark.parametrize("role", ["guest", "artisan", "staff_without_permission", "facilitator", "editor"])
def test_admin_is_closed_to_those_without_certificate_permissions(client, role, users, certificate):
    user = StaffUserFactory(username="staff-plain") if role == "staff_without_permission" else users.get(role)
    if user is not None:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login(client, user)
    for url in [INDEX, f"{INDEX}edit/{certificate.pk}/", f"{INDEX}new/", f"{INDEX}pdfs/retry/"]:
        response = client.get(url)
        assert response.status_code in {302, 403}, (role, url, response.status_code)
    response = client.post(f"{INDEX}edit/{certificate.pk}/", {"action": "revoke", "revoke-reason": "x"})
    assert response.status_code in {302, 403}
    assert client.post(f"{INDEX}pdfs/retry/").status_code in {302, 403}
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_a_facilitator_with_permissions_sees_only_her_cohorts(client, facilitator, certificate, other_cohort):
    other = ArtisanProfileFactory(cohort=other_cohort, full_name="Petrona Santíz López").user
    from certificates.services import certificate_issue_manual

    other_certificate = certificate_issue_manual(user=other, issued_by=None, reason="Excepción")
    for codename in ["access_admin", "change_certificate", "add_certificate"]:
        facilitator.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(facilitator)
    html = client.get(INDEX).content.decode()
    assert NAME in html and "Petrona" not in html
    assert client.get(f"{INDEX}edit/{other_certificate.pk}/").status_code == 404


def test_the_certificate_template_is_edited_in_site_settings(client, admin_user):
    from wagtail.models import Site

    client.force_login(admin_user)
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/certificates/certificatesettings/{site.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "organisation_name": "Cooperativa Telar",
            "signatory_name": "Ana López",
            "signatory_role": "Coordinadora",
        },
    )
    assert response.status_code == 302
    assert CertificateSettings.current().signatory_name == "Ana López"
    assert "attendance_threshold" not in client.get(url).content.decode()  # the rule is each programme's now


def test_each_programme_edits_its_own_rule_on_its_constancia_tab(client, admin_user, programme):
    from django.core.exceptions import ValidationError

    client.force_login(admin_user)
    html = client.get(f"/admin/pages/{programme.pk}/edit/").content.decode()
    assert 'name="attendance_threshold"' in html and 'name="certificate_title"' in html
    programme.attendance_threshold = 120
    with pytest.raises(ValidationError):
        programme.full_clean()


def test_the_admin_list_exports_to_csv(client, admin_user, certificate):
    client.force_login(admin_user)
    response = client.get(INDEX, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert certificate.display_code in body.decode()


def test_the_list_shows_each_pdf_state_and_prepares_the_pending_ones_again(
    client, admin_user, certificate, other_artisan, facilitator
):
    from certificates.services import certificate_issue_manual

    pending = certificate_issue_manual(user=other_artisan, issued_by=facilitator, reason="Excepción")  # no commit
    Certificate.objects.filter(pk=pending.pk).update(pdf_status="failed", pdf_attempts=1, pdf_error="OSError: disk")
    client.force_login(admin_user)
    html = client.get(INDEX).content.decode()
    assert "Lista" in html and "Falló: se intentará otra vez" in html
    assert "Preparar los PDF pendientes" in html  # the header button, while one is not ready
    failed_only = client.get(INDEX, {"pdf_status": "failed"}).content.decode()
    assert "Petrona Santíz López" in failed_only and NAME not in failed_only
    page = client.get(f"{INDEX}pdfs/retry/").content.decode()
    assert "Petrona Santíz López" in page and "OSError: disk" in page and NAME not in page
    with after_commit():
        response = client.post(f"{INDEX}pdfs/retry/")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.pdf_ready and pending.pdf_error == "" and pending.pdf_attempts == 2
    assert "Preparar los PDF pendientes" not in client.get(INDEX).content.decode()


def test_one_pdf_is_prepared_again_from_its_page(client, admin_user, other_artisan, facilitator):
    from certificates.services import certificate_issue_manual

    pending = certificate_issue_manual(user=other_artisan, issued_by=facilitator, reason="Excepción")  # no commit
    client.force_login(admin_user)
    url = f"{INDEX}edit/{pending.pk}/"
    html = client.get(url).content.decode()
    assert "En preparación" in html and "Preparar el PDF otra vez" in html
    with after_commit():
        assert client.post(url, {"action": "retry_pdf"}).status_code == 302
    pending.refresh_from_db()
    assert pending.pdf_ready
    assert "Preparar el PDF otra vez" not in client.get(url).content.decode()
