"""Files with names are private (issue 14): certificate PDFs and bundles live in the "private" storage,
are served only by the views that check the policy, and are never reachable under /media/."""

import importlib
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.http import Http404
from django.test import RequestFactory
from django.views.static import serve

from certificates.models import Certificate, CohortBundle

from .conftest import login

pytestmark = pytest.mark.django_db


def _media_serve(name: str):
    """What the dev server (SERVE_MEDIA) and a proxy serving MEDIA_ROOT answer for /media/<name>."""
    return serve(RequestFactory().get(f"/media/{name}"), name, document_root=settings.MEDIA_ROOT)


def test_a_certificate_pdf_is_private_and_not_under_media(certificate):
    path = Path(storages["private"].path(certificate.pdf.name))
    assert path.is_file() and path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not default_storage.exists(certificate.pdf.name)
    with pytest.raises(ValueError):
        certificate.pdf.url  # noqa: B018 - no URL to link by mistake
    with pytest.raises(Http404):
        _media_serve(certificate.pdf.name)


@pytest.mark.parametrize("role", ["guest", "editor"])
def test_guests_and_editors_get_404_for_the_old_media_path_and_the_view(client, users, certificate, role):
    with pytest.raises(Http404):
        _media_serve(certificate.pdf.name)
    response = login(client, users[role]).get(f"/media/{certificate.pdf.name}")
    assert response.status_code == 404
    download = login(client, users[role]).get(f"/certificates/{certificate.pk}/pdf/")
    assert download.status_code in (302, 404) and download.get("Location", "").startswith(("/admin/login/", ""))
    if role == "editor":
        assert download.status_code == 404


def test_a_bundle_is_private(cohort, facilitator):
    bundle = CohortBundle.objects.create(cohort=cohort, requested_by=facilitator, fingerprint="x")
    bundle.pdf.save("b.pdf", ContentFile(b"%PDF-1.4 bundle"), save=True)
    assert storages["private"].exists(bundle.pdf.name) and not default_storage.exists(bundle.pdf.name)
    with pytest.raises(Http404):
        _media_serve(bundle.pdf.name)


def test_behind_nginx_the_view_hands_the_file_over_with_x_accel_redirect(client, users, certificate, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    response = login(client, users["facilitator"]).get(f"/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{certificate.pdf.name}"
    assert response.content == b"" and "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    refused = login(client, users["editor"]).get(f"/certificates/{certificate.pk}/pdf/")
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_the_migration_moves_existing_files_out_of_media(certificate):
    """A PDF left under MEDIA_ROOT by an earlier release moves to the private storage, same name; idempotent."""
    migration = importlib.import_module("certificates.migrations.0005_private_pdfs")
    private = storages["private"]
    name = certificate.pdf.name
    with private.open(name, "rb") as handle:
        content = handle.read()
    private.delete(name)
    default_storage.save(name, ContentFile(content))
    assert os.path.exists(default_storage.path(name))
    migration._move(Certificate, default_storage, private)
    assert private.exists(name) and not default_storage.exists(name)
    with private.open(name, "rb") as handle:
        assert handle.read() == content
    migration._move(Certificate, default_storage, private)  # again: nothing to do
    assert private.exists(name)
