"""Verification (public, rate-limited, never a 500), downloads and the cohort pages: every role."""

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates import codes
from certificates.models import Certificate, CohortBundle
from certificates.services import certificate_reissue, certificate_revoke
from tests.budgets import PAGE_BUDGET, css_bytes, gzipped, main_of
from tests.factories import ArtisanProfileFactory

from .conftest import NAME, ROLES, login

pytestmark = pytest.mark.django_db


def verify_url(certificate) -> str:
    return f"/certificates/verify/{certificate.display_code}/"


# --- Verification -------------------------------------------------------------


def test_the_verify_form_works_without_javascript(client):
    response = client.get("/certificates/verify/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="get"' in html and 'name="code"' in html
    assert "<script" not in main_of(html)  # site-wide enhancements aside, the page needs no JavaScript
    assert gzipped(response.content) + css_bytes() <= PAGE_BUDGET


def test_typing_a_code_leads_to_its_page_whatever_the_spelling(client, certificate):
    messy = " " + certificate.display_code.lower().replace("-", " ").replace("0", "o").replace("1", "l") + " "
    response = client.get("/certificates/verify/", {"code": messy})
    assert response.status_code == 302
    assert response["Location"] == verify_url(certificate)


def test_a_lowercase_code_in_the_url_redirects_to_the_canonical_one(client, certificate):
    response = client.get(f"/certificates/verify/{certificate.code.lower()}/")
    assert response.status_code == 301
    assert response["Location"] == verify_url(certificate)


def test_a_valid_certificate_shows_name_programme_date_and_nothing_else(client, certificate, cohort):
    response = client.get(verify_url(certificate))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Esta constancia es válida" in html
    assert NAME in html
    assert "Programa de Artesanas de Chiapas" in html
    assert certificate.issued_on.strftime("%Y") in html
    # Nothing else about her: no community, cohort, facilitator, reason, issuer.
    for private in [cohort.centre.name, cohort.name, "Hernández", "Prueba de constancia", "facilitadora"]:
        assert private not in html, private
    assert 'name="robots" content="noindex"' in html
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert gzipped(response.content) + css_bytes() <= PAGE_BUDGET


def test_the_verify_page_in_english(client, certificate):
    response = client.get(f"/en{verify_url(certificate)}")
    assert response.status_code == 200
    assert "This certificate is valid." in response.content.decode()


def test_a_revoked_certificate_says_so(client, certificate, admin_user):
    certificate_revoke(certificate=certificate, by=admin_user, reason="Se emitió por error a otra persona")
    html = client.get(verify_url(certificate)).content.decode()
    assert "fue revocada" in html
    assert "Se emitió por error" not in html  # the reason is for staff only
    assert NAME in html


def test_a_replaced_certificate_says_so_and_the_new_code_is_valid(client, certificate, admin_user):
    new = certificate_reissue(certificate=certificate, by=admin_user, reason="Corrección del nombre")
    old_html = client.get(verify_url(certificate)).content.decode()
    assert "fue reemplazada" in old_html
    assert new.display_code not in old_html  # the old paper does not lead to the new one
    assert "Esta constancia es válida" in client.get(verify_url(new)).content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/certificates/verify/0000-0000-0000/",  # well formed, unknown
        "/certificates/verify/NOT-A-CODE/",
        "/certificates/verify/UUUU-UUUU-UUUU/",  # U is not in the alphabet
        "/certificates/verify/" + "A" * 300 + "/",
        "/certificates/verify/%C3%B1%CA%BC/",
        "/certificates/verify/?code=",
        "/certificates/verify/?code=%00%01",
        "/certificates/verify/?code=" + "9" * 100,
        "/certificates/verify/?code=1234",
    ],
)
def test_unknown_or_malformed_codes_get_a_friendly_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "No encontramos ninguna constancia" in html or "no es un código" in html
    assert 'name="code"' in html  # she can try again from there


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=80))
def test_no_input_ever_causes_a_server_error(client, raw):
    from django.core.cache import cache

    cache.clear()
    response = client.get("/certificates/verify/", {"code": raw})
    assert response.status_code in {302, 404}
    if codes.normalise(raw) is not None:
        target = client.get(response["Location"])
        assert target.status_code in {404, 429}


@override_settings(CERTIFICATES_VERIFY_LIMIT=5, CERTIFICATES_VERIFY_WINDOW=600)
def test_lookups_are_rate_limited_per_client_with_a_clear_429(certificate):
    first = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        assert first.get(verify_url(certificate)).status_code == 200
    blocked = first.get("/certificates/verify/0000-0000-0000/")
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "Demasiadas consultas" in blocked.content.decode()
    assert first.get(verify_url(certificate)).status_code == 429
    # Another client is not affected.
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.get(verify_url(certificate)).status_code == 200


