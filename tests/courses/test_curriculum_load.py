import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from courses.models import LessonPage, ModulePage, ProgrammePage
from courses.services import load_curriculum

pytestmark = pytest.mark.django_db


def test_six_modules_in_order_with_three_to_five_lessons_in_both_languages():
    for code in ("es", "en"):
        programme = ProgrammePage.objects.get(locale__language_code=code, depth=2)  # the home: the six workshops
        modules = list(ModulePage.objects.child_of(programme).live().order_by("order"))
        assert [m.order for m in modules] == [1, 2, 3, 4, 5, 6]
        for module in modules:
            lessons = LessonPage.objects.child_of(module).live()
            assert 3 <= lessons.count() <= 5, module.title
            assert all(len(lesson.body) > 0 for lesson in lessons)


def test_english_pages_are_translations_of_the_spanish_ones():
    for lesson in LessonPage.objects.filter(locale__language_code="es"):
        english = lesson.get_translation_or_none(lesson.locale.__class__.objects.get(language_code="en"))
        assert english is not None and english.live
        assert english.specific.title != lesson.title or english.slug != lesson.slug


def test_programme_is_the_default_site_root(programme):
    from wagtail.models import Site

    assert Site.objects.get(is_default_site=True).root_page_id == programme.pk


def test_a_second_run_creates_and_changes_nothing(capsys):
    counts = (Page.objects.count(), Revision.objects.count(), get_image_model().objects.count())
    report = load_curriculum()
    assert report.created == []
    assert (Page.objects.count(), Revision.objects.count(), get_image_model().objects.count()) == counts
    call_command("load_curriculum")
    assert "0 created" in capsys.readouterr().out


def test_an_editors_change_survives_a_second_run(lesson):
    lesson.title = "Título cambiado por la editora"
    lesson.save_revision().publish()
    load_curriculum()
    lesson.refresh_from_db()
    assert lesson.title == "Título cambiado por la editora"


def test_illustrations_are_small_webp_images():
    images = get_image_model().objects.filter(title__startswith="telar-illustration-")
    assert images.exists()
    for image in images:
        assert image.file.name.endswith(".webp")
        assert image.get_file_size() <= 40 * 1024, image.title
