"""courses.selectors: titles in the display language, the one lookup every app uses."""

import pytest
from django.utils import translation
from wagtail.models import Locale, Page

from courses.models import ModulePage, ProgrammePage
from courses.selectors import display_language, live_translations, titles_in_language

pytestmark = pytest.mark.django_db


def english(page):
    return page.get_translation(Locale.objects.get(language_code="en"))


def draft(page, title: str):
    """The page as an editor left it: unpublished, with a title she had not finished."""
    Page.objects.filter(pk=page.pk).update(live=False, title=title)


def test_titles_follow_the_display_language(programme, modules):
    keys = [programme.translation_key, modules[0].translation_key]
    spanish = titles_in_language(keys, language="es")
    assert spanish == {programme.translation_key: programme.title, modules[0].translation_key: modules[0].title}
    in_english = titles_in_language(keys, language="en")
    assert in_english[modules[0].translation_key] == english(modules[0]).title != modules[0].title
    with translation.override("en"):
        assert titles_in_language(keys) == in_english  # the active language by default


def test_an_unpublished_translation_is_never_shown(programme, modules):
    """Bug fixed: the attendance list, the certificate snapshot and its PDF read translations whether or not
    they were published, so a draft title could be shown and printed for good."""
    draft(english(modules[0]), "BORRADOR sin traducir")
    draft(english(programme), "BORRADOR del programa")
    keys = [programme.translation_key, modules[0].translation_key]
    assert titles_in_language(keys, language="en") == {
        programme.translation_key: programme.title,
        modules[0].translation_key: modules[0].title,
    }
    assert modules[0].translation_key not in live_translations(ModulePage, keys, language="en")


def test_nothing_live_means_no_title(modules):
    draft(modules[0], "Nada")
    draft(english(modules[0]), "Nothing")
    assert titles_in_language([modules[0].translation_key], language="en") == {}


def test_one_query_for_any_number_of_pages(modules, django_assert_num_queries):
    keys = [module.translation_key for module in modules]
    with django_assert_num_queries(1):
        assert len(titles_in_language(keys, language="en")) == len(modules)
    with django_assert_num_queries(1):
        assert len(live_translations(ModulePage, keys, language="en")) == len(modules)
    with django_assert_num_queries(0):
        assert titles_in_language([], language="en") == {}


def test_display_language_is_a_content_language():
    assert display_language("en") == "en"
    assert display_language("es-mx") == "es"
    assert display_language("tzo") == "es"  # not a content language yet: the default
    assert ProgrammePage.objects.live().filter(locale__language_code=display_language("en")).exists()