@override_settings(CERTIFICATES_VERIFY_LIMIT=2, CERTIFICATES_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_forwarded_address_is_the_client(certificate):
    proxy = "10.0.0.1"
    one = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1")
    two = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.2")
    for _ in range(2):
        assert one.get(verify_url(certificate)).status_code == 200
    assert one.get(verify_url(certificate)).status_code == 429
    assert two.get(verify_url(certificate)).status_code == 200


# --- Downloads ----------------------------------------------------------------


def assert_pdf(response, certificate=None):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".pdf" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    if certificate is not None:
        with certificate.pdf.open("rb") as handle:
            assert body == handle.read()


MINE_EXPECTED = {
    "guest": 302,
    "artisan": 200,
    "other_artisan": 404,  # she has no certificate
    "facilitator": 403,
    "other_facilitator": 403,
    "editor": 403,
    "programme": 403,
    "admin": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_my_certificate_download_matrix(client, users, certificate, role):
    response = login(client, users[role]).get("/certificates/mine/")
    assert response.status_code == MINE_EXPECTED[role]
    if role == "artisan":
        assert_pdf(response, certificate)
        assert certificate.display_code in response["Content-Disposition"]


DOWNLOAD_EXPECTED = {
    "guest": 302,
    "artisan": 200,  # her own
    "other_artisan": 404,  # another artisan's certificate does not exist for her
    "facilitator": 200,  # her cohort
    "other_facilitator": 404,
    "editor": 404,  # course content only: no certificate is hers to see (issue 14)
    "programme": 200,
    "admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_certificate_download_matrix(client, users, certificate, role):
    response = login(client, users[role]).get(f"/certificates/{certificate.pk}/pdf/")
    assert response.status_code == DOWNLOAD_EXPECTED[role]
    if response.status_code == 200:
        assert_pdf(response, certificate)


def test_an_artisan_cannot_download_her_revoked_certificate(client, certificate, artisan, admin_user):
    certificate_revoke(certificate=certificate, by=admin_user, reason="Error")
    client.force_login(artisan)
    assert client.get("/certificates/mine/").status_code == 404
    assert client.get(f"/certificates/{certificate.pk}/pdf/").status_code == 404


def test_a_lost_file_is_rendered_again_rather_than_failing(client, certificate, artisan):
    certificate.pdf.storage.delete(certificate.pdf.name)
    client.force_login(artisan)
    assert_pdf(client.get("/certificates/mine/"))


def test_mi_avance_block_links_to_her_certificate(rf, artisan, certificate, other_artisan):
    from django.template import Context, Template

    template = Template('{% include "certificates/includes/my_certificate.html" %}')
    request = rf.get("/")
    request.user = artisan
    html = template.render(Context({"request": request}))
    assert "/certificates/mine/" in html and "Descargar mi constancia" in html
    request.user = other_artisan
    html = template.render(Context({"request": request}))
    assert "/certificates/mine/" not in html and "tu constancia aparecerá aquí" in html


# --- Cohort pages (facilitators) -----------------------------------------------

COHORT_EXPECTED = {
    "guest": 302,
    "artisan": 403,
    "other_artisan": 403,
    "facilitator": 200,
    "other_facilitator": 404,
    "editor": 403,
    "programme": 200,
    "admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_cohort_page_matrix(client, users, certificate, cohort, role):
    response = login(client, users[role]).get(f"/certificates/cohorts/{cohort.pk}/")
    assert response.status_code == COHORT_EXPECTED[role]
    if response.status_code == 200:
        html = response.content.decode()
        assert NAME in html and certificate.display_code in html
        assert f"/certificates/{certificate.pk}/pdf/" in html


@pytest.mark.parametrize("role", ROLES)
def test_cohort_list_matrix(client, users, cohort, other_cohort, role):
    response = login(client, users[role]).get("/certificates/cohorts/")
    expected = {"guest": 302, "artisan": 403, "other_artisan": 403, "editor": 403}.get(role, 200)
    assert response.status_code == expected
    if role == "facilitator":
        html = response.content.decode()
        assert cohort.name in html and other_cohort.name not in html


def test_cohort_page_queries_do_not_grow_with_the_cohort(client, facilitator, cohort, programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(facilitator)
    ArtisanProfileFactory(cohort=cohort)
    client.get(f"/certificates/cohorts/{cohort.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/certificates/cohorts/{cohort.pk}/")
    for _ in range(15):
        ArtisanProfileFactory(cohort=cohort)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/certificates/cohorts/{cohort.pk}/").status_code == 200
    assert len(many) == len(few)


ISSUE_EXPECTED = {
    "guest": 302,
    "artisan": 403,
    "other_artisan": 403,
    "facilitator": 302,  # issued, back to the cohort page
    "other_facilitator": 404,
    "editor": 403,
    "programme": 302,
    "admin": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_manual_issue_matrix(client, users, artisan, cohort, programme, role):
    response = login(client, users[role]).post(
        f"/certificates/cohorts/{cohort.pk}/issue/{artisan.pk}/", {"reason": "Asistió a todo en papel"}
    )
    assert response.status_code == ISSUE_EXPECTED[role]
    issued = Certificate.objects.filter(user=artisan, status="valid")
    if response.status_code == 302 and role not in {"guest"}:
        certificate = issued.get()
        assert certificate.issued_how == "manual"
        assert certificate.issued_by == users[role]
        assert certificate.reason == "Asistió a todo en papel"
    else:
        assert not issued.exists()


def test_manual_issue_needs_a_reason_and_is_not_repeated(client, facilitator, artisan, cohort, programme):
    client.force_login(facilitator)
    url = f"/certificates/cohorts/{cohort.pk}/issue/{artisan.pk}/"
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    assert not Certificate.objects.filter(user=artisan).exists()
    assert client.post(url, {"reason": "Excepción aprobada"}).status_code == 302
    again = client.post(url, {"reason": "Excepción aprobada"})
    assert again.status_code == 400
    assert "ya tiene una constancia válida" in again.content.decode()
    assert Certificate.objects.filter(user=artisan).count() == 1


def test_a_facilitator_cannot_issue_for_an_artisan_of_another_cohort(client, facilitator, cohort, other_artisan):
    client.force_login(facilitator)
    response = client.post(f"/certificates/cohorts/{cohort.pk}/issue/{other_artisan.pk}/", {"reason": "x"})
    assert response.status_code == 404
    assert not Certificate.objects.filter(user=other_artisan).exists()


def test_posts_need_their_csrf_token(facilitator, artisan, cohort, programme):
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    assert client.post(f"/certificates/cohorts/{cohort.pk}/bundle/").status_code == 403
    assert client.post(f"/certificates/cohorts/{cohort.pk}/issue/{artisan.pk}/", {"reason": "x"}).status_code == 403
    assert not CohortBundle.objects.exists() and not Certificate.objects.exists()


# --- The ceremony bundle -------------------------------------------------------


def test_the_cohort_bundle_is_prepared_in_the_background_and_downloaded(client, facilitator, cohort, programme):
    from pypdf import PdfReader

    from certificates.services import certificate_issue_manual

    artisans = [ArtisanProfileFactory(cohort=cohort, full_name=f"Artesana {n} Ñuñez").user for n in range(3)]
    for user in artisans:
        certificate_issue_manual(user=user, issued_by=facilitator, reason="Ceremonia")
    client.force_login(facilitator)
    response = client.post(f"/certificates/cohorts/{cohort.pk}/bundle/")
    assert response.status_code == 302
    bundle = CohortBundle.objects.get()
    assert response["Location"] == f"/certificates/bundles/{bundle.pk}/"
    assert bundle.status == "ready" and bundle.certificate_count == 3  # the immediate backend ran the task
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'http-equiv="refresh"' not in page.content.decode()
    pdf = client.get(f"/certificates/bundles/{bundle.pk}/pdf/")
    assert pdf.status_code == 200 and "private" in pdf["Cache-Control"]
    assert pdf["Content-Disposition"].startswith("attachment;")
    import io

    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    assert len(reader.pages) == 3
    # Asking again for the same certificates reuses the bundle (a double tap is harmless).
    assert client.post(f"/certificates/cohorts/{cohort.pk}/bundle/")["Location"] == response["Location"]
    assert CohortBundle.objects.count() == 1


def test_a_pending_bundle_page_refreshes_itself(client, facilitator, cohort):
    bundle = CohortBundle.objects.create(cohort=cohort, requested_by=facilitator, fingerprint="x")
    client.force_login(facilitator)
    html = client.get(f"/certificates/bundles/{bundle.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "Estamos preparando el PDF" in html
    assert "<script" not in main_of(html)
    assert client.get(f"/certificates/bundles/{bundle.pk}/pdf/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_bundle_pages_matrix(client, users, cohort, facilitator, role):
    bundle = CohortBundle.objects.create(cohort=cohort, requested_by=facilitator, fingerprint="x")
    response = login(client, users[role]).get(f"/certificates/bundles/{bundle.pk}/")
    denied = {"guest": 302, "artisan": 403, "other_artisan": 403, "other_facilitator": 404, "editor": 403}
    assert response.status_code == denied.get(role, 200)
    post = login(Client(), users[role]).post(f"/certificates/cohorts/{cohort.pk}/bundle/")
    assert post.status_code == denied.get(role, 302)


def test_mi_avance_shows_her_certificate_download(client, artisan, certificate):
    client.force_login(artisan)
    response = client.get("/progress/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/certificates/mine/"' in html and "Descargar mi constancia" in html
    assert gzipped(response.content) + css_bytes() <= PAGE_BUDGET


def test_a_cohort_without_certificates_gets_a_message_not_an_empty_pdf(client, facilitator, cohort):
    client.force_login(facilitator)
    response = client.post(f"/certificates/cohorts/{cohort.pk}/bundle/", follow=True)
    assert response.redirect_chain[-1][0] == f"/certificates/cohorts/{cohort.pk}/"
    assert "tiene todavía una constancia válida" in response.content.decode()
    assert not CohortBundle.objects.exists()


def test_verification_answers_head_requests(client, certificate):
    assert client.head(verify_url(certificate)).status_code == 200
