"""Services and the database: one valid certificate per artisan and programme, snapshots, revoke, reissue."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from certificates import codes, services
from certificates.models import Certificate
from certificates.rendering import certificate_pdf_ready
from certificates.services import (
    certificate_issue_auto,
    certificate_issue_manual,
    certificate_reissue,
    certificate_revoke,
)
from tests.factories import ArtisanProfileFactory

from .conftest import NAME, after_commit

pytestmark = pytest.mark.django_db


def test_the_database_allows_one_valid_certificate_per_artisan_and_programme(certificate):
    duplicate = Certificate(
        user=certificate.user,
        programme_key=certificate.programme_key,
        programme_title="x",
        printed_name="x",
        issued_on=certificate.issued_on,
        code=codes.generate(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # Revoked and replaced ones do not count: a new valid one can follow a revoked one.
    Certificate.objects.filter(pk=certificate.pk).update(
        status="revoked", revoked_reason="x", revoked_at=certificate.issued_at
    )
    duplicate.save()


def test_a_revoked_certificate_needs_a_reason_and_a_date_in_the_database(certificate):
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(status="revoked")


def test_a_manual_certificate_needs_a_reason_in_the_database(certificate):
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(reason="")


def test_snapshots_are_taken_at_issue_and_kept(certificate):
    assert certificate.printed_name == NAME
    assert certificate.programme_title == "Programa de Artesanas de Chiapas"
    profile = certificate.user.artisan
    profile.full_name = "Otro Nombre"
    profile.save()
    certificate.refresh_from_db()
    assert certificate.printed_name == NAME


def test_codes_are_unique_and_unambiguous(certificate, cohort, facilitator):
    others = [
        certificate_issue_manual(user=ArtisanProfileFactory(cohort=cohort).user, issued_by=facilitator, reason="r")
        for _ in range(3)
    ]
    all_codes = {certificate.code, *(other.code for other in others)}
    assert len(all_codes) == 4
    for code in all_codes:
        assert not set(code) & set("ILOU")


def test_manual_issue_refuses_staff_and_blank_reasons(facilitator, artisan, programme):
    with pytest.raises(ValidationError):
        certificate_issue_manual(user=artisan, issued_by=facilitator, reason="  ")
    with pytest.raises(ValidationError):
        certificate_issue_manual(user=facilitator, issued_by=facilitator, reason="Prueba")
    assert not Certificate.objects.exists()


def test_revoke_and_reissue_refuse_what_does_not_apply(certificate, admin_user):
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, by=admin_user, reason="")
    new = certificate_reissue(certificate=certificate, by=admin_user, reason="Nombre corregido")
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, by=admin_user, reason="x")  # replaced: revoke the new one
    assert certificate_reissue(certificate=certificate, by=admin_user, reason="again").pk == new.pk
    certificate_revoke(certificate=new, by=admin_user, reason="Error")
    with pytest.raises(ValidationError):
        certificate_reissue(certificate=new, by=admin_user, reason="x")


def renders(callbacks) -> list:
    """The after-commit callbacks that render a PDF (a save also drops what is kept of her certificates)."""
    return [callback for callback in callbacks if "_render_after_commit" in callback.__qualname__]


def test_a_reissue_renders_its_pdf_after_the_new_row_commits(certificate, admin_user):
    with after_commit() as callbacks:
        new = certificate_reissue(certificate=certificate, by=admin_user, reason="Nombre corregido")
        assert new.pdf_status == Certificate.PdfStatus.PENDING and not new.pdf  # the row first
    assert len(renders(callbacks)) == 1
    new.refresh_from_db()
    assert new.pdf_ready and new.pdf.name != certificate.pdf.name  # only a reissue renders again


def test_a_reissue_that_loses_a_race_leaves_no_row_and_renders_nothing(certificate, admin_user, monkeypatch):
    """Revoked by someone else while the reissue was being prepared: nothing of the reissue remains."""
    real_build = services._build

    def build_then_someone_revokes(**kwargs):
        built = real_build(**kwargs)
        Certificate.objects.filter(pk=certificate.pk).update(
            status="revoked", revoked_reason="x", revoked_at=certificate.issued_at
        )
        return built

    monkeypatch.setattr(services, "_build", build_then_someone_revokes)
    with after_commit() as callbacks, pytest.raises(ValidationError):
        certificate_reissue(certificate=certificate, by=admin_user, reason="x")
    assert Certificate.objects.count() == 1
    assert callbacks == []  # no render was queued for a row that was never written


def test_auto_issue_after_a_concurrent_winner_returns_the_winner(certificate, programme):
    """If another request issued first, the unique constraint stops the second and it returns the first."""
    again = certificate_issue_auto(user=certificate.user, programme=programme)
    assert again.pk == certificate.pk
    assert Certificate.objects.filter(user=certificate.user).count() == 1


def test_a_stored_pdf_is_rendered_again_only_when_the_file_is_missing(certificate):
    name = certificate.pdf.name
    assert certificate_pdf_ready(certificate).pdf.name == name
    certificate.pdf.storage.delete(name)
    again = certificate_pdf_ready(certificate)
    assert again.pdf_ready and again.pdf.name != name and again.pdf.storage.exists(again.pdf.name)


def test_the_database_refuses_a_ready_pdf_without_a_file(certificate):
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(pdf="")


def test_a_manual_issue_writes_the_row_first_and_renders_after_commit(artisan, facilitator, programme):
    with after_commit() as callbacks:
        certificate = certificate_issue_manual(user=artisan, issued_by=facilitator, reason="Excepción")
        assert Certificate.objects.get(pk=certificate.pk).pdf_status == Certificate.PdfStatus.PENDING
    assert len(renders(callbacks)) == 1
    certificate.refresh_from_db()
    assert certificate.pdf_ready and certificate.pdf_attempts == 1


def test_the_file_name_does_not_reveal_the_code(certificate):
    assert certificate.code not in certificate.pdf.name
    assert certificate.display_code not in certificate.pdf.name


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_finishing_at_once_issue_one_certificate():
    """Two threads pass the rule at the same moment: the database keeps exactly one valid certificate."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent writers)")
    from wagtail.models import Locale, Page

    from courses.models import ProgrammePage

    locale = Locale.objects.get_or_create(language_code="es")[0]
    # Other transactional tests may have flushed the tree, Wagtail's root page included.
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    programme = root.add_child(instance=ProgrammePage(title="Programa", slug="programa-carrera", locale=locale))
    user = ArtisanProfileFactory(full_name="Juana Pérez").user
    barrier = threading.Barrier(2)
    results, errors = [], []

    def issue():
        try:
            barrier.wait(timeout=10)
            results.append(certificate_issue_auto(user=user, programme=programme).pk)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Certificate.objects.filter(user=user, status="valid").count() == 1
    assert len(set(results)) == 1
