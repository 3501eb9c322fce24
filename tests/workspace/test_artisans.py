"""Her artisans in the workspace (issue 16): add one to her cohort, the name she prefers, a PIN, unlock
her with the wrong PINs shown — her own cohorts only, every change a POST, no JavaScript needed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people.models import ArtisanProfile, PinCredential
from people.services import artisan_pin_check
from tests import factories
from tests.budgets import PAGE_BUDGET, css_bytes, gzipped

pytestmark = pytest.mark.django_db

STAFF = "people.backends.StaffBackend"


@pytest.fixture
def signed_in(client, facilitator):
    client.force_login(facilitator, backend=STAFF)
    return client


def _add(client, cohort, **data):
    form = {"full_name": "Petrona López Díaz", "preferred_name": "Petro", "preferred_language": "tzo", **data}
    return client.post(f"/facilitator/cohorts/{cohort.pk}/artisans/", form)


def test_she_adds_an_artisan_then_gives_her_a_pin(signed_in, cohort):
    response = _add(signed_in, cohort, consent_given="on")
    profile = ArtisanProfile.objects.get(full_name="Petrona López Díaz")
    assert response.status_code == 302 and response["Location"] == f"/facilitator/artisans/{profile.pk}/"
    assert profile.cohort == cohort and profile.preferred_language == "tzo" and profile.consent_given
    assert profile.user.enrolments.filter(cohort=cohort).exists()
    page = signed_in.get(response["Location"]).content.decode()
    assert "Petro ya está en el grupo" in page and "Sin clave todavía" in page
    saved = signed_in.post(response["Location"], {"action": "pin", "pin": "4826"})
    assert saved.status_code == 302
    assert artisan_pin_check(user=profile.user, pin="4826").ok
    assert "Puede entrar" in signed_in.get(response["Location"]).content.decode()


def test_the_same_name_twice_makes_one_artisan(signed_in, cohort):
    assert _add(signed_in, cohort).status_code == 302
    again = _add(signed_in, cohort, full_name=" petrona  LOPEZ díaz ")
    assert again.status_code == 400 and "ya está en este grupo" in again.content.decode()
    assert ArtisanProfile.objects.filter(cohort=cohort).count() == 1


def test_bad_input_is_refused_in_words_and_writes_nothing(signed_in, cohort, artisan):
    empty = _add(signed_in, cohort, full_name="", preferred_name="")
    assert empty.status_code == 400 and ArtisanProfile.objects.count() == 1
    url = f"/facilitator/artisans/{artisan.pk}/"
    weak = signed_in.post(url, {"action": "pin", "pin": "1234"})
    assert weak.status_code == 400 and "fácil de adivinar" in weak.content.decode()
    assert artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN).ok  # her PIN unchanged
    blank = signed_in.post(url, {"action": "name", "preferred_name": "   "})
    assert blank.status_code == 400
    artisan.refresh_from_db()
    assert artisan.preferred_name == "Mari"
    assert signed_in.post(url, {"action": "nonsense"}).status_code == 302


def test_she_changes_the_name_her_artisan_prefers(signed_in, artisan):
    url = f"/facilitator/artisans/{artisan.pk}/"
    response = signed_in.post(url, {"action": "name", "preferred_name": "  Marita "})
    assert response.status_code == 302
    artisan.refresh_from_db()
    artisan.user.refresh_from_db()
    assert artisan.preferred_name == "Marita" and artisan.user.first_name == "Marita"
    assert artisan.full_name == "María Pérez Gómez"  # the certificate's name is not hers to change here


def test_she_unlocks_an_artisan_and_sees_her_wrong_pins(signed_in, artisan):
    for _ in range(5):
        artisan_pin_check(user=artisan.user, pin="9999")
    listing = signed_in.get(f"/facilitator/cohorts/{artisan.cohort_id}/artisans/").content.decode()
    assert "5 claves equivocadas" in listing
    PinCredential.objects.filter(user=artisan.user).update(held=True, wrong_since_unlock=15)
    page = signed_in.get(f"/facilitator/artisans/{artisan.pk}/").content.decode()
    assert "15 claves equivocadas" in page and 'value="unlock"' in page
    assert signed_in.post(f"/facilitator/artisans/{artisan.pk}/", {"action": "unlock"}).status_code == 302
    credential = PinCredential.objects.get(user=artisan.user)
    assert not credential.held and credential.wrong_since_unlock == 0 and credential.locked_until is None
    assert artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN).ok


def test_only_her_own_cohorts(client, artisan, cohort, other_facilitator, editor, programme_staff, admin_user):
    urls = [f"/facilitator/cohorts/{cohort.pk}/artisans/", f"/facilitator/artisans/{artisan.pk}/"]
    for user in (other_facilitator, editor, programme_staff):
        client.force_login(user, backend=STAFF)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(urls[1], {"action": "pin", "pin": "4826"}).status_code == 403
        assert _add(client, cohort).status_code == 403
    assert ArtisanProfile.objects.count() == 1 and artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN).ok
    client.force_login(admin_user, backend=STAFF)
    assert all(client.get(url).status_code == 200 for url in urls)
    client.logout()
    assert client.get(urls[0])["Location"].startswith("/staff/sign-in/")


def test_the_pages_are_small_labelled_and_constant_in_queries(signed_in, cohort, artisan):
    url = f"/facilitator/cohorts/{cohort.pk}/artisans/"
    signed_in.get(url)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(url)
    for index in range(40):
        factories.ArtisanFactory(cohort=cohort, full_name=f"Micaela Hernández {index}", preferred_name=f"Mica {index}")
    with CaptureQueriesContext(connection) as many:
        response = signed_in.get(url)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert gzipped(response.content) + css_bytes() <= PAGE_BUDGET
    html = response.content.decode()
    for name in ("full_name", "preferred_name", "preferred_language", "consent_given"):
        assert f'for="id_{name}"' in html or f'<label class="check"><input type="checkbox" name="{name}"' in html
    page = signed_in.get(f"/facilitator/artisans/{artisan.pk}/")
    assert gzipped(page.content) + css_bytes() <= PAGE_BUDGET
    assert 'for="id_pin"' in page.content.decode() and "<script" not in page.content.decode().split("</head>")[1]


def test_a_paused_artisan_shows_until_when(signed_in, artisan):
    PinCredential.objects.filter(user=artisan.user).update(
        locked_until=timezone.now() + timedelta(minutes=10), failed_attempts=5, wrong_since_unlock=5
    )
    page = signed_in.get(f"/facilitator/artisans/{artisan.pk}/").content.decode()
    assert "En pausa hasta" in page and 'value="unlock"' in page


def test_she_takes_her_photo_for_the_sign_in_list(signed_in, artisan):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 60, 40)).save(buffer, format="JPEG")
    url = f"/facilitator/artisans/{artisan.pk}/"
    photo = SimpleUploadedFile("cara.jpg", buffer.getvalue(), content_type="image/jpeg")
    assert signed_in.post(url, {"action": "photo", "photo": photo}).status_code == 302
    artisan.refresh_from_db()
    assert artisan.photo and artisan.photo.size <= 3 * 1024
    assert 'data-face="photo"' in signed_in.get(url).content.decode()
    not_a_photo = SimpleUploadedFile("notas.txt", b"hola", content_type="text/plain")
    refused = signed_in.post(url, {"action": "photo", "photo": not_a_photo})
    assert refused.status_code == 400 and "no es una foto" in refused.content.decode()
    assert signed_in.post(url, {"action": "photo"}).status_code == 400  # nothing chosen
    assert signed_in.post(url, {"action": "photo_remove"}).status_code == 302
    artisan.refresh_from_db()
    assert not artisan.photo
