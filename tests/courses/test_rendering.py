import re

import pytest
from django.core.files.base import ContentFile
from wagtail.images import get_image_model

from courses.models import LessonPage, ModulePage, Narration

pytestmark = pytest.mark.django_db


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def test_home_lists_the_six_modules_in_order(client, modules):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(module.title) for module in modules]
    assert positions == sorted(positions)
    assert h1_count(html) == 1
    assert 'lang="es"' in html


def test_english_home_lists_english_modules(client):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    english = ModulePage.objects.filter(locale__language_code="en", depth=3).order_by("order")  # the home's
    assert english.count() == 6
    for module in english:
        assert module.title in html
    assert 'lang="en"' in html


def test_module_page_lists_its_lessons_with_breadcrumbs(client, modules):
    module = modules[2]
    response = client.get(module.url)
    html = response.content.decode()
    assert response.status_code == 200
    for lesson in LessonPage.objects.child_of(module).live():
        assert lesson.title in html
    assert 'class="breadcrumbs"' in html
    assert h1_count(html) == 1


def test_lesson_has_previous_next_and_back_links(client, modules):
    lessons = list(LessonPage.objects.child_of(modules[1]).live().order_by("path"))
    middle = lessons[1]
    html = client.get(middle.url).content.decode()
    assert f'rel="prev" href="{lessons[0].url}"' in html
    assert f'rel="next" href="{lessons[2].url}"' in html
    assert f'href="{modules[1].url}"' in html
    assert h1_count(html) == 1
    first = client.get(lessons[0].url).content.decode()
    assert 'rel="prev"' not in first


def test_language_switch_links_to_the_translation_without_javascript(client, lesson):
    english = lesson.get_translation(lesson.locale.__class__.objects.get(language_code="en"))
    html = client.get(lesson.url).content.decode()
    assert f'href="{english.url}" hreflang="en"' in html
    assert "<script" not in html
    back = client.get(english.url).content.decode()
    assert f'href="{lesson.url}" hreflang="es"' in back


def test_unknown_url_gets_the_light_styled_404(client):
    response = client.get("/no-existe/para-nada/")
    assert response.status_code == 404
    assert len(response.content) < 5 * 1024
    assert b"telar.css" in response.content
    assert h1_count(response.content.decode()) == 1


def test_unknown_language_prefix_is_a_404(client):
    assert client.get("/fr/").status_code == 404
    assert client.get("/xx/programa/").status_code == 404


def test_lesson_with_missing_image_and_audio_files_still_renders(client, lesson):
    import io

    from PIL import Image as PILImage

    png = io.BytesIO()
    PILImage.new("RGB", (20, 10), (120, 60, 40)).save(png, format="PNG")
    image = get_image_model().objects.create(title="perdida", file=ContentFile(png.getvalue(), name="perdida.png"))
    image.file.storage.delete(image.file.name)
    narration = Narration(title="audio", seconds=30, size=40_000)
    narration.file.save("narracion.ogg", ContentFile(b"OggS"), save=True)
    narration.file.storage.delete(narration.file.name)
    lesson.body = [
        ("image", {"image": image, "alt": "Una imagen que ya no está", "caption": "Sin archivo"}),
        ("audio", {"audio": narration, "label": "Escucha", "transcript": "Texto"}),
    ]
    lesson.narration = None
    lesson.save_revision().publish()
    response = client.get(lesson.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'alt="Una imagen que ya no está"' in html
    assert html.count('preload="none"') == 1 and f'src="{narration.url}"' in html
    assert "Escucha" in html and "30 s" in html


def test_images_are_lazy_webp_renditions_with_dimensions(client, lesson):
    image = get_image_model().objects.filter(title__startswith="telar-illustration-").first()
    lesson.body = [("image", {"image": image, "alt": "Rombos", "caption": ""})]
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    tag = re.search(r"<img [^>]*>", html).group(0)
    assert 'loading="lazy"' in tag
    assert re.search(r'width="\d+"', tag) and re.search(r'height="\d+"', tag)
    assert ".webp" in tag
    width = int(re.search(r'width="(\d+)"', tag).group(1))
    assert width <= 640


def test_unpublished_lesson_is_a_404(client, lesson):
    url = lesson.url
    lesson.unpublish()
    assert client.get(url).status_code == 404
