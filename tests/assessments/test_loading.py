"""load_curriculum gives every module a quiz of at least 6 questions, in Spanish and English, every type used."""

import pytest
from django.core.management import call_command

from assessments.models import Option, Question, Quiz
from assessments.services import load_quizzes, quiz_problems

pytestmark = pytest.mark.django_db


def test_every_module_has_a_quiz_in_both_languages(modules):
    assert len(modules) == 6
    for module in modules:
        quizzes = Quiz.objects.filter(page__translation_key=module.translation_key)
        by_language = {quiz.locale.language_code: quiz for quiz in quizzes.select_related("locale", "page")}
        assert set(by_language) == {"es", "en"}, module.title
        spanish, english = by_language["es"], by_language["en"]
        assert spanish.translation_key == english.translation_key, "the two languages are one quiz"
        assert spanish.page_id == module.pk
        assert english.page.locale.language_code == "en", "the English quiz belongs to the English module"
        assert spanish.live and english.live
        assert spanish.title != english.title
        assert spanish.questions.count() >= 6
        assert spanish.questions.count() == english.questions.count()
        assert spanish.latest_revision_id is not None, "published as a revision, like an editor would"


def test_every_question_type_is_used_and_every_quiz_is_answerable():
    kinds = set(Question.objects.values_list("kind", flat=True))
    assert kinds == {"single", "multiple", "true_false", "picture", "numeric"}
    for quiz in Quiz.objects.all():
        assert quiz_problems(quiz) == [], quiz.title


def test_picture_options_have_images_and_numeric_questions_their_numbers():
    pictures = Option.objects.filter(question__kind="picture")
    assert pictures.exists()
    assert not pictures.filter(image__isnull=True).exists()
    numeric = Question.objects.filter(kind="numeric")
    assert numeric.exists()
    assert not numeric.filter(answer__isnull=True).exists()
    assert not Option.objects.filter(question__kind="numeric").exists()


def test_english_quiz_is_in_english():
    english = Quiz.objects.filter(locale__language_code="en").first()
    texts = " ".join(english.questions.values_list("text", flat=True))
    assert "What" in texts or "Which" in texts


def test_loading_again_changes_nothing_and_keeps_editors_changes(module_quiz):
    module_quiz.title = "Editada en el admin"
    module_quiz.save()
    counts = (Quiz.objects.count(), Question.objects.count(), Option.objects.count())
    report = load_quizzes()
    assert report.created == []
    assert (Quiz.objects.count(), Question.objects.count(), Option.objects.count()) == counts
    module_quiz.refresh_from_db()
    assert module_quiz.title == "Editada en el admin"


def test_load_curriculum_command_reports_quizzes():
    import io

    out = io.StringIO()
    call_command("load_curriculum", stdout=out)
    assert "Quizzes: 0 created, 20 already present." in out.getvalue()  # both programmes: 6 + 4 modules × es, en


def test_a_missing_translation_is_added_on_the_next_load(module_quiz):
    Quiz.objects.filter(translation_key=module_quiz.translation_key, locale__language_code="en").delete()
    report = load_quizzes()
    assert len(report.created) == 1
    assert Quiz.objects.filter(translation_key=module_quiz.translation_key).count() == 2
