"""The second programme's files through the real blocks, loaders, quiz rules and pages.

`manage.py load_curriculum` loads every programme (issue 18): the six workshops as the site's home and
courses/curriculum/economia-social/ as a programme under it, so the test database has it already; the
`economia_social` fixture loads it again with the same `load_curriculum` and `load_quizzes` the demo
uses (which find it and create nothing) and returns its Spanish page.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from assessments.models import Quiz
from assessments.selectors import quiz_questions
from assessments.services import load_quizzes, quiz_problems
from courses.blocks import LessonStreamBlock
from courses.models import LessonPage, ModulePage, ProgrammePage
from courses.services import CURRICULUM_DIR, illustration_image, load_curriculum, read_curriculum
from tests.budgets import PAGE_BUDGET, css_bytes, gzipped, subresources

pytestmark = pytest.mark.django_db

DIRECTORY = CURRICULUM_DIR / "economia-social"
PROGRAMME, MODULES = read_curriculum(DIRECTORY)
LANGUAGES = ("es", "en")


@pytest.fixture
def economia_social(db):
    """The second programme's Spanish page, loaded from its files (with its English translation and quizzes)."""
    load_curriculum(DIRECTORY)  # already loaded with the rest (load_curriculum): finds it, creates nothing
    load_quizzes(DIRECTORY)
    yield ProgrammePage.objects.get(slug=PROGRAMME["slug"], locale__language_code="es")


def raw_body(blocks: list[dict]) -> list[dict]:
    """A lesson body from the files as the StreamField stores it, each illustration a real Wagtail image."""
    raw = []
    for block in blocks:
        value = block["value"]
        if block["type"] == "image":
            value = {**value, "image": illustration_image(value["illustration"]).pk}
            del value["illustration"]
        raw.append({"type": block["type"], "value": value})
    return raw


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_lesson_body_is_a_valid_stream_of_lesson_blocks(code):
    block = LessonStreamBlock()
    for module in MODULES:
        for lesson in module["lessons"]:
            value = block.to_python(raw_body(lesson[code]["body"]))
            cleaned = block.clean(value)  # raises ValidationError on any field a block would refuse
            assert [child.block_type for child in cleaned] == [b["type"] for b in lesson[code]["body"]]
            for child in cleaned:
                if child.block_type == "image":
                    assert child.value["image"] is not None and child.value["image"].file.name.endswith(".webp")


def test_the_programme_loads_four_modules_with_their_lessons_in_both_languages(economia_social):
    en = Locale.objects.get(language_code="en")
    english = economia_social.get_translation(en)
    assert (economia_social.title, english.title) == (PROGRAMME["es"]["title"], PROGRAMME["en"]["title"])
    assert english.slug == PROGRAMME["slug_en"]
    modules = list(ModulePage.objects.child_of(economia_social).live().order_by("order"))
    assert [(m.order, m.slug, m.colour) for m in modules] == [(d["order"], d["slug"], d["colour"]) for d in MODULES]
    block = LessonStreamBlock()
    for module, data in zip(modules, MODULES, strict=True):
        assert module.image is not None
        assert module.get_translation(en).title == data["en"]["title"]
        lessons = list(LessonPage.objects.child_of(module).live().order_by("path"))
        assert [lesson.slug for lesson in lessons] == [lesson["slug"] for lesson in data["lessons"]]
        for lesson, lesson_data in zip(lessons, data["lessons"], strict=True):
            translated = lesson.get_translation(en).specific
            for page, code in ((lesson, "es"), (translated, "en")):
                assert page.live and page.title == lesson_data[code]["title"]
                assert len(page.body) == len(lesson_data[code]["body"])
                block.clean(page.body)


def test_the_quizzes_load_in_both_languages_with_answerable_questions(economia_social):
    for data in MODULES:
        module = ModulePage.objects.get(slug=data["slug"], locale__language_code="es")
        quizzes = {q.locale.language_code: q for q in Quiz.objects.filter(page__translation_key=module.translation_key)}
        assert set(quizzes) == set(LANGUAGES), data["slug"]
        assert quizzes["es"].translation_key == quizzes["en"].translation_key
        versions = {}
        for code, quiz in quizzes.items():
            assert quiz.live and quiz.title == data["quiz"][code]["title"]
            assert quiz_problems(quiz) == [], (code, quiz_problems(quiz))
            versions[code] = [
                (q.kind, q.answer, q.tolerance, [(o.is_correct, o.image_id is not None) for o in q.options.all()])
                for q in quiz_questions(quiz)
            ]
        assert versions["es"] == versions["en"], data["slug"]  # the same questions, in the same order
        kinds = [kind for kind, *_rest in versions["es"]]
        assert kinds == [question["type"] for question in data["quiz"]["questions"]]


def test_every_page_fits_the_first_visit_budget(client, economia_social):
    """Each lesson, module, the programme and each quiz, in both languages, within 14 KB compressed with the CSS."""
    css = css_bytes()
    worst = {}
    en = Locale.objects.get(language_code="en")
    lessons = LessonPage.objects.descendant_of(economia_social).live()
    modules = ModulePage.objects.child_of(economia_social).live()
    pages = [economia_social, *modules, *lessons]
    pages += [page.get_translation(en) for page in pages]
    assert len(pages) == 2 * (1 + len(MODULES) + sum(len(m["lessons"]) for m in MODULES))
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        total = gzipped(response.content) + css
        assert total <= PAGE_BUDGET, (page.url, total)
        kind = type(page.specific).__name__
        if kind == "LessonPage":  # what test_budgets asks of every lesson: no script, at most two subresources
            assert "<script" not in html and len(subresources(html)) + 1 <= 3, page.url
        worst[kind] = max(worst.get(kind, 0), total)
    for quiz in Quiz.objects.filter(page__in=[*modules, *[m.get_translation(en) for m in modules]]):
        with translation.override(quiz.locale.language_code):
            response = client.get(reverse("assessments:take", args=[quiz.pk]))
        assert response.status_code == 200
        total = gzipped(response.content) + css
        assert total <= PAGE_BUDGET, (quiz.title, total)
        worst["Quiz"] = max(worst.get("Quiz", 0), total)
    print(f"worst pages, bytes compressed (HTML + CSS): {json.dumps(worst)}")
