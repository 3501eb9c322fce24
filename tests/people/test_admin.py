"""The people admin: facilitators manage PINs and details of their own cohorts' artisans only."""

import re

import pytest
from django.test import Client
from django.test.utils import CaptureQueriesContext

from people.models import ArtisanProfile, PinCredential
from people.services import artisan_pin_check
from tests import factories

pytestmark = pytest.mark.django_db

STAFF_BACKEND = "people.backends.StaffBackend"


@pytest.fixture
def fac(client, facilitator):
    client.force_login(facilitator, backend=STAFF_BACKEND)
    return client


def test_facilitator_lists_only_her_cohorts_artisans(fac, artisan):
    stranger = factories.ArtisanFactory(cohort=factories.CohortFactory(name="Otro grupo"), full_name="Ajena Ruiz")
    html = fac.get("/admin/people_artisans/").content.decode()
    assert artisan.full_name in html and stranger.full_name not in html
    assert "Otro grupo" not in html  # not even in the cohort filter
    assert "PIN set" in html or "Con clave" in html


def test_facilitator_sets_a_pin_that_then_works(fac, artisan, facilitator):
    page = fac.get(f"/admin/people_artisans/pin/{artisan.pk}/").content.decode()
    suggested = re.search(r'name="pin"[^>]*value="(\d{4})"', page).group(1)
    assert suggested  # a random valid suggestion she may keep or change
    response = fac.post(f"/admin/people_artisans/pin/{artisan.pk}/", {"pin": "1357"})
    assert response.status_code == 302
    assert artisan_pin_check(user=artisan.user, pin="1357").ok
    assert PinCredential.objects.get(user=artisan.user).changed_by == facilitator


def test_a_bad_pin_is_refused_and_nothing_changes(fac, artisan):
    before = PinCredential.objects.get(user=artisan.user).pin_hash
    for pin in ["12", "1111", "abcd", "1234"]:
        response = fac.post(f"/admin/people_artisans/pin/{artisan.pk}/", {"pin": pin})
        assert response.status_code == 200 and "error" in response.content.decode()
    assert PinCredential.objects.get(user=artisan.user).pin_hash == before


def test_facilitator_unlocks(fac, artisan):
    for _ in range(5):
        artisan_pin_check(user=artisan.user, pin="9999")
    assert not artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN).ok
    assert fac.post(f"/admin/people_artisans/unlock/{artisan.pk}/").status_code == 302
    assert artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN).ok


def test_facilitator_adds_an_artisan_to_her_cohort_only(fac, cohort):
    other = factories.CohortFactory(name="Ajeno")
    data = {
        "full_name": "Petrona Díaz López",
        "preferred_name": "Petrona",
        "preferred_language": "es",
        "external_id": "",
        "consent_given": "on",
        "consent_date": "",
        "privacy_notice_version": "v1",
    }
    refused = fac.post("/admin/people_artisans/new/", {**data, "cohort": other.pk})
    assert refused.status_code == 200 and not ArtisanProfile.objects.filter(full_name="Petrona Díaz López").exists()
    response = fac.post("/admin/people_artisans/new/", {**data, "cohort": cohort.pk})
    assert response.status_code == 302
    profile = ArtisanProfile.objects.get(full_name="Petrona Díaz López")
    assert profile.cohort == cohort and not profile.user.has_usable_password()


def test_facilitator_corrects_a_preferred_name(fac, artisan):
    data = {
        "full_name": artisan.full_name,
        "preferred_name": "Marucha",
        "preferred_language": "es",
        "cohort": artisan.cohort_id,
        "external_id": "",
        "consent_given": "on",
        "consent_date": "",
        "privacy_notice_version": "",
    }
    assert fac.post(f"/admin/people_artisans/edit/{artisan.pk}/", data).status_code == 302
    artisan.refresh_from_db()
    assert artisan.preferred_name == "Marucha"


def test_admin_pin_form_needs_csrf(facilitator, artisan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator, backend=STAFF_BACKEND)
    assert client.post(f"/admin/people_artisans/pin/{artisan.pk}/", {"pin": "1357"}).status_code == 403
    assert not artisan_pin_check(user=artisan.user, pin="1357").ok


def test_cohort_form_offers_only_facilitators(client, admin_user, facilitator, editor):
    client.force_login(admin_user, backend=STAFF_BACKEND)
    html = client.get("/admin/people_cohorts/new/").content.decode()
    assert f'value="{facilitator.pk}"' in html
    assert f'name="facilitators" value="{editor.pk}"' not in html


def test_admin_sees_every_artisan(client, admin_user, artisan):
    stranger = factories.ArtisanFactory(cohort=factories.CohortFactory(), full_name="Ajena Ruiz")
    client.force_login(admin_user, backend=STAFF_BACKEND)
    html = client.get("/admin/people_artisans/").content.decode()
    assert artisan.full_name in html and stranger.full_name in html


def test_artisan_list_queries_do_not_grow_with_the_cohort(fac, cohort):
    from django.db import connection

    def count():
        fac.get("/admin/people_artisans/")
        with CaptureQueriesContext(connection) as context:
            assert fac.get("/admin/people_artisans/").status_code == 200
        return len(context.captured_queries)

    factories.ArtisanFactory(cohort=cohort, pin=False)
    few = count()
    for _ in range(15):
        factories.ArtisanFactory(cohort=cohort, pin=False)
    assert count() == few
