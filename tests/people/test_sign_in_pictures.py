"""Faces she recognises (issue 15, item 5): a picture per woman, distinct within her group, and "Paso 1"."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

from lms.demo import load_demo_people
from people import pictures
from people.models import AVATAR_COLOURS, ArtisanProfile
from people.services import PHOTO_MAX_BYTES, set_artisan_photo
from tests import factories
from tests.people.faces import faces_in

pytestmark = pytest.mark.django_db


def _faces(client, cohort) -> list[str]:
    html = client.get(f"/sign-in/cohort/{cohort.pk}/").content.decode()
    return faces_in(html)


def _jpeg(size=(1200, 900), colour=(180, 60, 40)) -> io.BytesIO:
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 40):  # some detail, so that it does not compress to nothing
        for y in range(0, size[1], 40):
            image.putpixel((x, y), (x % 255, y % 255, (x * y) % 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    out.seek(0)
    out.name = "foto.jpg"
    return out


def test_the_demo_group_shows_no_two_identical_pictures(client):
    demo = load_demo_people()
    for cohort in [demo.cohort, demo.second_cohort]:
        if cohort is None:
            continue
        faces = _faces(client, cohort)
        names = ArtisanProfile.objects.filter(cohort=cohort, user__is_active=True).count()
        assert len(faces) == names >= 2
        assert len(set(faces)) == len(faces), faces


def test_the_first_120_women_of_a_group_all_look_different():
    pairs = [pictures.face(index) for index in range(len(pictures.SYMBOLS) * len(AVATAR_COLOURS))]
    assert len(set(pairs)) == len(pairs) == 120
    # the first twelve already differ by symbol alone, and neighbours never share a colour
    assert len({symbol for symbol, _colour in pairs[:12]}) == 12
    assert all(pairs[i][1] != pairs[i + 1][1] for i in range(len(pairs) - 1))


def test_every_symbol_is_in_the_one_sprite():
    sprite = Path(settings.BASE_DIR, "static", pictures.SPRITE).read_text()
    assert re.findall(r'<symbol id="([\w-]+)"', sprite) == list(pictures.SYMBOLS)


def test_a_forty_women_group_has_forty_different_pictures_from_one_sprite(client, cohort):
    for index in range(40):
        factories.ArtisanFactory(cohort=cohort, pin=False, full_name=f"María López {index}", preferred_name="María")
    html = client.get(f"/sign-in/cohort/{cohort.pk}/").content.decode()
    faces = faces_in(html)
    assert len(faces) == 40 and len(set(faces)) == 40
    sprites = set(re.findall(r'<use href="([^"#]+)#', html))
    assert len(sprites) == 1 and "faces" in sprites.pop()


def test_her_picture_stays_when_another_woman_leaves_or_joins(client, cohort):
    women = [factories.ArtisanFactory(cohort=cohort, pin=False, preferred_name=f"Ana {i}") for i in range(5)]
    before = pictures.picture_for(women[3])
    women[1].user.is_active = False
    women[1].user.save()
    factories.ArtisanFactory(cohort=cohort, pin=False, preferred_name="Zoila")
    assert pictures.picture_for(women[3]) == before
    html = client.get(f"/sign-in/cohort/{cohort.pk}/").content.decode()
    assert f"{before.symbol} {before.colour}" in faces_in(html)
    # the PIN screen shows her the same picture as the name screen
    pin_html = client.get(f"/sign-in/artisan/{women[3].user_id}/").content.decode()
    assert faces_in(pin_html) == [f"{before.symbol} {before.colour}"]


def test_the_first_screen_says_paso_1_whether_or_not_the_centre_is_skipped(client, artisan):
    html = client.get("/sign-in/").content.decode()
    assert "Paso 1 de 3" in html  # one centre: the group screen comes first
    assert "Paso 2 de 3" in client.get(f"/sign-in/cohort/{artisan.cohort_id}/").content.decode()
    assert "Paso 3 de 3" in client.get(f"/sign-in/artisan/{artisan.user_id}/").content.decode()
    factories.CommunityCentreFactory(name="Zinacantán")
    assert "Paso 1 de 4" in client.get("/sign-in/").content.decode()
    assert "Paso 2 de 4" in client.get(f"/sign-in/centre/{artisan.cohort.centre_id}/").content.decode()
    assert "Paso 3 de 4" in client.get(f"/sign-in/cohort/{artisan.cohort_id}/").content.decode()
    assert "Paso 4 de 4" in client.get(f"/sign-in/artisan/{artisan.user_id}/").content.decode()
    assert "Step 1 of 4" in client.get("/en/sign-in/").content.decode()


def test_a_photo_becomes_a_small_private_webp(artisan):
    set_artisan_photo(artisan, _jpeg())
    artisan.refresh_from_db()
    data = artisan.photo.read()
    assert len(data) <= PHOTO_MAX_BYTES == 3 * 1024
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    path = Path(artisan.photo.path)
    assert Path(settings.PRIVATE_MEDIA_ROOT) in path.parents
    assert Path(settings.MEDIA_ROOT) not in path.parents
    with pytest.raises(ValueError):
        artisan.photo.url  # noqa: B018 — private files have no URL


def test_a_new_photo_replaces_the_old_file_and_none_removes_it(artisan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        set_artisan_photo(artisan, _jpeg())
    first = Path(artisan.photo.path)
    with django_capture_on_commit_callbacks(execute=True):
        set_artisan_photo(artisan, _jpeg(colour=(20, 90, 200)))
    assert not first.exists() and Path(artisan.photo.path).exists()
    second = Path(artisan.photo.path)
    with django_capture_on_commit_callbacks(execute=True):
        set_artisan_photo(artisan, None)
    artisan.refresh_from_db()
    assert not artisan.photo and not second.exists()


@pytest.mark.parametrize("content", [b"", b"not a picture at all", b"\x89PNG\r\n\x1a\n broken"])
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_written(artisan, content):
    upload = io.BytesIO(content)
    with pytest.raises(ValidationError) as raised:
        set_artisan_photo(artisan, upload)
    assert "photo" in str(raised.value).lower() or "foto" in str(raised.value).lower()
    artisan.refresh_from_db()
    assert not artisan.photo


def test_the_name_screen_shows_her_photo_through_a_signed_link_never_media(client, cohort, artisan):
    other = factories.ArtisanFactory(cohort=cohort, pin=False, preferred_name="Zoila")
    set_artisan_photo(artisan, _jpeg())
    html = client.get(f"/sign-in/cohort/{cohort.pk}/").content.decode()
    links = re.findall(r'<img class="avatar" src="([^"]+)"', html)
    assert len(links) == 1 and "/media/" not in links[0] and "/sign-in/photo/" in links[0]
    assert len(faces_in(html)) == 2  # the other one keeps her symbol
    response = client.get(links[0])
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert response.content == artisan.photo.open("rb").read()
    assert "private" in response["Cache-Control"]
    # the same screen on the PIN step
    assert links[0] in client.get(f"/sign-in/artisan/{artisan.user_id}/").content.decode()
    # a forged or altered link is 404
    assert client.get(links[0][:-3] + "xx/").status_code == 404
    assert client.get("/sign-in/photo/abc/").status_code == 404
    assert client.get(f"/sign-in/photo/{other.user_id}/").status_code == 404


def test_a_photo_link_stops_working_when_she_leaves_the_group_or_the_photo_changes(client, cohort, artisan):
    set_artisan_photo(artisan, _jpeg())
    link = pictures.photo_url(artisan)
    assert client.get(link).status_code == 200
    set_artisan_photo(artisan, _jpeg(colour=(1, 2, 3)))
    assert client.get(link).status_code == 404
    link = pictures.photo_url(artisan)
    artisan.cohort = factories.CohortFactory(centre=cohort.centre, name="Otro grupo")
    artisan.save()
    assert client.get(link).status_code == 404
